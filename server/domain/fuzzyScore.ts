/**
 * How close two source texts are, as translation memories score them: the word-level edit
 * distance (words inserted, deleted or replaced, as OmegaT counts them) over the longer text's
 * words, as a percentage. Words are compared as textSimilarity reads them (letters and digits,
 * lower-cased; punctuation and quotes are not words), so a text that differs only in punctuation
 * or case scores 99, and only the very same text scores 100.
 */
import { wordCodes } from './textSimilarity';

/** The score of `candidate` against `wanted`, 0 to 100 (see above). Below `floor`, 0 is given: the exact figure is not worked out. */
export function fuzzyScore(candidate: string, wanted: string, floor = 0): number {
  if (candidate === wanted) return 100;
  const a = wordCodes(candidate);
  const b = wordCodes(wanted);
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 0;
  // The most words that may differ for the score to round to the floor or more: past it, the
  // distance is not worked out (a band of the table around its diagonal is enough).
  const limit = floor <= 0 ? longer : Math.floor(longer * (1 - (floor - 0.5) / 100));
  const distance = wordDistance(a, b, limit);
  if (distance > limit) return 0;
  return Math.min(99, Math.max(0, Math.round(100 * (1 - distance / longer))));
}

/**
 * The Levenshtein distance between two word sequences, or more than `limit` when it is more:
 * only the cells within `limit` of the diagonal are worked out (Ukkonen's band), two rows at a
 * time, and the work stops once a whole row is past the limit.
 */
export function wordDistance(a: Int32Array, b: Int32Array, limit = Infinity): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return Math.min(Math.abs(n - m), limit + 1);
  if (n === 0 || m === 0) return n + m;
  const k = Math.min(limit, Math.max(n, m));
  const past = k + 1;
  let previous = new Int32Array(m + 2);
  let current = new Int32Array(m + 2);
  for (let j = 0; j <= m + 1; j++) previous[j] = j <= k ? j : past;
  for (let i = 1; i <= n; i++) {
    const low = Math.max(1, i - k);
    const high = Math.min(m, i + k);
    current[0] = i <= k ? i : past;
    current[low - 1] = low === 1 ? current[0] : past;
    let rowMin = low === 1 ? current[0] : past;
    const word = a[i - 1];
    for (let j = low; j <= high; j++) {
      const replace = previous[j - 1] + (word === b[j - 1] ? 0 : 1);
      const remove = previous[j] + 1;
      const insert = current[j - 1] + 1;
      let cell = replace < remove ? (replace < insert ? replace : insert) : remove < insert ? remove : insert;
      if (cell > past) cell = past;
      current[j] = cell;
      if (cell < rowMin) rowMin = cell;
    }
    current[high + 1] = past;
    if (rowMin > k) return past;
    [previous, current] = [current, previous];
  }
  return previous[m] > past ? past : previous[m];
}
