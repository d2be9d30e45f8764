import type { Request } from 'express';
import type { TFunction } from 'i18next';
import type { SegmentView } from '../application/segmentViews';

/** How many check messages are kept per interface language (see messageOf). */
const MESSAGES_KEPT = 5000;

/** Check messages already put into each interface language, by key and values. */
const messages = new WeakMap<TFunction, Map<string, string>>();

/**
 * A check's message in the language of `t`. The same few messages come in every answer to a save,
 * and i18next's lookup and interpolation cost a tenth of a busy server's save: each one is made
 * once per language and values (the catalogs are read once, at start).
 */
function messageOf(t: TFunction, key: string, values: Record<string, unknown> | undefined): string {
  let kept = messages.get(t);
  if (!kept) messages.set(t, (kept = new Map()));
  const id = `${key}\u0000${values === undefined ? '' : JSON.stringify(values)}`;
  let message = kept.get(id);
  if (message === undefined) {
    message = String(t(key, values));
    if (kept.size >= MESSAGES_KEPT) kept.clear();
    kept.set(id, message);
  }
  return message;
}

/**
 * A segment as the JSON API gives it: each check's message in the interface language (its
 * i18next key and values kept beside it, `key` and `values`).
 */
export function segmentJson(req: Request, segment: SegmentView): Omit<SegmentView, 'checks'> & { checks: (Omit<SegmentView['checks'][number], 'message'> & { message: string; key: string })[] } {
  const t = req.t;
  return { ...segment, checks: segment.checks.map((check) => ({ ...check, key: check.message, message: t ? messageOf(t, check.message, check.values) : check.message })) };
}
