import { countWords } from './countWords';
import type { Segment, Unit, WorkflowState } from './types';
import { workflowState } from './workflowState';

/** Counts of segments and of source words per workflow state. */
export interface Progress {
  segments: number;
  words: number;
  bySegments: Record<WorkflowState, number>;
  byWords: Record<WorkflowState, number>;
}

// Word counts are asked for again on every save; a segment's text never changes, so count it once.
const wordCache = new WeakMap<Segment, number>();

function segmentWords(segment: Segment, language: string): number {
  let words = wordCache.get(segment);
  if (words === undefined) {
    words = countWords(segment.text, language);
    wordCache.set(segment, words);
  }
  return words;
}

const zero = (): Record<WorkflowState, number> => ({ untranslated: 0, translated: 0, approved: 0, drifted: 0, 'needs-work': 0 });

/** Progress of a locale over the translatable segments of a document (words counted in the source language). */
export function computeProgress(segments: Segment[], units: Map<string, Unit>, sourceLanguage: string): Progress {
  const progress: Progress = { segments: 0, words: 0, bySegments: zero(), byWords: zero() };
  for (const segment of segments) {
    if (!segment.translatable) continue;
    const state = workflowState(segment, units.get(segment.id));
    const words = segmentWords(segment, sourceLanguage);
    progress.segments++;
    progress.words += words;
    progress.bySegments[state]++;
    progress.byWords[state] += words;
  }
  return progress;
}
