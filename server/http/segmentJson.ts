import type { Request } from 'express';
import type { SegmentView } from '../application/segmentViews';

/**
 * A segment as the JSON API gives it: each check's message in the interface language (its
 * i18next key and values kept beside it, `key` and `values`).
 */
export function segmentJson(req: Request, segment: SegmentView): Omit<SegmentView, 'checks'> & { checks: (Omit<SegmentView['checks'][number], 'message'> & { message: string; key: string })[] } {
  const t = req.t;
  return { ...segment, checks: segment.checks.map((check) => ({ ...check, key: check.message, message: t ? String(t(check.message, check.values)) : check.message })) };
}
