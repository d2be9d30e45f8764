import { memoOfTexts, memoOfTextsIn } from '../server/domain/memoOfTexts';
import { sentencesOf, sentencesOfSource } from '../server/domain/sentencesOf';

describe('memoOfTexts', () => {
  it('works a text out once, whatever it gives (undefined included)', () => {
    const seen: string[] = [];
    const memo = memoOfTexts((text) => {
      seen.push(text);
      return text === 'none' ? undefined : text.length;
    });
    expect([memo('abc'), memo('abc'), memo('none'), memo('none'), memo('de')]).toEqual([3, 3, undefined, undefined, 2]);
    expect(seen).toEqual(['abc', 'none', 'de']);
  });

  it('starts over past its size, so it never grows without end', () => {
    const seen: string[] = [];
    const memo = memoOfTexts((text) => seen.push(text), 2);
    for (const text of ['a', 'b', 'a', 'c', 'a']) memo(text);
    // 'c' came with two texts known: they were forgotten, so 'a' was worked out again.
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keeps one memo per language', () => {
    const memo = memoOfTextsIn((text, language) => `${language}:${text}`);
    expect([memo('x', 'fr'), memo('x', 'de'), memo('x', 'fr')]).toEqual(['fr:x', 'de:x', 'fr:x']);
  });

  it('gives a source paragraph the sentences sentencesOf gives it', () => {
    const text = 'Dr. Who came. He left! Did he? Yes.';
    expect(sentencesOfSource(text, 'en')).toEqual(sentencesOf(text, 'en'));
    expect(sentencesOfSource(text, 'en')).toBe(sentencesOfSource(text, 'en'));
  });
});
