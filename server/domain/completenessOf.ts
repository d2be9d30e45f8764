import type { Completeness, DraftMark } from './edition';
import type { Segment, Unit } from './types';
import { workflowState } from './workflowState';

/** A translatable paragraph that keeps an edition from being complete, and why. */
export interface MissingParagraph {
  id: string;
  reason: DraftMark;
  /** The source text, for a list people can read. */
  source: string;
}

/** A locale's completeness: counts, every paragraph not done, and the draft mark of each. */
export interface CompletenessReport {
  completeness: Completeness;
  missing: MissingParagraph[];
  marks: Map<string, DraftMark>;
}

/**
 * How complete a locale is as an edition: a paragraph is done when it is translated, current (not
 * drifted) and, when the project requires review, approved. A paragraph sent back by a reviewer is
 * never done. Returns the counts and every paragraph that is not done, in document order.
 */
export function completenessOf(
  segments: readonly Segment[],
  units: ReadonlyMap<string, Unit>,
  options: { requireApproval: boolean },
): CompletenessReport {
  const missing: MissingParagraph[] = [];
  const marks = new Map<string, DraftMark>();
  let total = 0;
  for (const segment of segments) {
    if (!segment.translatable) continue;
    total++;
    const reason = markOf(workflowState(segment, units.get(segment.id)), options.requireApproval);
    if (reason === undefined) continue;
    marks.set(segment.id, reason);
    missing.push({ id: segment.id, reason, source: segment.text });
  }
  const count = (reason: DraftMark) => missing.filter((m) => m.reason === reason).length;
  const done = total - missing.length;
  return {
    completeness: {
      total,
      done,
      // Rounded down, so that 100 % means complete and nothing less.
      percent: total === 0 ? 100 : Math.floor((done * 100) / total),
      untranslated: count('untranslated'),
      drifted: count('drifted'),
      unapproved: count('unapproved'),
    },
    missing,
    marks,
  };
}

function markOf(state: ReturnType<typeof workflowState>, requireApproval: boolean): DraftMark | undefined {
  switch (state) {
    case 'untranslated':
      return 'untranslated';
    case 'drifted':
      return 'drifted';
    case 'needs-work':
      return 'unapproved';
    case 'translated':
      return requireApproval ? 'unapproved' : undefined;
    case 'approved':
      return undefined;
  }
}
