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

/** The words of each of `segments` (counted now where not known yet): kept beside them between processes (see knownWordCounts). */
export function wordCountsOf(segments: readonly Segment[], language: string): number[] {
  return segments.map((segment) => segmentWords(segment, language));
}

/**
 * Takes `counts` as the words of `segments`, position by position, as wordCountsOf gave them for
 * the same segments in another process (a book's 16,000 paragraphs are not counted again at every
 * start). Counts that do not fit (another number of them, or not whole numbers) are ignored.
 */
export function knownWordCounts(segments: readonly Segment[], counts: unknown): void {
  if (!Array.isArray(counts) || counts.length !== segments.length) return;
  if (!counts.every((count) => Number.isInteger(count) && (count as number) >= 0)) return;
  segments.forEach((segment, i) => wordCache.set(segment, counts[i] as number));
}

/**
 * Gives the paragraphs of a new version of a document the word counts already known of paragraphs
 * of the version before with the same text (a count depends on the text and the language only): a
 * source update of a book changes a few hundred paragraphs of 16,000, and counting them all again
 * was a tenth of a second of it. Nothing is counted here; a paragraph left without one is counted
 * when it is first asked for.
 */
export function carryWordCounts(before: { segments: readonly Segment[]; meta: { language: string } }, after: { segments: readonly Segment[]; meta: { language: string } }): void {
  if (before.meta.language !== after.meta.language) return;
  // By id (a paragraph whose text the version before knew keeps its id), the text then compared:
  // a map by text would hash every paragraph's text twice.
  const known = new Map<string, Segment>();
  for (const segment of before.segments) known.set(segment.id, segment);
  for (const segment of after.segments) {
    const old = known.get(segment.id);
    const words = old && old.text === segment.text ? wordCache.get(old) : undefined;
    if (words !== undefined && !wordCache.has(segment)) wordCache.set(segment, words);
  }
}

const zero = (): Record<WorkflowState, number> => ({ untranslated: 0, translated: 0, approved: 0, drifted: 0, 'needs-work': 0 });

/** Progress of a locale over the translatable segments of a document (words counted in the source language). */
export function computeProgress(segments: readonly Segment[], units: ReadonlyMap<string, Readonly<Pick<Unit, 'source' | 'target' | 'state' | 'approved'>>>, sourceLanguage: string): Progress {
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

/** `progress` with `segment`'s unit changed from `before` to `after`: a new object, counted without a pass over the document. */
export function progressDelta(progress: Progress, segment: Segment, before: Unit | undefined, after: Unit | undefined, sourceLanguage: string): Progress {
  const from = workflowState(segment, before);
  const to = workflowState(segment, after);
  if (from === to) return progress;
  const words = segmentWords(segment, sourceLanguage);
  const next: Progress = { segments: progress.segments, words: progress.words, bySegments: { ...progress.bySegments }, byWords: { ...progress.byWords } };
  next.bySegments[from]--;
  next.bySegments[to]++;
  next.byWords[from] -= words;
  next.byWords[to] += words;
  return next;
}
