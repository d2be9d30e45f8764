import { carryWordCounts, knownWordCounts, wordCountsOf } from '../server/domain/computeProgress';
import { countWords } from '../server/domain/countWords';
import type { Segment } from '../server/domain/types';

// A new version of a document takes the word counts known of the paragraphs of the one before with
// the same text, and counts the others when asked.

const paragraph = (id: string, text: string): Segment => ({ id, kind: 'paragraph', text, translatable: true });

test('a new version takes the counts known of paragraphs with the same text, and counts only the others', () => {
  const before = { meta: { language: 'en' }, segments: [paragraph('a', 'One two three.'), paragraph('b', 'Four five.'), paragraph('c', 'Not counted yet.')] };
  // Known as another process counted them (planted, to see that they are taken and not counted again).
  knownWordCounts(before.segments.slice(0, 2), [30, 20]);
  const after = { meta: { language: 'en' }, segments: [paragraph('b', 'Four five.'), paragraph('n', 'A new paragraph here.'), paragraph('a', 'One two three.'), paragraph('c', 'Not counted yet.')] };
  carryWordCounts(before, after);
  expect(wordCountsOf(after.segments, 'en')).toEqual([20, countWords('A new paragraph here.', 'en'), 30, countWords('Not counted yet.', 'en')]);
});

test('counts are not carried to a version in another language', () => {
  const before = { meta: { language: 'en' }, segments: [paragraph('a', 'One two three.')] };
  knownWordCounts(before.segments, [30]);
  const after = { meta: { language: 'fr' }, segments: [paragraph('a', 'One two three.')] };
  carryWordCounts(before, after);
  expect(wordCountsOf(after.segments, 'fr')).toEqual([countWords('One two three.', 'fr')]);
});
