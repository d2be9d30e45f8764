import { pageNumbers } from '../server/http/pageNumbers';
import { sectionOutline } from '../server/domain/sectionOutline';
import type { Section } from '../server/domain/splitSections';

const sections = (n: number): Section[] => Array.from({ length: n }, (_, index) => ({ index, title: `S${index}`, subsections: [], start: index, end: index + 1 }));

test('a short document is one run, shown whole', () => {
  expect(sectionOutline(sections(9), 4)).toEqual([{ first: sections(9)[0], last: sections(9)[8], sections: sections(9) }]);
  expect(sectionOutline([], undefined)).toEqual([]);
});

test('a long one is runs of 25, the current one open; the first when there is none', () => {
  const outline = sectionOutline(sections(801), 410);
  expect(outline).toHaveLength(33);
  expect(outline.filter((g) => g.sections)).toHaveLength(1);
  expect(outline[16].sections?.map((s) => s.index)).toEqual(Array.from({ length: 25 }, (_, i) => 400 + i));
  expect(outline[32]).toEqual({ first: expect.objectContaining({ index: 800 }), last: expect.objectContaining({ index: 800 }) });
  expect(sectionOutline(sections(801), undefined)[0].sections).toHaveLength(25);
});

test('page numbers: the first, the last and two either side of the current one, gaps between', () => {
  expect(pageNumbers(0, 1)).toEqual([0]);
  expect(pageNumbers(2, 5)).toEqual([0, 1, 2, 3, 4]);
  expect(pageNumbers(20, 40)).toEqual([0, undefined, 18, 19, 20, 21, 22, undefined, 39]);
  expect(pageNumbers(0, 40)).toEqual([0, 1, 2, undefined, 39]);
});
