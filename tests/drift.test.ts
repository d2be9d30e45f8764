import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkbench } from '../server/application/createWorkbench';
import type { Workbench } from '../server/application/workbench';
import { makeProject, type TestProject } from './helpers/project';
import { validateXliff12 } from './helpers/xmllint';

const V1 = [
  '# Title',
  'Alpha paragraph stays exactly the same in every version of this text.',
  'Bravo paragraph will move to the end of the document later on.',
  'Charlie paragraph has "straight quotes" and a double  space here.',
  'Delta paragraph will be edited: the editor rewrites one clause of it entirely.',
  'Echo paragraph is long and will be split into two. Its second sentence becomes a paragraph of its own.',
  'Foxtrot is the first half of a pair that will merge.',
  'Golf is the second half of that pair, joined to the first.',
  'Hotel paragraph will be deleted in the next version of the text.',
  'Juliet paragraph closes the text and stays as it is.',
  'Kilo paragraph is the very last one and stays as well.',
].join('\n\n') + '\n';

const V2 = [
  '# Title',
  'Alpha paragraph stays exactly the same in every version of this text.',
  'Charlie paragraph has “straight quotes” and a double space here.',
  'Delta paragraph will be edited: the author rewrote a whole clause of it.',
  'Echo paragraph is long and will be split into two.',
  'Its second sentence becomes a paragraph of its own.',
  'Foxtrot is the first half of a pair that will merge. Golf is the second half of that pair, joined to the first.',
  'India is a brand new paragraph.',
  'Juliet paragraph closes the text and stays as it is.',
  'Kilo paragraph is the very last one and stays as well.',
  'Bravo paragraph will move to the end of the document later on.',
].join('\n\n') + '\n';

let project: TestProject;
let workbench: Workbench;

beforeEach(() => {
  project = makeProject({ 'doc.md': V1 });
  workbench = createWorkbench(project.dir);
});
afterEach(() => project.cleanup());

async function translateAll(lang = 'es'): Promise<Map<string, string>> {
  await workbench.startLocale('doc', lang);
  const { segments } = await workbench.listSegments('doc', lang, { limit: 1000 });
  const byText = new Map<string, string>();
  for (const s of segments) {
    await workbench.translations.saveTarget('doc', lang, s.id, { target: `ES(${s.source})`, baseRevision: 0 });
    byText.set(s.source, s.id);
  }
  return byText;
}

async function segmentsByText(lang = 'es') {
  const { segments } = await workbench.listSegments('doc', lang, { limit: 1000 });
  return new Map(segments.map((s) => [s.source, s]));
}

describe('updating a source: every label and what it does to translations', () => {
  it('keeps, drifts, pre-fills, joins, adds and archives as the alignment says', async () => {
    const ids = await translateAll();
    const report = await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md', who: 'an editor' });
    expect(report.changed).toBe(true);
    expect(report.version).toMatchObject({ number: 2, who: 'an editor' });
    expect(report.version.counts).toMatchObject({ unchanged: 4, moved: 1, minor: 1, edited: 1, split: 2, merged: 1, new: 1, deleted: 1 });

    const after = await segmentsByText();
    // unchanged and moved: same id, translation untouched, current
    expect(after.get('Alpha paragraph stays exactly the same in every version of this text.')).toMatchObject({ id: ids.get(V1.split('\n\n')[1]), state: 'translated' });
    expect(after.get('Bravo paragraph will move to the end of the document later on.')).toMatchObject({
      id: ids.get('Bravo paragraph will move to the end of the document later on.'),
      state: 'translated',
      target: 'ES(Bravo paragraph will move to the end of the document later on.)',
    });
    // minor: same id, translation still current
    expect(after.get('Charlie paragraph has “straight quotes” and a double space here.')).toMatchObject({
      id: ids.get('Charlie paragraph has "straight quotes" and a double  space here.'),
      state: 'translated',
    });
    // edited: same id, drifted, with the diff from the old source
    const delta = after.get('Delta paragraph will be edited: the author rewrote a whole clause of it.');
    expect(delta).toMatchObject({ id: ids.get('Delta paragraph will be edited: the editor rewrites one clause of it entirely.'), state: 'drifted' });
    expect(delta?.drift?.previousSource).toBe('Delta paragraph will be edited: the editor rewrites one clause of it entirely.');
    const removed = delta?.drift?.diff.filter((p) => p.removed).map((p) => p.value).join('|');
    const added = delta?.drift?.diff.filter((p) => p.added).map((p) => p.value).join('|');
    expect(removed).toBe('editor rewrites one| entirely');
    expect(added).toBe('author rewrote a whole');
    // split: first part keeps the id, both parts pre-filled with the old translation, drifted
    const echo = 'Echo paragraph is long and will be split into two. Its second sentence becomes a paragraph of its own.';
    const part1 = after.get('Echo paragraph is long and will be split into two.');
    const part2 = after.get('Its second sentence becomes a paragraph of its own.');
    expect(part1).toMatchObject({ id: ids.get(echo), state: 'drifted', target: `ES(${echo})` });
    expect(part2).toMatchObject({ state: 'drifted', target: `ES(${echo})` });
    expect(part2?.id).not.toBe(ids.get(echo));
    // merged: the translations joined in order, drifted, the id of the first
    const merged = after.get('Foxtrot is the first half of a pair that will merge. Golf is the second half of that pair, joined to the first.');
    expect(merged).toMatchObject({
      id: ids.get('Foxtrot is the first half of a pair that will merge.'),
      state: 'drifted',
      target: 'ES(Foxtrot is the first half of a pair that will merge.) ES(Golf is the second half of that pair, joined to the first.)',
    });
    // new: untranslated
    expect(after.get('India is a brand new paragraph.')).toMatchObject({ state: 'untranslated', target: null });
    // deleted: out of the editor, kept in the archive
    expect([...after.keys()]).not.toContain('Hotel paragraph will be deleted in the next version of the text.');
    const archived = await workbench.removedUnits('doc', 'es');
    expect(archived.map((u) => u.target)).toEqual(
      expect.arrayContaining(['ES(Hotel paragraph will be deleted in the next version of the text.)', 'ES(Golf is the second half of that pair, joined to the first.)']),
    );

    // The XLIFF file says it too, valid against the strict schema: needs-review-translation + alt-trans;
    // the deleted paragraph is no longer a unit of it (it is in the archive).
    const xlf = project.read('locales/es/doc.xlf');
    expect(xlf).not.toContain('Hotel paragraph');
    expect(project.read('locales/es/doc.removed.xlf')).toContain('ES(Hotel paragraph will be deleted in the next version of the text.)');
    expect(xlf).toMatch(/<target state="needs-review-translation">ES\(Delta paragraph will be edited: the editor rewrites one clause of it entirely\.\)<\/target>/);
    expect(xlf).toContain('alttranstype="previous-version"');
    expect(xlf).toContain('<source>Delta paragraph will be edited: the editor rewrites one clause of it entirely.</source>');
    expect(validateXliff12(path.join(project.localesDir, 'es', 'doc.xlf'))).toMatchObject({ valid: true });
    expect(validateXliff12(path.join(project.localesDir, 'es', 'doc.removed.xlf'))).toMatchObject({ valid: true });
  });

  it('"still correct" makes a drifted translation current, and history records who decided', async () => {
    await translateAll();
    await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' });
    const delta = (await segmentsByText()).get('Delta paragraph will be edited: the author rewrote a whole clause of it.');
    if (!delta) throw new Error('missing');
    const { segment } = await workbench.translations.confirmCurrent('doc', 'es', delta.id, { baseRevision: delta.revision }, 'a translator');
    expect(segment).toMatchObject({ state: 'translated', target: delta.target, drift: undefined });
    expect(project.read('locales/es/doc.xlf')).toContain('<source>Delta paragraph will be edited: the author rewrote a whole clause of it.</source>');
    const history = await project.history('doc', 'es');
    expect(history).toContainEqual(expect.objectContaining({ segment: delta.id, action: 'still-correct', who: 'a translator' }));
    expect(history).toContainEqual(expect.objectContaining({ segment: delta.id, action: 'drift', version: 2 }));
    await expect(workbench.translations.confirmCurrent('doc', 'es', delta.id, { baseRevision: delta.revision })).rejects.toMatchObject({ status: 409 });
  });

  it('saving a drifted paragraph resolves it', async () => {
    await translateAll();
    await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' });
    const part2 = (await segmentsByText()).get('Its second sentence becomes a paragraph of its own.');
    if (!part2) throw new Error('missing');
    const { segment } = await workbench.translations.saveTarget('doc', 'es', part2.id, { target: 'Su segunda frase.', baseRevision: part2.revision });
    expect(segment.state).toBe('translated');
    expect(project.read('locales/es/doc.xlf')).not.toContain('<source>Echo paragraph is long and will be split into two. Its second sentence becomes a paragraph of its own.</source>\n            <target>ES(Echo');
  });

  it('treats whitespace and typography as minor only while configured so: the text itself always counts', async () => {
    await translateAll();
    const v2 = V1.replace('Alpha paragraph stays', 'Alpha  paragraph   stays').replace('"straight quotes"', '“straight quotes”');
    const report = await workbench.updateSource('doc', Buffer.from(v2), { name: 'doc.md' });
    expect(report.version.counts).toMatchObject({ minor: 2, edited: 0 });
    expect(report.locales).toEqual([{ code: 'es', drifted: 0 }]);
  });

  it('records each update as a version: number, date, hash, who', async () => {
    await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md', who: 'an editor' });
    const versions = await workbench.versions('doc');
    expect(versions.map((v) => v.number)).toEqual([1, 2]);
    expect(versions[1]).toMatchObject({ who: 'an editor', hash: expect.stringMatching(/^[0-9a-f]{64}$/), date: expect.any(String) });
    expect(readFileSync(path.join(project.sourceDir, 'doc.versions', '2.md'), 'utf8')).toBe(V2);
    // The same text again records nothing.
    const again = await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' });
    expect(again.changed).toBe(false);
    expect((await workbench.versions('doc')).length).toBe(2);
  });

  it("writes an uploaded file's bytes as they are, and its text without a byte-order mark, hashed as its text", async () => {
    const { createHash } = await import('node:crypto');
    const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
    const v2 = `${V2}Ünïcödé — “quotes” 😀\n`;
    await workbench.updateSource('doc', Buffer.from(v2), { name: 'doc.md' });
    expect(readFileSync(path.join(project.sourceDir, 'doc.md'), 'utf8')).toBe(v2);
    expect(readFileSync(path.join(project.sourceDir, 'doc.versions', '2.md'), 'utf8')).toBe(v2);
    expect((await workbench.versions('doc'))[1].hash).toBe(sha(v2));
    // With a byte-order mark: the text without it, as decoded, and the same text again is no new version.
    const v3 = `${v2}A last paragraph.\n`;
    await workbench.updateSource('doc', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(v3)]), { name: 'doc.md' });
    expect(readFileSync(path.join(project.sourceDir, 'doc.md'), 'utf8')).toBe(v3);
    expect((await workbench.versions('doc'))[2].hash).toBe(sha(v3));
    expect((await workbench.updateSource('doc', Buffer.from(v3), { name: 'doc.md' })).changed).toBe(false);
    // A fresh process reads the same document from the files.
    expect((await createWorkbench(project.dir).document('doc')).version).toBe(3);
  });

  it('a file restored from a backup is checked against the current source the same way', async () => {
    await translateAll();
    const backup = project.read('locales/es/doc.xlf');
    await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' });
    const fresh = createWorkbench(project.dir);
    project.write('locales/es/doc.xlf', backup);
    const after = new Map((await fresh.listSegments('doc', 'es', { limit: 1000 })).segments.map((s) => [s.source, s]));
    expect(after.get('Delta paragraph will be edited: the author rewrote a whole clause of it.')?.state).toBe('drifted');
    expect(after.get('Alpha paragraph stays exactly the same in every version of this text.')?.state).toBe('translated');
  });

  it('a source file edited by hand is aligned as a new version when next loaded', async () => {
    const ids = await translateAll();
    writeFileSync(path.join(project.sourceDir, 'doc.md'), V2);
    const fresh = createWorkbench(project.dir);
    const after = new Map((await fresh.listSegments('doc', 'es', { limit: 1000 })).segments.map((s) => [s.source, s]));
    expect(after.get('Bravo paragraph will move to the end of the document later on.')).toMatchObject({
      id: ids.get('Bravo paragraph will move to the end of the document later on.'),
      state: 'translated',
    });
    expect((await fresh.versions('doc')).map((v) => [v.number, v.who])).toEqual([
      [1, 'import'],
      [2, 'edited on disk'],
    ]);
  });
});

describe('bad input to an update: refused with a message, nothing changed', () => {
  const snapshot = () => [project.read('source/doc.md'), project.read('source/doc.segments.json')];

  it.each([
    ['an empty file', Buffer.from('  \n\n'), 400, /empty/],
    ['a binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 400, /binary/],
    ['invalid UTF-8', Buffer.from([0x48, 0x69, 0xff, 0xfe, 0x20]), 400, /UTF-8/],
  ])('%s', async (_what, bytes, status, message) => {
    await translateAll();
    const before = snapshot();
    await expect(workbench.updateSource('doc', bytes, { name: 'new.md' })).rejects.toMatchObject({ status, message: expect.stringMatching(message) });
    expect(snapshot()).toEqual(before);
  });

  it('a file over 50 MB', async () => {
    await workbench.document('doc');
    const before = snapshot();
    const big = Buffer.alloc(50 * 1024 * 1024 + 1, 0x61);
    await expect(workbench.updateSource('doc', big, { name: 'big.md' })).rejects.toMatchObject({ status: 413, code: 'source-too-large' });
    expect(snapshot()).toEqual(before);
  });

  it('an update that would remove more than half of the translated paragraphs, unless forced', async () => {
    await translateAll();
    const before = snapshot();
    const tiny = '# Title\n\nOnly one new paragraph is left here.\n';
    const refusal = workbench.updateSource('doc', Buffer.from(tiny), { name: 'tiny.md' });
    await expect(refusal).rejects.toMatchObject({ status: 409, code: 'update-removes-translations', message: expect.stringMatching(/remove 10 of the 11 translated paragraphs of es/) });
    expect(snapshot()).toEqual(before);
    const forced = await workbench.updateSource('doc', Buffer.from(tiny), { name: 'tiny.md', force: true });
    expect(forced.version.counts.deleted).toBe(10);
    expect((await workbench.removedUnits('doc', 'es')).length).toBe(10);
  });

  it('two updates at once are serialized: two versions, the last one in place, no mix', async () => {
    await translateAll();
    const v3 = V2.replace('India is a brand new paragraph.', 'India is a brand new paragraph, revised.');
    const [a, b] = await Promise.all([
      workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' }),
      workbench.updateSource('doc', Buffer.from(v3), { name: 'doc.md' }),
    ]);
    expect([a.version.number, b.version.number]).toEqual([2, 3]);
    expect(project.read('source/doc.md')).toBe(v3);
    const sidecar = JSON.parse(project.read('source/doc.segments.json'));
    expect(sidecar.version).toBe(3);
    expect(sidecar.segments.map((s: { text: string }) => s.text)).toContain('India is a brand new paragraph, revised.');
  });

  it('updates asked for at once are made in the order they were asked for', async () => {
    await translateAll();
    const texts = [1, 2, 3, 4, 5].map((n) => V2.replace('India is a brand new paragraph.', `India is a brand new paragraph, revision ${n}.`));
    const reports = await Promise.all(texts.map((text) => workbench.updateSource('doc', Buffer.from(text), { name: 'doc.md' })));
    expect(reports.map((r) => r.version.number)).toEqual([2, 3, 4, 5, 6]);
    expect(project.read('source/doc.md')).toBe(texts[4]);
  });

  it('a failure half-way leaves the previous version fully in place', async () => {
    await translateAll();
    const before = snapshot();
    // The folder for the copy of the new version cannot be made: the update stops before its commit point.
    rmSync(path.join(project.sourceDir, 'doc.versions'), { recursive: true, force: true });
    writeFileSync(path.join(project.sourceDir, 'doc.versions'), 'in the way');
    await expect(workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' })).rejects.toThrow();
    expect(snapshot()).toEqual(before);
    const fresh = createWorkbench(project.dir);
    expect((await fresh.document('doc')).version).toBe(1);
    expect((await fresh.listSegments('doc', 'es', { state: 'drifted' })).total).toBe(0);
  });

  it('an update stopped after its commit point is finished on the next load', async () => {
    await translateAll();
    const oldText = project.read('source/doc.md');
    await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' });
    // As if the process died between writing the sidecar and writing the source file.
    writeFileSync(path.join(project.sourceDir, 'doc.md'), oldText);
    const fresh = createWorkbench(project.dir);
    expect((await fresh.document('doc')).version).toBe(2);
    expect(project.read('source/doc.md')).toBe(V2);
    expect((await fresh.versions('doc')).length).toBe(2);
  });

  it('an unknown document → 404', async () => {
    await expect(workbench.updateSource('nope', Buffer.from(V2), { name: 'x.md' })).rejects.toMatchObject({ status: 404 });
    expect(existsSync(path.join(project.sourceDir, 'nope.md'))).toBe(false);
  });
});

describe('importing a document', () => {
  it('adds it as version 1, with an id from the file name or --id', async () => {
    const doc = await workbench.importDocument(Buffer.from('# A\n\nText.\n'), { name: 'My New Text.md' });
    expect(doc).toMatchObject({ id: 'my-new-text', version: 1 });
    const other = await workbench.importDocument(Buffer.from('Plain text.\n\nTwo.\n'), { name: 'notes.txt', id: 'notes' });
    expect(other.segments.map((s) => s.text)).toEqual(['Plain text.', 'Two.']);
    await expect(workbench.importDocument(Buffer.from('x'), { name: 'notes.md', id: 'notes' })).rejects.toMatchObject({ status: 409 });
    await expect(workbench.importDocument(Buffer.from('x'), { name: 'x.md', id: '../etc' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('which edits are minor is configurable', () => {
  it('with quotes off in workbench.config.json, a change of quotes drifts the translation', async () => {
    project.write('workbench.config.json', JSON.stringify({ minorEdits: { quotes: false } }));
    const configured = createWorkbench(project.dir);
    await configured.startLocale('doc', 'es');
    for (const s of (await configured.listSegments('doc', 'es', { limit: 1000 })).segments) {
      await configured.translations.saveTarget('doc', 'es', s.id, { target: `ES ${s.source}`, baseRevision: 0 });
    }
    const v2 = V1.replace('"straight quotes"', '“straight quotes”').replace('Alpha paragraph stays', 'Alpha  paragraph stays');
    const report = await configured.updateSource('doc', Buffer.from(v2), { name: 'doc.md' });
    expect(report.version.counts).toMatchObject({ minor: 1, edited: 1 });
  });

  it('a configuration that is not right is refused with a message', () => {
    project.write('workbench.config.json', JSON.stringify({ minorEdits: { colours: true } }));
    expect(() => createWorkbench(project.dir)).toThrow(/minorEdits\.colours is not a setting/);
    project.write('workbench.config.json', '{ nope');
    expect(() => createWorkbench(project.dir)).toThrow(/not valid JSON/);
  });
});
