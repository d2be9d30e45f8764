import { similarParagraphs } from '../server/domain/similarParagraphs';
import type { Segment } from '../server/domain/types';

const paragraph = (id: string, text: string, translatable = true): Segment => ({ id, kind: 'paragraph', text, translatable }) as Segment;

describe('similarParagraphs', () => {
  const now = [
    paragraph('a', 'The commune held the town hall for seventy-two days.'),
    paragraph('b', 'Workers of the commune took the town hall in the evening, and held it.'),
    paragraph('c', 'Nothing alike at all.'),
    paragraph('d', 'code the commune', false),
  ];
  it('ranks the paragraphs most like a deleted one first, leaves out those sharing no word and those not to translate', () => {
    const found = similarParagraphs('The workers of the commune took the town hall in the evening.', now);
    expect(found.map((f) => f.segment.id)).toEqual(['b', 'a']);
    expect(found[0].score).toBeGreaterThan(found[1].score);
    expect(found[0].score).toBeLessThanOrEqual(1);
  });
  it('finds nothing for a text without words, and at most the number asked for', () => {
    expect(similarParagraphs('— … —', now)).toEqual([]);
    expect(similarParagraphs('the commune', now, 1)).toHaveLength(1);
  });
});
