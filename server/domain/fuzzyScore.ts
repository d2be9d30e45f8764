/**
 * How close two source texts are, as translation memories score them: the word-level edit
 * distance (words inserted, deleted or replaced, as OmegaT counts them) over the longer text's
 * words, as a percentage. Words are compared as textSimilarity reads them (letters and digits,
 * lower-cased; punctuation and quotes are not words), so a text that differs only in punctuation
 * or case scores 99, and only the very same text scores 100.
 */
import { wordCodes } from './textSimilarity';

/** The score of `candidate` against `wanted`, 0 to 100 (see above). Below `floor`, any lower value may be given: the exact figure is not worked out. */
export function fuzzyScore(candidate: string, wanted: string, floor = 0): number {
  if (candidate === wanted) return 100;
  const a = wordCodes(candidate);
  const b = wordCodes(wanted);
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 0;
  // The distance is at least the difference in length: past the floor already, no need to count.
  const bound = Math.floor(longer * (1 - floor / 100));
  if (Math.abs(a.length - b.length) > bound) return 0;
  const distance = wordDistance(a, b);
  return Math.min(99, Math.max(0, Math.round(100 * (1 - distance / longer))));
}

/** The Levenshtein distance between two word sequences (two rows, O(n·m) time, O(m) memory). */
export function wordDistance(a: Int32Array, b: Int32Array): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const word = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const replace = previous[j - 1] + (word === b[j - 1] ? 0 : 1);
      const remove = previous[j] + 1;
      const insert = current[j - 1] + 1;
      current[j] = replace < remove ? (replace < insert ? replace : insert) : remove < insert ? remove : insert;
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}
