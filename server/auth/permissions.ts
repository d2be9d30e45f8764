import { WorkbenchError } from '../errors';

/** What a person can be on a project (see server/accounts/types.ts). */
export type RoleGrant = { kind: 'admin' } | { kind: 'translator' | 'reviewer'; locale: string };

/** Who is asking: a signed-in user (by session or API token), or nobody. */
export interface Actor {
  name: string;
  roles: RoleGrant[];
}

/** The things a person may be allowed to do. */
export type Action =
  /** write translations of a locale */
  | 'translate'
  /** approve, reject and review a locale */
  | 'review'
  /** start a locale */
  | 'start-locale'
  /** change sources, manage people */
  | 'admin';

/** Whether `actor` may do `action` (on `locale`, for the per-locale actions). Admins may do everything. */
export function can(actor: Actor | undefined, action: Action, locale?: string): boolean {
  if (!actor) return false;
  if (actor.roles.some((r) => r.kind === 'admin')) return true;
  switch (action) {
    case 'translate':
      return actor.roles.some((r) => r.kind === 'translator' && r.locale === locale);
    case 'review':
      return actor.roles.some((r) => r.kind === 'reviewer' && r.locale === locale);
    case 'start-locale':
      // Whoever will translate or review a language may open it.
      return actor.roles.some((r) => r.kind !== 'admin' && r.locale === locale);
    case 'admin':
      return false;
  }
}

/** Throws 401 for nobody, 403 for someone without the right; the one place roles are enforced. */
export function requirePermission(actor: Actor | undefined, action: Action, locale?: string): Actor {
  if (!actor) throw new WorkbenchError(401, 'login-required', 'Log in to make changes.', { params: {} });
  if (!can(actor, action, locale)) {
    const what = { translate: 'translate', review: 'review', 'start-locale': 'start', admin: 'manage' }[action];
    const advice = { translate: 'an administrator can give you the translator role for it', review: 'an administrator can give you the reviewer role for it', 'start-locale': 'it takes a role for that language', admin: 'that takes the administrator role' }[action];
    throw new WorkbenchError(403, 'forbidden', locale ? `${actor.name} may not ${what} ${locale}: ${advice}.` : `${actor.name} may not ${what} this project: ${advice}.`, {
      params: { who: actor.name, locale: locale ?? '', context: action },
    });
  }
  return actor;
}
