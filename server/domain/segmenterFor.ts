/** Intl.Segmenter by language and granularity, made once each (a segmenter takes a moment to make). */
const segmenters = new Map<string, Intl.Segmenter>();

/** The segmenter of a language's rules (CLDR's breaks); a tag Intl does not take gets the root locale's rules. */
export function segmenterFor(language: string, granularity: 'word' | 'sentence'): Intl.Segmenter {
  const key = `${granularity} ${language}`;
  let segmenter = segmenters.get(key);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(language, { granularity });
    } catch {
      segmenter = new Intl.Segmenter(undefined, { granularity });
    }
    segmenters.set(key, segmenter);
  }
  return segmenter;
}
