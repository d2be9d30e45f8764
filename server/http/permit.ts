import type { Response } from 'express';
import { actorOf } from '../auth/authenticate';
import { can, requirePermission, type Action, type Actor } from '../auth/permissions';
import { canonicalLocale } from '../domain/localeTag';
import { WorkbenchError } from '../errors';

/**
 * The route-side check of a change: 401 without a login (before any input is looked at),
 * 400 for a bad locale, 403 without the role for it. Returns who is acting.
 */
export function permit(res: Response, action: Action, locale?: unknown): Actor {
  const actor = actorOf(res);
  if (!actor) throw new WorkbenchError(401, 'login-required', 'Log in to make changes.');
  return requirePermission(actor, action, locale === undefined ? undefined : canonicalLocale(locale));
}

/** Like permit, for a change either a translator or a reviewer of the locale may make; says which the person may be. */
export function permitTranslatorOrReviewer(res: Response, locale: unknown): { actor: Actor; canReview: boolean } {
  const actor = actorOf(res);
  if (!actor) throw new WorkbenchError(401, 'login-required', 'Log in to make changes.');
  const code = canonicalLocale(locale);
  const canReview = can(actor, 'review', code);
  if (!canReview) requirePermission(actor, 'translate', code);
  return { actor, canReview };
}

/** Whether the project lets reviewers approve their own translations (`allowSelfApproval` in workbench.config.json; off by default). */
/** Whether a save also applies its translation to the paragraphs with the same source text that have none (`"propagate": "auto"`). */
export function autoPropagate(res: Response): boolean {
  return res.app.locals.config?.propagate === 'auto';
}

export function allowSelfApproval(res: Response): boolean {
  return res.app.locals.config?.allowSelfApproval === true;
}
