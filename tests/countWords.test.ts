import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countWords } from '../server/domain/countWords';
import { REPO_ROOT } from './helpers/project';

function segmenterCount(text: string, language: string): number {
  let n = 0;
  for (const part of new Intl.Segmenter(language, { granularity: 'word' }).segment(text)) if (part.isWordLike) n++;
  return n;
}

describe('countWords', () => {
  it('counts words of space-separated languages', () => {
    expect(countWords('Never before in History — of humanity!', 'en')).toBe(6);
    expect(countWords("It's the '90s: don't stop.", 'en')).toBe(5);
    expect(countWords('¿Dónde está el niño?', 'es')).toBe(4);
    expect(countWords('', 'en')).toBe(0);
  });

  it('agrees with Intl.Segmenter on every paragraph of the manifesto', () => {
    const text = readFileSync(path.join(REPO_ROOT, 'source', 'communard-manifesto.md'), 'utf8');
    for (const paragraph of text.split('\n\n')) expect(countWords(paragraph, 'en')).toBe(segmenterCount(paragraph, 'en'));
  });

  it('counts in one pass exactly as the word pattern does, whatever the text', () => {
    const PATTERN = /[\p{L}\p{M}\p{N}]+(?:(?:['’.]|(?<=\p{N}),(?=\p{N}))[\p{L}\p{M}\p{N}]+)*/gu;
    const alphabet = fc.constantFrom('a', 'Z', '7', '0', ' ', "'", '’', '.', ',', '-', '\n', '!', 'é', '—', '😀', 'ß', '٣', '\u0301', '“', '\u00a0', '½');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(countWords(text, 'en')).toBe(text.match(PATTERN)?.length ?? 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('uses a real word segmenter for languages written without spaces', () => {
    expect(countWords('我们的时代的困境', 'zh')).toBe(segmenterCount('我们的时代的困境', 'zh'));
    expect(countWords('我们的时代的困境', 'zh')).toBeGreaterThan(1);
  });
});
