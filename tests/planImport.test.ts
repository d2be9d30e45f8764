import type { InterchangeFile, InterchangeUnit } from '../server/domain/interchange';
import { planImport } from '../server/domain/planImport';
import type { Segment, Unit } from '../server/domain/types';

const segments: Segment[] = [
  { id: 'a', kind: 'heading', level: 1, text: 'First part', translatable: true },
  { id: 'b', kind: 'paragraph', text: 'A paragraph.', translatable: true },
  { id: 'c', kind: 'paragraph', text: 'Again.', translatable: true },
  { id: 'd', kind: 'paragraph', text: 'Again.', translatable: true },
  { id: 'e', kind: 'code', text: 'code', translatable: false },
];

const here = (id: string, fields: Partial<Unit>): [string, Unit] => [id, { id, source: segments.find((s) => s.id === id)!.text, approved: false, revision: 1, notes: [], ...fields }];
const file = (units: Partial<InterchangeUnit>[]): InterchangeFile => ({
  version: '1.2',
  units: units.map((u) => ({ id: 'x', source: '', status: 'translated', notes: [], contexts: [], ...u })),
  skipped: [],
});

describe('planImport', () => {
  it('sorts units into new, changed, unchanged, unknown and empty', () => {
    const units = new Map([here('a', { target: 'Primera parte', state: 'translated' }), here('b', { target: 'Un párrafo.', state: 'translated' })]);
    const plan = planImport(segments, units, file([
      { id: 'a', source: 'First part', target: 'Primera parte' },
      { id: 'b', source: 'A paragraph.', target: 'Un párrafo distinto.' },
      { id: 'zz', source: 'Nowhere here.', target: 'En ningún sitio.', line: 9 },
      { id: 'e', source: 'code', target: 'código' },
      { id: 'q', source: 'Again.' },
    ]));
    expect(plan.unchanged).toBe(1);
    expect(plan.changed).toEqual([expect.objectContaining({ segment: 'b', before: 'Un párrafo.', target: 'Un párrafo distinto.', baseRevision: 1 })]);
    // A code block is not translatable: its unit is unknown here, like any other.
    expect(plan.unknown).toEqual([{ id: 'zz', source: 'Nowhere here.', line: 9 }, { id: 'e', source: 'code' }]);
    expect(plan.emptyInFile).toBe(1);
    expect(plan.newTranslations).toEqual([]);
  });

  it('takes no translation longer than a save may be (20,000 characters): it is listed as skipped, with the reason', () => {
    const long = 'x'.repeat(100_000);
    const plan = planImport(segments, new Map(), file([
      { id: 'b', source: 'A paragraph.', target: long },
      { id: 'a', source: 'First part', target: 'y'.repeat(20_000) },
    ]));
    expect(plan.skipped).toEqual([{ id: 'b', reason: 'its translation has 100000 characters; a translation may have at most 20000' }]);
    expect(plan.newTranslations.map((c) => c.segment)).toEqual(['a']);
  });

  it('matches by source text every paragraph with that text when the id is unknown', () => {
    const plan = planImport(segments, new Map(), file([{ id: '7', source: 'Again.', target: 'Otra vez.' }]));
    expect(plan.newTranslations.map((c) => [c.segment, c.matchedBy])).toEqual([
      ['c', 'source'],
      ['d', 'source'],
    ]);
  });

  it('conflicts: saved here since the export, approved here (file without revisions), twice in the file', () => {
    const units = new Map([here('a', { target: 'Primera parte', revision: 4 }), here('b', { target: 'Un párrafo.', approved: true, state: 'signed-off' })]);
    const ours = planImport(segments, units, file([{ id: 'a', source: 'First part', target: 'Parte primera', revision: 3 }]));
    expect(ours.conflicts).toEqual([expect.objectContaining({ segment: 'a', reason: 'edited-here', here: 'Primera parte', theirs: 'Parte primera' })]);
    const theirs = planImport(segments, units, file([{ id: '1', source: 'A paragraph.', target: 'Otro párrafo.' }, { id: 'b', source: 'A paragraph.', target: 'Y otro.' }]));
    expect(theirs.conflicts.map((c) => c.reason)).toEqual(['approved-here', 'twice-in-file']);
    // A revision the file knows of: the exported translation is replaced as any other.
    const current = planImport(segments, units, file([{ id: 'a', source: 'First part', target: 'Parte primera', revision: 4 }]));
    expect(current.changed.map((c) => c.segment)).toEqual(['a']);
  });

  it('keeps a translation made from an older source as made from it; the same words never undo a current translation', () => {
    const units = new Map([here('b', { target: 'Un párrafo.', state: 'translated', revision: 3 })]);
    const older = planImport(segments, new Map(), file([{ id: 'b', source: 'A paragraph, before.', target: 'Un párrafo, antes.' }]));
    expect(older.newTranslations[0]).toMatchObject({ segment: 'b', madeFrom: 'A paragraph, before.', source: 'A paragraph.' });
    const same = planImport(segments, units, file([{ id: 'b', source: 'A paragraph, before.', target: 'Un párrafo.', revision: 2 }]));
    expect(same).toMatchObject({ unchanged: 1, changed: [], conflicts: [] });
  });
});
