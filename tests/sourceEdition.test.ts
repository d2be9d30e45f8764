/**
 * The clean source edition (source/communard-manifesto.md) must be faithful to
 * the PDF extraction it was made from (tests/fixtures/communard-manifesto.raw.txt).
 *
 * The raw text has its pages out of order and words broken at page ends. Every
 * repair made to build the edition is listed in tests/fixtures/manifesto-joins.json;
 * this test applies exactly those repairs to the raw word stream and then checks
 * that nothing else changed: no word added, dropped, duplicated or altered.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

const RAW_PATH = join(__dirname, 'fixtures', 'communard-manifesto.raw.txt');
const JOINS_PATH = join(__dirname, 'fixtures', 'manifesto-joins.json');
const EDITION_PATH = join(__dirname, '..', 'source', 'communard-manifesto.md');

/** Length of the word runs compared between raw and edition. */
const N = 8;

interface Glued {
  raw: string;
  split: string[];
}
interface Join {
  before: string;
  after: string;
  kind: 'word' | 'sentence' | 'paragraph';
  word?: string;
}
interface JoinsFile {
  glued: Glued[];
  frontMatterInBody: string[];
  joins: Join[];
}

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w.length > 0);

/** Start indexes of every occurrence of `needle` in `hay`. */
function findAll(hay: readonly string[], needle: readonly string[]): number[] {
  const hits: number[] = [];
  for (let i = 0; i + needle.length <= hay.length; i++) {
    if (needle.every((w, k) => hay[i + k] === w)) hits.push(i);
  }
  return hits;
}

/** The single occurrence of `needle`; a repair that matches 0 or 2+ places is ambiguous. */
function findOnce(hay: readonly string[], needle: readonly string[], what: string): number {
  const hits = findAll(hay, needle);
  if (hits.length !== 1) {
    throw new Error(`${what}: "${needle.join(' ')}" found ${hits.length} times, expected exactly once`);
  }
  return hits[0];
}

const key = (ws: readonly string[]): string => ws.join('\u0001');

/** Every run of N consecutive words inside each segment (runs never span segments). */
function runs(segments: readonly (readonly string[])[]): Set<string> {
  const set = new Set<string>();
  for (const seg of segments) {
    for (let i = 0; i + N <= seg.length; i++) set.add(key(seg.slice(i, i + N)));
  }
  return set;
}

function counts(ws: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of ws) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

// ---------------------------------------------------------------- raw text

const rawLines = readFileSync(RAW_PATH, 'utf8').split('\n');
const contentsAt = rawLines.indexOf('Contents');
/** Library header (title, author, date, retrieval line): becomes YAML front matter. */
const rawHeader = rawLines.slice(0, contentsAt).join('\n');
// Contents lines are "title<TAB>page" (blank lines allowed); the body starts at
// the first non-blank line without a tab.
let bodyAt = contentsAt + 1;
while (bodyAt < rawLines.length && (rawLines[bodyAt].trim() === '' || rawLines[bodyAt].includes('\t'))) bodyAt++;
const contentsLines = rawLines.slice(contentsAt + 1, bodyAt).filter((l) => l.trim() !== '');
// List markers ("- ", some with a stray leading space) are markup, not words.
const rawBodyWords = words(
  rawLines
    .slice(bodyAt)
    .map((l) => l.replace(/^\s*-\s+/, ''))
    .join('\n'),
);

// ---------------------------------------------------------------- edition

const edition = readFileSync(EDITION_PATH, 'utf8');
const fmMatch = /^---\n([\s\S]*?)\n---\n/.exec(edition);
const frontMatterText = fmMatch ? fmMatch[1] : '';
const editionBodyLines = edition
  .slice(fmMatch ? fmMatch[0].length : 0)
  .split('\n')
  .filter((l) => l.trim() !== '');
const headings = editionBodyLines.filter((l) => /^#{1,6} /.test(l)).map((l) => l.replace(/^#+ /, ''));
// Edition words with the block (line) each belongs to; '#' and '- ' markup stripped.
const editionWords: string[] = [];
const editionBlockOf: number[] = [];
editionBodyLines.forEach((line, block) => {
  for (const w of words(line.replace(/^#{1,6} /, '').replace(/^- /, ''))) {
    editionWords.push(w);
    editionBlockOf.push(block);
  }
});

// ---------------------------------------------------------------- repairs

const repairs = JSON.parse(readFileSync(JOINS_PATH, 'utf8')) as JoinsFile;

/** A raw word after repair; `cutBefore` marks a place where page order changed. */
interface Slot {
  word: string | null; // null = removed (second half of a rejoined word, or front matter)
  cutBefore: boolean;
}

interface Seam {
  join: Join;
  reordered: boolean; // false: the two pages were already adjacent in the raw
  editionAt: number; // index in editionWords of the first word after the seam
}

function repairRaw(): { slots: Slot[]; seams: Seam[] } {
  // 1. Split tokens in which the extractor glued a page-end fragment to the next page in the file.
  let ws = [...rawBodyWords];
  for (const g of repairs.glued) {
    const i = findOnce(ws, [g.raw], 'glued token');
    ws = [...ws.slice(0, i), ...g.split, ...ws.slice(i + 1)];
  }
  const slots: Slot[] = ws.map((word) => ({ word, cutBefore: false }));
  const live = (): string[] => slots.map((s) => s.word ?? '\u0000');

  // 2. Text moved to the YAML front matter (the translator credit) leaves the body.
  for (const fm of repairs.frontMatterInBody) {
    const fw = words(fm);
    const i = findOnce(live(), fw, 'front matter in body');
    for (let k = i; k < i + fw.length; k++) slots[k].word = null;
    slots[i].cutBefore = true;
    if (i + fw.length < slots.length) slots[i + fw.length].cutBefore = true;
  }

  // 3. Each page join: locate both page edges in the raw and rejoin a split word.
  const seams: Seam[] = [];
  for (const j of repairs.joins) {
    const before = words(j.before);
    const after = words(j.after);
    const b = findOnce(live(), before, 'join "before"') + before.length - 1; // last word of page
    const a = findOnce(live(), after, 'join "after"'); // first word of next page
    const reordered = a !== b + 1;
    if (reordered) {
      // The raw runs across these page edges are not text: cut there.
      if (b + 1 < slots.length) slots[b + 1].cutBefore = true;
      slots[a].cutBefore = true;
    }
    if (j.kind === 'word') {
      if (!j.word) throw new Error(`join "${j.before}" of kind word needs "word"`);
      // The rejoined word must really be the two halves (hyphen dropped).
      expect(slots[b].word!.replace(/-$/, '') + slots[a].word!).toBe(j.word);
      slots[b].word = j.word;
      slots[a].word = null;
    }

    // Where the seam falls in the edition: the two page edges read on, once.
    const editionBefore = j.kind === 'word' ? [...before.slice(0, -1), j.word!] : before;
    const editionAfter = j.kind === 'word' ? after.slice(1) : after;
    const at = findOnce(editionWords, [...editionBefore, ...editionAfter], 'join in edition');
    seams.push({ join: j, reordered, editionAt: at + editionBefore.length });
  }
  return { slots, seams };
}

const { slots, seams } = repairRaw();

/** The repaired raw body as word segments, split where page order changed. */
const rawSegments: string[][] = [];
for (const s of slots) {
  if (s.cutBefore || rawSegments.length === 0) rawSegments.push([]);
  if (s.word !== null) rawSegments[rawSegments.length - 1].push(s.word);
}
const repairedRawWords = rawSegments.flat();

// ---------------------------------------------------------------- tests

describe('source/communard-manifesto.md is faithful to the raw PDF text', () => {
  test('the joins file is in reading order and each join is the kind of break it claims', () => {
    const positions = seams.map((s) => s.editionAt);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    for (const s of seams) {
      const sameBlock = editionBlockOf[s.editionAt - 1] === editionBlockOf[s.editionAt];
      // word/sentence joins continue the paragraph; paragraph joins start a new block.
      expect({ join: s.join.before, sameBlock }).toEqual({ join: s.join.before, sameBlock: s.join.kind !== 'paragraph' });
    }
  });

  test('(1) every 8-word run of the repaired raw body occurs in the edition', () => {
    const editionRuns = runs([editionWords]);
    const missing = [...runs(rawSegments)].filter((r) => !editionRuns.has(r));
    expect(missing.map((r) => r.split('\u0001').join(' '))).toEqual([]);
  });

  test('(2) every 8-word run of the edition occurs in the repaired raw body, except across reordered page seams', () => {
    const rawRuns = runs(rawSegments);
    // Only runs spanning a seam where page order was changed are new text.
    const seamAt = new Set(seams.filter((s) => s.reordered).map((s) => s.editionAt));
    const missing: string[] = [];
    for (let i = 0; i + N <= editionWords.length; i++) {
      let crossesSeam = false;
      for (let k = i + 1; k < i + N; k++) if (seamAt.has(k)) crossesSeam = true;
      const run = editionWords.slice(i, i + N);
      if (!crossesSeam && !rawRuns.has(key(run))) missing.push(run.join(' '));
    }
    expect(missing).toEqual([]);
  });

  test('(3) the edition has exactly the words of the repaired raw body, front matter aside', () => {
    const raw = counts(repairedRawWords);
    const ed = counts(editionWords);
    const diff: string[] = [];
    for (const w of new Set([...raw.keys(), ...ed.keys()])) {
      const r = raw.get(w) ?? 0;
      const e = ed.get(w) ?? 0;
      if (r !== e) diff.push(`${w}: raw ${r}, edition ${e}`);
    }
    expect(diff).toEqual([]);
    expect(editionWords.length).toBe(repairedRawWords.length);
  });

  test('(4) the YAML front matter parses and carries the header metadata', () => {
    expect(fmMatch).not.toBeNull();
    const fm = parse(frontMatterText) as Record<string, unknown>;
    expect(Object.keys(fm).sort()).toEqual(
      ['authors', 'date', 'language', 'license', 'retrieved', 'source', 'title', 'translator'].sort(),
    );
    expect(fm).toEqual({
      title: 'The Communard Manifesto',
      authors: ['Las Indias Cooperative Group'],
      date: '2016-05-09',
      translator: 'Level Translation',
      source: 'https://lasindias.blog/the-communard-manifesto-html',
      retrieved: '2017-07-11',
      license: 'Anti-Copyright',
      language: 'en',
    });
    // Provenance: these values come from the raw header and the credit line.
    expect(rawHeader).toContain('The Communard Manifesto');
    expect(rawHeader).toContain('Las Indias Cooperative Group');
    expect(rawHeader).toContain('9 May 2016');
    expect(rawHeader).toContain('Retrieved on 11 July 2017 from https://lasindias.blog/the-communard-manifesto-html');
    expect(rawHeader).toContain('Anti-Copyright');
    expect(repairs.frontMatterInBody).toEqual(['Translation to English by Level Translation']);
  });

  test('(5) the headings, in order, are the entries of the contents list', () => {
    // Entries wrap when the page-number column is empty; a trailing hyphen
    // there splits a word. Page numbers (partly garbled: "(", "•", "1:") are dropped.
    const entries: string[] = [];
    let pending = '';
    for (const line of contentsLines) {
      const [title, page = ''] = line.split('\t');
      pending = pending === '' ? title : pending.endsWith('-') ? pending.slice(0, -1) + title : `${pending} ${title}`;
      if (page.trim() !== '') {
        entries.push(pending);
        pending = '';
      }
    }
    expect(pending).toBe('');
    // Dot leaders (" .") in the contents and ellipses in the headings are typography.
    const norm = (s: string): string =>
      s
        .replace(/\s+\.$/, '')
        .replace(/\.\.\.|…/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    expect(headings.map(norm)).toEqual(entries.map(norm));
  });

  test('the edition is plain UTF-8 Markdown: one block per line, blank line between blocks', () => {
    expect(edition.endsWith('\n')).toBe(true);
    expect(edition.endsWith('\n\n')).toBe(false);
    expect(edition).not.toMatch(/\n\n\n/);
    expect(edition).not.toMatch(/[ \t]+\n/);
    expect(edition).not.toContain('\r');
  });
});
