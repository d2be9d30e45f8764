import type { Segment } from './types';

/** The words of a text for comparing paragraphs: letters and digits, lower-cased. */
function wordSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/**
 * The paragraphs to translate of `segments` most like `text` (the words they share over the words
 * of both, Jaccard), best first, at most `count`, none sharing no word: where the translation of a
 * deleted paragraph most likely belongs now.
 */
export function similarParagraphs(text: string, segments: readonly Segment[], count = 5): { segment: Segment; score: number }[] {
  const words = wordSet(text);
  if (words.size === 0) return [];
  const found: { segment: Segment; score: number }[] = [];
  for (const segment of segments) {
    if (!segment.translatable) continue;
    const other = wordSet(segment.text);
    let shared = 0;
    for (const word of other) if (words.has(word)) shared++;
    if (shared === 0) continue;
    found.push({ segment, score: shared / (words.size + other.size - shared) });
  }
  return found.sort((a, b) => b.score - a.score).slice(0, count);
}
