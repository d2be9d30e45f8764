import { mergeLocaleFiles } from '../server/domain/mergeLocaleFiles';
import type { LocaleFile, Unit } from '../server/domain/types';
import { conflictMarkerLine, mergeXliff12 } from '../server/formats/mergeXliff12';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { isWorkbenchError } from '../server/errors';

const unit = (id: string, target?: string, revision = 0, extra: Partial<Unit> = {}): Unit => ({ id, source: `Source ${id}.`, target, state: target ? 'translated' : undefined, approved: false, revision, notes: [], ...extra });
const file = (...units: Unit[]): LocaleFile => ({ document: 'doc', sourceLanguage: 'en', targetLanguage: 'es', units });
const targets = (f: LocaleFile) => Object.fromEntries(f.units.map((u) => [u.id, u.target ?? null]));

describe('mergeLocaleFiles: a three-way merge by paragraph', () => {
  const base = file(unit('s1'), unit('s2'), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 1));

  it('takes each side\'s changes to different paragraphs, with no conflict', () => {
    const ours = file(unit('s1', 'Uno.', 1), unit('s2'), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 1));
    const theirs = file(unit('s1'), unit('s2', 'Dos.', 1), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 2, { approved: true, state: 'signed-off' }));
    const { merged, conflicts } = mergeLocaleFiles(base, ours, theirs, 'ours');
    expect(conflicts).toEqual([]);
    expect(targets(merged)).toEqual({ s1: 'Uno.', s2: 'Dos.', s3: 'Tres.', s4: 'Cuatro.' });
    expect(merged.units.find((u) => u.id === 's4')?.approved).toBe(true);
  });

  it('merges the same change made on both sides cleanly', () => {
    const both = file(unit('s1', 'Uno.', 1), unit('s2'), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 1));
    expect(mergeLocaleFiles(base, both, both, 'theirs').conflicts).toEqual([]);
  });

  it('keeps the later text of a paragraph both sides changed (the higher revision, then the later side) and returns the other', () => {
    const ours = file(unit('s1'), unit('s2'), unit('s3', 'Tres, nuestro.', 3), unit('s4', 'Cuatro.', 1));
    const theirs = file(unit('s1'), unit('s2'), unit('s3', 'Tres, suyo.', 2), unit('s4', 'Cuatro.', 1));
    const byRevision = mergeLocaleFiles(base, ours, theirs, 'theirs');
    expect(targets(byRevision.merged).s3).toBe('Tres, nuestro.');
    expect(byRevision.conflicts).toEqual([expect.objectContaining({ unit: 's3', kept: 'ours', other: expect.objectContaining({ target: 'Tres, suyo.' }) })]);
    // The kept unit's revision is above both: the next save of either side is newer.
    expect(byRevision.merged.units.find((u) => u.id === 's3')?.revision).toBe(4);
    const tie = mergeLocaleFiles(base, ours, file(unit('s1'), unit('s2'), unit('s3', 'Tres, suyo.', 3), unit('s4', 'Cuatro.', 1)), 'theirs');
    expect(targets(tie.merged).s3).toBe('Tres, suyo.');
    expect(tie.conflicts[0]).toMatchObject({ kept: 'theirs', other: { target: 'Tres, nuestro.' } });
  });

  it('never loses a translation to a deletion on the other side, and takes a deletion of an unchanged paragraph', () => {
    const ours = file(unit('s1'), unit('s2'), unit('s3', 'Tres, cambiado.', 2));
    const theirs = file(unit('s1'), unit('s2'), unit('s4', 'Cuatro.', 1));
    const { merged } = mergeLocaleFiles(base, ours, theirs, 'ours');
    expect(targets(merged)).toEqual({ s1: null, s2: null, s3: 'Tres, cambiado.' });
    expect(merged.removeUnits).toBeUndefined();
  });

  it('takes a book\'s worth of new paragraphs from their side, in their order', () => {
    const added = Array.from({ length: 50_000 }, (_, k) => unit(`n${k}`, `Nuevo ${k}.`, 1));
    const theirs = file(unit('s1'), ...added, unit('s2'), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 1));
    const { merged } = mergeLocaleFiles(base, base, theirs, 'ours');
    expect(merged.units.map((u) => u.id)).toEqual(theirs.units.map((u) => u.id));
  });

  it('places paragraphs only they have after the paragraph they follow in their file', () => {
    const theirs = file(unit('s1'), unit('s1b', 'Nuevo.', 1), unit('s2'), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 1));
    const { merged } = mergeLocaleFiles(base, base, theirs, 'ours');
    expect(merged.units.map((u) => u.id)).toEqual(['s1', 's1b', 's2', 's3', 's4']);
  });
});

describe('mergeXliff12: the merge of the files themselves', () => {
  const bytes = (f: LocaleFile) => buildXliff12(f, { file: 'x.xlf' }).bytes;
  const base = file(unit('s1'), unit('s2'));

  it('writes the merged file as the workbench writes it', () => {
    const result = mergeXliff12(bytes(base), bytes(file(unit('s1', 'Uno.', 1), unit('s2'))), bytes(file(unit('s1'), unit('s2', 'Dos & más <b>.', 1))), 'locales/es/doc.xlf', 'ours');
    const text = Buffer.from(result.bytes).toString('utf8');
    expect(text).toContain('Uno.');
    expect(text).toContain('Dos &amp; más &lt;b&gt;.');
    expect(result.conflicts).toEqual([]);
  });

  it('refuses a side holding a conflict marker, naming the file and line', () => {
    const marked = Buffer.from(Buffer.from(bytes(base)).toString('utf8').replace('<body>', '<body>\n<<<<<<< HEAD'));
    let caught: unknown;
    try {
      mergeXliff12(bytes(base), marked, bytes(base), 'locales/es/doc.xlf', 'ours');
    } catch (err) {
      caught = err;
    }
    expect(isWorkbenchError(caught) && caught.code).toBe('git-conflict-marker');
    expect((caught as Error).message).toMatch(/^locales\/es\/doc\.xlf, line \d+: a git conflict marker/);
  });

  it('finds conflict markers only at the start of a line, as git writes them', () => {
    const line = (text: string): number | undefined => conflictMarkerLine(Buffer.from(text, 'utf8'));
    expect(line('a\nb <<<<<<< c\n')).toBeUndefined();
    expect(line('a\n=======\n')).toBe(2);
    expect(line('a\nb\n>>>>>>> theirs\n')).toBe(3);
    // First in the file, whichever marker; at the very end; after a CRLF line end.
    expect(line('<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n')).toBe(1);
    expect(line('é\nà\n=======')).toBe(3);
    expect(line('a\r\n<<<<<<<\r\n')).toBe(2);
    // Not markers: eight of them, text after `=======`, no space after `<<<<<<<`.
    expect(line('a\n<<<<<<<<\n========\n======= x\n>>>>>>>x\n')).toBeUndefined();
    // A marker after lines that only look like one.
    expect(line('a\n======= x\n<<<<<<<<\nb\n>>>>>>> theirs\n')).toBe(5);
  });
});
