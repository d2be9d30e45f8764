const segmenters = new Map<string, Intl.Segmenter>();

/** Counts the words of a text the way its language cuts them (Intl.Segmenter), so Chinese or Thai count right too. */
export function countWords(text: string, language: string): number {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
    segmenters.set(language, segmenter);
  }
  let count = 0;
  for (const part of segmenter.segment(text)) if (part.isWordLike) count++;
  return count;
}
