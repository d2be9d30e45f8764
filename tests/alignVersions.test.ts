import fc from 'fast-check';
import { alignVersions, type AlignedSegment, type Alignment, type AlignmentLabel } from '../server/domain/alignVersions';
import { assignIds, type KnownSegment } from '../server/domain/assignIds';
import type { MinorEditOptions } from '../server/domain/normaliseMinor';
import type { Block } from '../server/domain/segmentMarkdown';
import type { SegmentKind } from '../server/domain/types';

/** Paragraph blocks from texts. */
function blocks(...texts: string[]): Block[] {
  return texts.map((text) => ({ kind: 'paragraph', text, translatable: true }));
}

/** The sidecar of a version: ids as assignIds gives them. */
function sidecar(version: Block[]): KnownSegment[] {
  return assignIds(version).map(({ id, text }) => ({ id, text }));
}

const labels = (alignment: Alignment): AlignmentLabel[] => alignment.segments.map((s) => s.label);
const ids = (alignment: Alignment): string[] => alignment.segments.map((s) => s.id);

// Distinct paragraphs with no words in common beyond a few function words.
const LAND = 'The land belongs to those who work it, and the harvest is shared among the families of the valley.';
const SEA = 'Fishing boats leave the harbour before dawn; their crews return with nets full of silver mackerel.';
const SKY = 'Over the mountains, thunderclouds gather every afternoon in July and break before nightfall.';
const CITY = 'In the city, cooperatives run bakeries, printing presses and a bicycle repair workshop.';
const BOOKS = 'Libraries lend tools as well as books: drills, ladders, sewing machines and telescopes.';
const MUSIC = 'Musicians rehearse in an old warehouse whose brick walls echo with trumpets and drums.';

describe('alignVersions: one label at a time', () => {
  it('unchanged: same text keeps its id', () => {
    const old = sidecar(blocks(LAND, SEA, SKY));
    const result = alignVersions(blocks(LAND, SEA, SKY), old);
    expect(labels(result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(ids(result)).toEqual(old.map((s) => s.id));
    expect(result.segments.map((s) => s.from)).toEqual(old.map((s) => [s.id]));
    expect(result.deleted).toEqual([]);
    expect(result.counts).toEqual({ unchanged: 3, moved: 0, minor: 0, edited: 0, split: 0, merged: 0, new: 0, deleted: 0 });
  });

  it('moved: a paragraph out of the longest order-preserving chain keeps its id', () => {
    const old = sidecar(blocks(LAND, SEA, SKY, CITY));
    const result = alignVersions(blocks(LAND, SKY, CITY, SEA), old);
    expect(labels(result)).toEqual(['unchanged', 'unchanged', 'unchanged', 'moved']);
    expect(ids(result)).toEqual([old[0].id, old[2].id, old[3].id, old[1].id]);
    expect(result.counts.moved).toBe(1);
  });

  const minorCases: [keyof MinorEditOptions, string, string][] = [
    ['whitespace', 'The  commune\n   is a   choice, not a fate. ', 'The commune is a choice, not a fate.'],
    ['quotes', 'He said \u201Cyes\u201D, she said \u2018no\u2019, they said \u00AB\u202Foui\u202F\u00BB.', 'He said "yes", she said \'no\', they said "oui".'],
    ['dashes', 'Work \u2013 and leisure \u2014 are one \u2012 thing.', 'Work - and leisure - are one - thing.'],
    ['ellipsis', 'And then\u2026 nothing at all happened.', 'And then... nothing at all happened.'],
    ['hyphenation', 'An essen- tial point about communal life.', 'An essential point about communal life.'],
    ['hyphenation', 'An essen-\ntial point about communal life.', 'An essential point about communal life.'],
  ];

  it.each(minorCases)('minor (%s): keeps its id', (_option, before, after) => {
    const old = sidecar(blocks(LAND, before, SEA));
    for (const [from, to] of [
      [old, blocks(LAND, after, SEA)],
      // And the other way round: normalisation applies to both versions.
      [sidecar(blocks(LAND, after, SEA)), blocks(LAND, before, SEA)],
    ] as const) {
      const result = alignVersions(to, from);
      expect(labels(result)).toEqual(['unchanged', 'minor', 'unchanged']);
      expect(ids(result)).toEqual(from.map((s) => s.id));
      expect(result.segments[1].from).toEqual([from[1].id]);
      expect(result.segments[1].text).toBe(to[1].text);
    }
  });

  it.each(minorCases)('minor (%s) turned off: edited, still keeps its id', (option, before, after) => {
    const old = sidecar(blocks(LAND, before, SEA));
    const result = alignVersions(blocks(LAND, after, SEA), old, { minorEdits: { [option]: false } });
    expect(labels(result)).toEqual(['unchanged', 'edited', 'unchanged']);
    expect(ids(result)).toEqual(old.map((s) => s.id));
  });

  it('minor: with every normalisation off only identical texts match', () => {
    const old = sidecar(blocks('\u201CQuoted\u201D \u2014 essen- tial\u2026'));
    const off = { whitespace: false, quotes: false, dashes: false, hyphenation: false, ellipsis: false };
    expect(labels(alignVersions(blocks('"Quoted" - essential...'), old, { minorEdits: off }))).toEqual(['edited']);
    expect(labels(alignVersions(blocks('"Quoted" - essential...'), old))).toEqual(['minor']);
  });

  it('edited: a recognisably same paragraph keeps its id; an unrecognisable one does not', () => {
    const before = 'Communities that share knowledge grow stronger over the years, because every member adds to the common stock.';
    const after = 'Communities that share knowledge grow stronger over the decades, since each member adds to the common stock.';
    const old = sidecar(blocks(LAND, before, SEA));
    const edited = alignVersions(blocks(LAND, after, SEA), old);
    expect(labels(edited)).toEqual(['unchanged', 'edited', 'unchanged']);
    expect(ids(edited)).toEqual(old.map((s) => s.id));

    const rewritten = alignVersions(blocks(LAND, 'Nothing here resembles what stood in this place.', SEA), old);
    expect(labels(rewritten)).toEqual(['unchanged', 'new', 'unchanged']);
    expect(rewritten.deleted).toEqual([old[1]]);
  });

  it('edited: the similarity threshold is configurable', () => {
    const old = sidecar(blocks(LAND, 'Alpha beta gamma delta epsilon zeta.', SEA));
    // Dice 0.5: three words of six kept, three replaced.
    const next = blocks(LAND, 'Alpha beta gamma one two three.', SEA);
    expect(alignVersions(next, old).segments[1].label).toBe('edited');
    expect(alignVersions(next, old, { similarity: 0.6 }).segments[1].label).toBe('new');
  });

  it('split into 2: the first part keeps the id, the second gets a new one, both come from the old segment', () => {
    const whole = 'The assembly met on Monday to discuss the harvest. It decided that the surplus would go to the school.';
    const old = sidecar(blocks(LAND, whole, SEA));
    const result = alignVersions(
      blocks(LAND, 'The assembly met on Monday to discuss the harvest.', 'It decided that the surplus would go to the school.', SEA),
      old,
    );
    expect(labels(result)).toEqual(['unchanged', 'split', 'split', 'unchanged']);
    expect(result.segments[1].id).toBe(old[1].id);
    expect(old.map((s) => s.id)).not.toContain(result.segments[2].id);
    expect(result.segments[1].from).toEqual([old[1].id]);
    expect(result.segments[2].from).toEqual([old[1].id]);
    expect(result.counts.split).toBe(2);
    expect(result.deleted).toEqual([]);
  });

  it('split into 3, with small edits to the parts', () => {
    const whole =
      'First the workshop repaired bicycles for the neighbourhood. Then it began to build cargo bikes for the bakery. Finally it trained apprentices from the technical school.';
    const old = sidecar(blocks(LAND, whole, SEA));
    const result = alignVersions(
      blocks(
        LAND,
        'First the workshop repaired bicycles for the whole neighbourhood.',
        'Then it began to build cargo bikes for the bakery.',
        'Finally, it trained apprentices from the local technical school.',
        SEA,
      ),
      old,
    );
    expect(labels(result)).toEqual(['unchanged', 'split', 'split', 'split', 'unchanged']);
    expect(result.segments[1].id).toBe(old[1].id);
    expect(result.segments.slice(1, 4).map((s) => s.from)).toEqual([[old[1].id], [old[1].id], [old[1].id]]);
    expect(new Set(ids(result)).size).toBe(5);
    expect(result.counts.split).toBe(3);
  });

  it('merged 2: takes the first id and lists both', () => {
    const a = 'The assembly met on Monday to discuss the harvest.';
    const b = 'It decided that the surplus would go to the school.';
    const old = sidecar(blocks(LAND, a, b, SEA));
    const result = alignVersions(blocks(LAND, `${a} ${b}`, SEA), old);
    expect(labels(result)).toEqual(['unchanged', 'merged', 'unchanged']);
    expect(result.segments[1].id).toBe(old[1].id);
    expect(result.segments[1].from).toEqual([old[1].id, old[2].id]);
    expect(result.deleted).toEqual([]);
    expect(result.counts.merged).toBe(1);
  });

  it('merged 3: a paragraph broken across two pages and a footnote call, rejoined', () => {
    const parts = [
      'Cooperatives in the valley pooled their savings to buy',
      'a second-hand tractor, which they lent to each family',
      'in turn during the ploughing season of that first year.',
    ];
    const old = sidecar(blocks(LAND, ...parts, SEA));
    const result = alignVersions(blocks(LAND, parts.join(' '), SEA), old);
    expect(labels(result)).toEqual(['unchanged', 'merged', 'unchanged']);
    expect(result.segments[1].id).toBe(old[1].id);
    expect(result.segments[1].from).toEqual([old[1].id, old[2].id, old[3].id]);
    expect(result.counts).toMatchObject({ merged: 1, deleted: 0, new: 0 });
  });

  it('new: no counterpart gives an id no known segment had', () => {
    const old = sidecar(blocks(LAND, SEA));
    const result = alignVersions(blocks(LAND, CITY, SEA), old);
    expect(labels(result)).toEqual(['unchanged', 'new', 'unchanged']);
    expect(result.segments[1].from).toEqual([]);
    expect(old.map((s) => s.id)).not.toContain(result.segments[1].id);
    expect(result.segments[1].id).toMatch(/^s[0-9a-f]{8}/);
  });

  it('new: an id a known segment had is never reused, even for the same text', () => {
    // The sidecar remembers a segment whose id is exactly what CITY would get: CITY must get another.
    const cityId = assignIds(blocks(CITY))[0].id;
    const old = [...sidecar(blocks(LAND)), { id: cityId, text: 'Something else entirely, long gone.' }];
    const result = alignVersions(blocks(LAND, CITY), old);
    expect(result.segments[1].label).toBe('new');
    expect(result.segments[1].id).not.toBe(cityId);
  });

  it('deleted: old segments with no counterpart are listed with id and text, in order', () => {
    const old = sidecar(blocks(LAND, SEA, SKY, CITY));
    const result = alignVersions(blocks(LAND, CITY), old);
    expect(labels(result)).toEqual(['unchanged', 'unchanged']);
    expect(result.deleted).toEqual([old[1], old[2]]);
    expect(result.counts.deleted).toBe(2);
  });

  it('empty versions: everything new, or everything deleted', () => {
    const old = sidecar(blocks(LAND, SEA));
    const fromNothing = alignVersions(blocks(LAND, SEA), []);
    expect(labels(fromNothing)).toEqual(['new', 'new']);
    expect(ids(fromNothing)).toEqual(old.map((s) => s.id));
    const toNothing = alignVersions([], old);
    expect(toNothing.segments).toEqual([]);
    expect(toNothing.deleted).toEqual(old);
    expect(alignVersions([], []).counts).toEqual({ unchanged: 0, moved: 0, minor: 0, edited: 0, split: 0, merged: 0, new: 0, deleted: 0 });
  });
});

describe('alignVersions: special cases', () => {
  it('duplicated paragraphs are matched in order', () => {
    const old = sidecar(blocks(LAND, SEA, LAND, SKY, LAND));
    const same = alignVersions(blocks(LAND, SEA, LAND, SKY, LAND), old);
    expect(ids(same)).toEqual(old.map((s) => s.id));
    expect(labels(same).every((label) => label === 'unchanged')).toBe(true);

    // One more copy: the first three copies keep their ids in order, the fourth is new.
    const more = alignVersions(blocks(LAND, SEA, LAND, SKY, LAND, LAND), old);
    expect(ids(more).slice(0, 5)).toEqual(old.map((s) => s.id));
    expect(more.segments[5].label).toBe('new');
    expect(new Set(ids(more)).size).toBe(6);

    // One copy fewer: the copy deleted is the one from where it was deleted, and nothing looks moved.
    const fewer = alignVersions(blocks(LAND, SEA, SKY, LAND), old);
    expect(ids(fewer)).toEqual([old[0].id, old[1].id, old[3].id, old[4].id]);
    expect(labels(fewer).every((label) => label === 'unchanged')).toBe(true);
    expect(fewer.deleted).toEqual([old[2]]);

    // Without unique paragraphs to go by, copies pair in document order.
    const onlyCopies = alignVersions(blocks(LAND, LAND), sidecar(blocks(LAND, LAND, LAND)));
    expect(ids(onlyCopies)).toEqual(sidecar(blocks(LAND, LAND)).map((s) => s.id));
  });

  it('a change of kind (paragraph to heading) still matches by text', () => {
    const old = sidecar(blocks('Abundance within reach', LAND));
    const next: Block[] = [{ kind: 'heading', level: 2, text: 'Abundance within reach', translatable: true }, ...blocks(LAND)];
    const result = alignVersions(next, old);
    expect(labels(result)).toEqual(['unchanged', 'unchanged']);
    expect(result.segments[0]).toMatchObject({ id: old[0].id, kind: 'heading', level: 2 });
  });

  it('a paragraph both moved and edited is found beyond the window through its rare word pairs', () => {
    const edited = `${BOOKS.replace('telescopes', 'microscopes')}`;
    const filler = Array.from({ length: 60 }, (_, k) => `Filler paragraph number ${k} about item ${k * 7} of the inventory.`);
    const old = sidecar(blocks(BOOKS, LAND, ...filler, SEA));
    const result = alignVersions(blocks(LAND, ...filler, SEA, edited), old, { window: 2 });
    const last = result.segments[result.segments.length - 1];
    expect(last).toMatchObject({ label: 'edited', id: old[0].id, from: [old[0].id] });
    expect(result.counts).toMatchObject({ edited: 1, new: 0, deleted: 0 });
  });

  it('edits after a long insertion are found from the end of the gap', () => {
    const inserted = Array.from({ length: 50 }, (_, k) => `Inserted note ${k}: a new remark on topic ${k * 13}.`);
    const old = sidecar(blocks(LAND, SKY, SEA));
    const result = alignVersions(blocks(LAND, ...inserted, SKY.replace('July', 'August'), SEA), old, { window: 3 });
    expect(result.segments[51]).toMatchObject({ label: 'edited', id: old[1].id });
    expect(result.counts).toMatchObject({ new: 50, edited: 1, deleted: 0 });
  });

  it('a combined document exercises every label at once', () => {
    const splitWhole = 'The assembly met on Monday to discuss the harvest. It decided that the surplus would go to the school.';
    const mergeA = 'Cooperatives in the valley pooled their savings to buy';
    const mergeB = 'a second-hand tractor, which they lent to each family in turn.';
    const editedBefore = 'Communities that share knowledge grow stronger over the years, because every member adds to the common stock.';
    const editedAfter = 'Communities that share knowledge grow stronger over the decades, since each member adds to the common stock.';
    const oldBlocks: Block[] = [
      { kind: 'heading', level: 1, text: 'The dilemma of our time', translatable: true },
      ...blocks(LAND, SEA, splitWhole, mergeA, mergeB, 'A \u201Cquoted\u201D word \u2014 and more\u2026', editedBefore, SKY, 'This paragraph will be removed in the next edition.', CITY),
    ];
    const old = sidecar(oldBlocks);
    const newBlocks: Block[] = [
      ...blocks('The dilemma of our time'), // heading became a paragraph
      ...blocks(LAND, CITY), // CITY moved up
      ...blocks('The assembly met on Monday to discuss the harvest.', 'It decided that the surplus would go to the school.'),
      ...blocks(`${mergeA} ${mergeB}`, 'A "quoted" word - and more...', MUSIC, editedAfter, SKY),
    ];
    const result = alignVersions(newBlocks, old);
    expect(labels(result)).toEqual(['unchanged', 'unchanged', 'moved', 'split', 'split', 'merged', 'minor', 'new', 'edited', 'unchanged']);
    expect(result.segments[0].kind).toBe('paragraph');
    expect(result.segments[2].id).toBe(old[10].id);
    expect(result.segments[5].from).toEqual([old[4].id, old[5].id]);
    expect(result.deleted.map((s) => s.text)).toEqual([SEA, 'This paragraph will be removed in the next edition.']);
    expect(result.counts).toEqual({ unchanged: 3, moved: 1, minor: 1, edited: 1, split: 2, merged: 1, new: 1, deleted: 2 });
    checkInvariants(result, newBlocks, old);
  });
});

/**
 * What every alignment must satisfy: each old id is accounted for exactly once (carried by one segment, or
 * by the consecutive parts of one split, or deleted); ids are unique; an id is either the one carried over
 * or one no known segment had; labels agree with `from` and with the counts.
 */
function checkInvariants(result: Alignment, next: Block[], old: KnownSegment[]): void {
  const oldIds = new Set(old.map((s) => s.id));
  const { segments, deleted } = result;
  expect(segments.map((s) => s.text)).toEqual(next.map((b) => b.text));
  expect(new Set(segments.map((s) => s.id)).size).toBe(segments.length);
  for (const { id } of old) {
    const carriers = segments.map((s, n) => (s.from.includes(id) ? n : -1)).filter((n) => n >= 0);
    const gone = deleted.filter((s) => s.id === id).length;
    expect(carriers.length + gone).toBeGreaterThan(0);
    if (carriers.length === 0) expect(gone).toBe(1);
    else expect(gone).toBe(0);
    if (carriers.length > 1) {
      // Only the parts of one split share an origin: consecutive, the first keeping the id.
      expect(carriers.every((n) => segments[n].label === 'split')).toBe(true);
      expect(carriers[carriers.length - 1] - carriers[0]).toBe(carriers.length - 1);
      expect(segments[carriers[0]].id).toBe(id);
    }
  }
  const counts: Record<string, number> = { unchanged: 0, moved: 0, minor: 0, edited: 0, split: 0, merged: 0, new: 0, deleted: deleted.length };
  segments.forEach((segment: AlignedSegment, n) => {
    counts[segment.label]++;
    if (segment.label === 'new') expect(segment.from).toEqual([]);
    else if (segment.label === 'merged') expect(segment.from.length).toBeGreaterThan(1);
    else expect(segment.from.length).toBe(1);
    const laterPart = segment.label === 'split' && n > 0 && segments[n - 1].label === 'split' && segments[n - 1].from[0] === segment.from[0];
    if (segment.label === 'new' || laterPart) expect(oldIds.has(segment.id)).toBe(false);
    else expect(segment.id).toBe(segment.from[0]);
  });
  expect(result.counts).toEqual(counts);
}

// Random documents. A small vocabulary makes paragraphs resemble each other, which is what stresses the
// similarity stages; the per-paragraph vocabulary below makes them unrelated, for exact expectations.
const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa');
const text = fc.array(word, { minLength: 1, maxLength: 10 }).map((words) => words.join(' '));
const kind = fc.constantFrom<SegmentKind>('paragraph', 'heading', 'list-item');
const toBlocks = (texts: string[], kinds: SegmentKind[] = []): Block[] =>
  texts.map((text, k) => ({ kind: kinds[k % Math.max(1, kinds.length)] ?? 'paragraph', text, translatable: true }));

/** Paragraph k of a document whose paragraphs share no word with one another. */
const unrelated = (k: number, words: string[]): string => words.map((w) => `${w}${k}`).join(' ');

describe('alignVersions (property tests)', () => {
  it('(a) a document aligned with itself is all unchanged, with the same ids (repeats included)', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), fc.array(kind, { maxLength: 5 }), (texts, kinds) => {
        const version = toBlocks(texts, kinds);
        const old = sidecar(version);
        const result = alignVersions(version, old);
        expect(ids(result)).toEqual(old.map((s) => s.id));
        expect(labels(result).every((label) => label === 'unchanged')).toBe(true);
        expect(result.deleted).toEqual([]);
      }),
    );
  });

  it('(b) moving paragraphs keeps every id, labels them moved or unchanged, adds and deletes nothing', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(text, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
        (texts, moves) => {
          const old = sidecar(toBlocks(texts));
          const idOf = new Map(old.map((s) => [s.text, s.id]));
          const next = [...texts];
          for (const [from, to] of moves) {
            const [moved] = next.splice(from % next.length, 1);
            next.splice(to % (next.length + 1), 0, moved);
          }
          const result = alignVersions(toBlocks(next), old);
          for (const segment of result.segments) {
            expect(segment.id).toBe(idOf.get(segment.text));
            expect(['moved', 'unchanged']).toContain(segment.label);
          }
          expect(result.counts.new).toBe(0);
          expect(result.deleted).toEqual([]);
          // Moving nothing, or putting things back, moves nothing.
          if (next.every((t, k) => t === texts[k])) expect(result.counts.moved).toBe(0);
        },
      ),
    );
  });

  it('(c) inserting and deleting paragraphs: the others keep their ids, inserted ones are new, deleted ones are listed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.array(word, { minLength: 1, maxLength: 8 })), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (paragraphs, inserts, deletes) => {
          const texts = paragraphs.map((words, k) => unrelated(k, words));
          const old = sidecar(toBlocks(texts));
          const next = texts.map((t, k) => ({ text: t, origin: k as number | undefined }));
          const removed = new Set<number>();
          for (const at of deletes) {
            if (next.length === 0) break;
            const [gone] = next.splice(at % next.length, 1);
            if (gone.origin !== undefined) removed.add(gone.origin);
          }
          inserts.forEach(([at, words], k) => next.splice(at % (next.length + 1), 0, { text: unrelated(1000 + k, words), origin: undefined }));

          const result = alignVersions(toBlocks(next.map((n) => n.text)), old);
          result.segments.forEach((segment, n) => {
            const origin = next[n].origin;
            if (origin === undefined) {
              expect(segment.label).toBe('new');
              expect(old.map((s) => s.id)).not.toContain(segment.id);
            } else {
              expect(segment).toMatchObject({ label: 'unchanged', id: old[origin].id });
            }
          });
          expect(result.deleted).toEqual(old.filter((_, k) => removed.has(k)));
        },
      ),
    );
  });

  // Random edit scripts over similar paragraphs: every kind of change, in any combination.
  const edit = fc.oneof(
    fc.record({ op: fc.constant('edit' as const), at: fc.nat(), word }),
    fc.record({ op: fc.constant('split' as const), at: fc.nat(), cut: fc.nat() }),
    fc.record({ op: fc.constant('merge' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('move' as const), at: fc.nat(), to: fc.nat() }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('typography' as const), at: fc.nat() }),
  );
  type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

  function applyEdits(texts: string[], edits: Edit[]): string[] {
    const next = [...texts];
    for (const e of edits) {
      if (next.length === 0 && e.op !== 'insert') continue;
      const at = e.at % Math.max(1, next.length);
      const words = next[at]?.split(' ') ?? [];
      switch (e.op) {
        case 'edit':
          words[e.at % words.length] = e.word;
          next[at] = words.join(' ');
          break;
        case 'split': {
          if (words.length < 2) break;
          const cut = 1 + (e.cut % (words.length - 1));
          next.splice(at, 1, words.slice(0, cut).join(' '), words.slice(cut).join(' '));
          break;
        }
        case 'merge':
          if (at + 1 < next.length) next.splice(at, 2, `${next[at]} ${next[at + 1]}`);
          break;
        case 'move': {
          const [moved] = next.splice(at, 1);
          next.splice(e.to % (next.length + 1), 0, moved);
          break;
        }
        case 'insert':
          next.splice(e.at % (next.length + 1), 0, e.text);
          break;
        case 'delete':
          next.splice(at, 1);
          break;
        case 'duplicate':
          next.splice(at, 0, next[at]);
          break;
        case 'typography':
          next[at] = `\u201C${next[at]}\u201D \u2014`;
          break;
      }
    }
    return next;
  }

  it('(d) every old id is accounted for exactly once, and ids are unique, whatever the edits', () => {
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 30 }),
        fc.array(edit, { maxLength: 12 }),
        fc.array(kind, { maxLength: 4 }),
        fc.record({ window: fc.integer({ min: 0, max: 25 }), similarity: fc.constantFrom(0.3, 0.5, 0.8) }),
        (texts, edits, kinds, options) => {
          const old = sidecar(toBlocks(texts));
          const next = toBlocks(applyEdits(texts, edits), kinds);
          checkInvariants(alignVersions(next, old, options), next, old);
        },
      ),
      { numRuns: 300 },
    );
  });
});
