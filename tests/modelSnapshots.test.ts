/*
 * Parsed locale files and documents' summaries kept between processes (.cache/): used while the
 * file they came from is the one on disk, never once it has changed, whatever the change keeps
 * (its size, its modification time), and ignored when they cannot be read.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, createWorkbench } from '../server/application/createWorkbench';
import { countWords } from '../server/domain/countWords';
import type { LocaleFile } from '../server/domain/types';
import { fileStamp } from '../server/storage/fileIdentity';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { createFileSourceRepository, type SourceRepository } from '../server/storage/sourceRepository';
import { sourceTextsFrom, sourceTextsOf } from '../server/storage/sourceTexts';
import { createStampedSnapshots } from '../server/storage/stampedSnapshots';
import type { UnitJournal } from '../server/storage/unitJournal';
import { main } from '../scripts/workbench';
import { makeProject, SMALL_DOC, type TestProject } from './helpers/project';
import { validateXliff12 } from './helpers/xmllint';

let project: TestProject;
beforeEach(async () => {
  project = makeProject();
  await createWorkbench(project.dir).startLocale('small', 'es');
});
afterEach(() => project.cleanup());

const xliffPath = () => path.join(project.localesDir, 'es', 'small.xlf');
const snapshotPath = () => path.join(project.dir, '.cache', 'locales', 'es', 'small.xlf.json');

/** A store as a new process opens it (nothing in memory). */
function freshStore() {
  const snapshots = createStampedSnapshots(path.join(project.dir, '.cache', 'locales'));
  return { store: createFileLocaleStore({ dir: project.localesDir, snapshots }), snapshots };
}

/** The stores as createWorkbench makes them for a new process: a locale's snapshot takes its source texts from the document's. */
function freshStores() {
  const sources = createFileSourceRepository({ dir: path.join(project.dir, 'source'), snapshots: createStampedSnapshots(path.join(project.dir, '.cache', 'sources')) });
  const snapshots = createStampedSnapshots(path.join(project.dir, '.cache', 'locales'));
  return { sources, snapshots, locales: createFileLocaleStore({ dir: project.localesDir, snapshots, sourceTexts: sourceTextsFrom(sources) }) };
}

/** Replaces the model of the snapshot kept of the file as it is now by `model`: what a later read returns if it takes the snapshot. */
function plantSnapshot(model: LocaleFile): void {
  const [header] = readFileSync(snapshotPath(), 'utf8').split('\n', 1);
  expect(header.endsWith(` ${fileStamp(statSync(xliffPath()))}`)).toBe(true);
  writeFileSync(snapshotPath(), `${header}\n${JSON.stringify(model)}`);
}

test('a parse leaves a snapshot that the next process reads instead of the file, equal to what the file gives', async () => {
  const first = freshStore();
  const parsed = await first.store.read('small', 'es');
  await first.snapshots.settled();
  expect(readFileSync(snapshotPath(), 'utf8').split('\n')[0]).toMatch(/^3 \S+ /);
  expect(readFileSync(snapshotPath(), 'utf8').split('\n')[0].endsWith(` ${fileStamp(statSync(xliffPath()))}`)).toBe(true);
  expect(await freshStore().store.read('small', 'es')).toEqual(parsed);

  // Taken as it is: a planted model with the file's stamp is what the next read gives.
  const planted = { ...(parsed as LocaleFile), units: (parsed as LocaleFile).units.map((u) => ({ ...u, target: 'from the snapshot' })) };
  plantSnapshot(planted);
  expect((await freshStore().store.read('small', 'es'))?.units[0].target).toBe('from the snapshot');
});

test('a hand edit that keeps the size and puts the modification time back is seen: the snapshot is not used', async () => {
  const { store, snapshots } = freshStore();
  const model = (await store.read('small', 'es')) as LocaleFile;
  await snapshots.settled();
  plantSnapshot({ ...model, units: model.units.map((u) => ({ ...u, target: 'stale' })) });
  const before = statSync(xliffPath());
  // The file's times, to the nanosecond, on a file beside it (touch copies them exactly; utimes in JavaScript rounds them).
  const reference = `${xliffPath()}.times`;
  writeFileSync(reference, '');
  execFileSync('touch', ['-r', xliffPath(), reference]);
  const text = readFileSync(xliffPath(), 'utf8');
  // Same length: one character of the first unit's source text changed in place, then the times set back.
  const edited = text.replace('The first paragraph', 'The First paragraph');
  expect(edited.length).toBe(text.length);
  writeFileSync(xliffPath(), edited);
  execFileSync('touch', ['-r', reference, xliffPath()]);
  expect(statSync(xliffPath()).size).toBe(before.size);
  expect(statSync(xliffPath()).mtimeMs).toBe(before.mtimeMs);
  const read = (await freshStore().store.read('small', 'es')) as LocaleFile;
  expect(read.units.some((u) => u.target === 'stale')).toBe(false);
  expect(read.units.some((u) => u.source.startsWith('The First paragraph'))).toBe(true);
});

test('a torn or foreign snapshot is ignored: the file is read', async () => {
  const { store, snapshots } = freshStore();
  const model = await store.read('small', 'es');
  await snapshots.settled();
  truncateSync(snapshotPath(), Math.floor(statSync(snapshotPath()).size / 2));
  expect(await freshStore().store.read('small', 'es')).toEqual(model);
  writeFileSync(snapshotPath(), 'not a snapshot at all');
  expect(await freshStore().store.read('small', 'es')).toEqual(model);
});

test('a source update leaves the snapshot of the new version, which the next process reads instead of the text', async () => {
  const kept = path.join(project.dir, '.cache', 'sources', 'small.json');
  const source = path.join(project.sourceDir, 'small.md');
  const report = await createWorkbench(project.dir).updateSource('small', Buffer.from(`${readFileSync(source, 'utf8')}\nA paragraph added by an update.\n`), { name: 'small.md' });
  for (let i = 0; i < 1000 && !(existsSync(kept) && readFileSync(kept, 'utf8').includes('added by an update')); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const [stamp, ...rest] = readFileSync(kept, 'utf8').split('\n');
  const { words, 'workbench:sidecar': sidecarHash, 'workbench:texts': textsKey, ...document } = JSON.parse(rest.join('\n'));
  expect(textsKey).toMatch(/^small@\d+:[0-9a-f]{64}$/);
  expect(document.version).toBe(report.version.number);
  // The sidecar written is the one the document makes: the snapshot says so with its hash.
  expect(sidecarHash).toBe(JSON.parse(readFileSync(path.join(project.sourceDir, 'small.segments.json'), 'utf8')).hash);
  expect(words).toEqual(document.segments.map((s: { text: string }) => countWords(s.text, 'en')));
  // It is what the files give (read without it), and the next process takes it as it is (a planted title shows it).
  rmSync(kept);
  const fromFiles = await createWorkbench(project.dir).document('small');
  expect(JSON.parse(JSON.stringify(fromFiles))).toEqual(document);
  // That read keeps its own snapshot again, in the background: planted once it is in place.
  for (let i = 0; i < 1000 && !existsSync(kept); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  document.meta.title = 'From the snapshot';
  writeFileSync(kept, `${stamp}\n${JSON.stringify(document)}`);
  expect((await createWorkbench(project.dir).document('small')).meta.title).toBe('From the snapshot');
});

test('a change to a file read from its snapshot parses the file and keeps what the model does not hold', async () => {
  // Something the model does not hold: a comment before the first unit.
  writeFileSync(xliffPath(), readFileSync(xliffPath(), 'utf8').replace('<trans-unit ', '<!-- kept by hand --><trans-unit '));
  const first = freshStore();
  await first.store.read('small', 'es');
  await first.snapshots.settled();
  const { store } = freshStore();
  await store.read('small', 'es'); // from the snapshot
  await store.update('small', 'es', (file) => {
    file.units[1].target = 'Un segundo párrafo.';
    file.units[1].state = 'translated';
  });
  const written = readFileSync(xliffPath(), 'utf8');
  expect(written).toContain('<!-- kept by hand -->');
  expect(written).toContain('Un segundo párrafo.');
  expect(validateXliff12(xliffPath()).valid).toBe(true);
  expect((await freshStore().store.read('small', 'es'))?.units[1].target).toBe('Un segundo párrafo.');
});

test('a snapshot says which units are written as the workbench writes them, and a change made from it writes what a change made from the file writes', async () => {
  // A unit as another tool might leave it: without xml:space="preserve", which the writer adds.
  const text = readFileSync(xliffPath(), 'utf8');
  const firstTag = /<trans-unit [^>]*>/.exec(text)?.[0] ?? '';
  expect(firstTag).toContain(' xml:space="preserve"');
  writeFileSync(xliffPath(), text.replace(firstTag, firstTag.replace(' xml:space="preserve"', '')));
  const handEdited = readFileSync(xliffPath());
  const first = freshStore();
  const model = (await first.store.read('small', 'es')) as LocaleFile;
  await first.snapshots.settled();
  const kept = JSON.parse(readFileSync(snapshotPath(), 'latin1').split('\n')[1]) as Record<string, unknown>;
  expect(kept['workbench:written']).toBe(`0${'1'.repeat(model.units.length - 1)}`);
  expect(await freshStore().store.read('small', 'es')).toEqual(model);

  // The same change, made by a process that has the snapshot and by one that has only the file.
  const change = (file: LocaleFile): void => {
    file.units[0].target = 'El primer párrafo.';
    file.units[0].state = 'translated';
    file.units[2].target = 'El tercero.';
    file.units[2].state = 'translated';
  };
  const fromSnapshot = freshStore().store;
  await fromSnapshot.read('small', 'es');
  await fromSnapshot.update('small', 'es', change);
  const withFlags = readFileSync(xliffPath(), 'utf8');
  writeFileSync(xliffPath(), handEdited);
  await createFileLocaleStore({ dir: project.localesDir }).update('small', 'es', change);
  expect(withFlags).toBe(readFileSync(xliffPath(), 'utf8'));
  expect(withFlags).toContain('El primer párrafo.');
  expect(validateXliff12(xliffPath()).valid).toBe(true);
});

/** The summary kept in `file` (after its stamp line). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test's look at a cache file
function keptSummary(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8').split('\n').slice(1).join('\n'));
}

/** Waits until the kept summary's es entry is stamped with the locale file as it is now (it is written in the background). */
async function keptFor(cache: string): Promise<void> {
  const wanted = fileStamp(statSync(xliffPath()));
  for (let i = 0; i < 200; i++) {
    try {
      if (keptSummary(cache).locales.es.stamp === wanted) return;
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the summary was not kept');
}

test("a document's summary is kept, and follows a save, a hand edit of the locale file and a new source", async () => {
  const workbench = createWorkbench(project.dir);
  const [before] = await workbench.listDocuments();
  const es = () => before.locales.find((l) => l.code === 'es');
  expect(es()?.progress?.bySegments.translated).toBe(0);
  const cache = path.join(project.dir, '.cache', 'summaries', 'small.json');
  await keptFor(cache);
  expect(keptSummary(cache).locales.es.progress.bySegments.translated).toBe(0);

  // A save by another process: the next listing counts it.
  const other = createWorkbench(project.dir);
  const context = await other.locale('small', 'es');
  const first = context.document.segments.find((s) => s.translatable) as { id: string };
  await other.translations.saveTarget('small', 'es', first.id, { target: 'Primero.', baseRevision: context.units.get(first.id)?.revision ?? 0 });
  const after = (await createWorkbench(project.dir).listDocuments())[0].locales.find((l) => l.code === 'es');
  expect(after?.progress?.bySegments.translated).toBe(1);

  // A kept progress that does not match the file is not used: planted wrong, the file says otherwise.
  await keptFor(cache);
  const [stamp] = readFileSync(cache, 'utf8').split('\n', 1);
  const kept = keptSummary(cache);
  kept.locales.es.progress.bySegments.translated = 99;
  writeFileSync(cache, `${stamp}\n${JSON.stringify(kept)}`);
  expect((await createWorkbench(project.dir).listDocuments())[0].locales.find((l) => l.code === 'es')?.progress?.bySegments.translated).toBe(99);
  writeFileSync(xliffPath(), readFileSync(xliffPath(), 'utf8'));
  expect((await createWorkbench(project.dir).listDocuments())[0].locales.find((l) => l.code === 'es')?.progress?.bySegments.translated).toBe(1);

  // A new source text: a new paragraph is counted.
  const source = path.join(project.sourceDir, 'small.md');
  writeFileSync(source, `${readFileSync(source, 'utf8')}\nA paragraph added by hand.\n`);
  const [edited] = await createWorkbench(project.dir).listDocuments();
  expect(edited.segments).toBe(before.segments + 1);
});

test("a document's summary reads again only the locales whose files changed", async () => {
  const workbench = createWorkbench(project.dir);
  await workbench.startLocale('small', 'fr');
  await workbench.listDocuments();
  const cache = path.join(project.dir, '.cache', 'summaries', 'small.json');
  await keptFor(cache);
  // Planted wrong for both: a locale read again shows what its file says, one taken as kept the planted count.
  const [stamp] = readFileSync(cache, 'utf8').split('\n', 1);
  const kept = keptSummary(cache);
  kept.locales.es.progress.bySegments.translated = 77;
  kept.locales.fr.progress.bySegments.translated = 88;
  writeFileSync(cache, `${stamp}\n${JSON.stringify(kept)}`);
  writeFileSync(xliffPath(), readFileSync(xliffPath(), 'utf8')); // es changes (its change time does)
  const [summary] = await createWorkbench(project.dir).listDocuments();
  const count = (code: string) => summary.locales.find((l) => l.code === code)?.progress?.bySegments.translated;
  expect(count('es')).toBe(0);
  expect(count('fr')).toBe(88);
});

test("a server keeps a document's summary current with each locale file it writes: the next status takes it without reading the file", async () => {
  await createWorkbench(project.dir).listDocuments();
  const cache = path.join(project.dir, '.cache', 'summaries', 'small.json');
  await keptFor(cache);
  const server = createProject(project.dir, { serving: true, writeBehindMs: 20 });
  const context = await server.workbench.locale('small', 'es');
  const [first, second] = context.document.segments.filter((s) => s.translatable);
  await server.workbench.translations.saveTarget('small', 'es', first.id, { target: 'Primero.', baseRevision: 0 });
  await server.workbench.translations.saveTarget('small', 'es', second.id, { target: 'Segundo.', baseRevision: 0 });
  // Written behind the saves; the summary is kept before the write lets go of the project.
  await server.workbench.keepCaches();
  expect(readFileSync(xliffPath(), 'utf8')).toContain('Segundo.');
  const kept = keptSummary(cache);
  expect(kept.locales.es.stamp).toBe(fileStamp(statSync(xliffPath())));
  expect(kept.locales.es.progress.bySegments.translated).toBe(2);

  // The locale's drift report too, taken as it is by the next process (a planted count shows).
  const drift = path.join(project.dir, '.cache', 'summaries', 'small', 'es.drift.json');
  const [driftStamp, ...driftRest] = readFileSync(drift, 'utf8').split('\n');
  const keptDrift = JSON.parse(driftRest.join('\n'));
  writeFileSync(drift, `${driftStamp}\n${JSON.stringify({ ...keptDrift, untranslated: 999 })}`);
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0].untranslated).toBe(999);

  // What a process reading the files works out is what was kept.
  rmSync(path.join(project.dir, '.cache'), { recursive: true, force: true });
  const [fresh] = await createWorkbench(project.dir).listDocuments();
  expect(fresh.locales.find((l) => l.code === 'es')?.progress).toEqual(kept.locales.es.progress);
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0]).toEqual({ code: 'es', ...keptDrift });
});

test('a process that finds saves journaled does not read their file once another process has written them', async () => {
  // The journal listed the file's saves; by the time this process held the project's lock, they
  // were written (their rows gone). The file is not read, so a file that cannot be read is not even noticed.
  writeFileSync(xliffPath(), 'not XML at all');
  const journal: UnitJournal = {
    locales: () => [{ document: 'small', lang: 'es' }],
    count: () => 0,
    pending: () => undefined,
    othersWrote: () => 0,
    written: () => 0,
  };
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await createFileLocaleStore({ dir: project.localesDir, journal }).writeJournaled();
    expect(errors).not.toHaveBeenCalled();
  } finally {
    errors.mockRestore();
  }
  expect(readFileSync(xliffPath(), 'utf8')).toBe('not XML at all');
});

test("a document's snapshot keeps the key of its texts: a new process reading it takes the key from it instead of hashing the texts again", async () => {
  const kept = path.join(project.dir, '.cache', 'sources', 'small.json');
  const made = await createWorkbench(project.dir).document('small');
  for (let i = 0; i < 1000 && !existsSync(kept); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const [header, body] = readFileSync(kept, 'latin1').split('\n');
  const value = JSON.parse(body) as Record<string, unknown>;
  expect(value['workbench:texts']).toBe(sourceTextsOf(made).key);
  expect(value['workbench:texts']).toMatch(/^small@1:[0-9a-f]{64}$/);
  // A new process's document from the snapshot has the kept key, and the texts by id.
  const fresh = freshStores();
  const texts = await sourceTextsFrom(fresh.sources).kept('small');
  expect(texts?.key).toBe(sourceTextsOf(made).key);
  expect(texts?.textOf(made.segments[1].id)).toBe(made.segments[1].text);
  expect((await fresh.sources.load('small')).segments).toEqual(made.segments);
  // It is the kept key that is taken: a snapshot saying another one is believed (the key is the
  // snapshot's, made by the same build of the same files), and a snapshot without one is hashed.
  writeFileSync(kept, `${header}\n${JSON.stringify({ ...value, 'workbench:texts': 'small@1:planted' })}`);
  expect((await sourceTextsFrom(freshStores().sources).kept('small'))?.key).toBe('small@1:planted');
  writeFileSync(kept, `${header}\n${JSON.stringify({ ...value, 'workbench:texts': undefined })}`);
  expect((await sourceTextsFrom(freshStores().sources).kept('small'))?.key).toBe(sourceTextsOf(made).key);
});

test('a source update by a process that has the document from its snapshot plans from it (the text is not read again), as it would from the files', async () => {
  const kept = path.join(project.dir, '.cache', 'sources', 'small.json');
  await createWorkbench(project.dir).document('small');
  for (let i = 0; i < 1000 && !existsSync(kept); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const next = Buffer.from(`${SMALL_DOC.replace('The second paragraph.', 'The second paragraph, edited.')}\nA paragraph added by an update.\n`);
  // The same project without snapshots: what the files give.
  const other = makeProject();
  try {
    await createWorkbench(other.dir).startLocale('small', 'es');
    rmSync(path.join(other.dir, '.cache'), { recursive: true, force: true });
    const fromFiles = await createWorkbench(other.dir).updateSource('small', next, { name: 'small.md' });
    // The snapshot says the sidecar is the one the document makes: it is not read either.
    expect(JSON.parse(readFileSync(kept, 'utf8').split('\n')[1])['workbench:sidecar']).toMatch(/^[0-9a-f]{64}$/);
    const reads = jest.spyOn(promises, 'readFile');
    let fromSnapshot;
    try {
      fromSnapshot = await createWorkbench(project.dir).updateSource('small', next, { name: 'small.md' });
      expect(reads.mock.calls.map(([file]) => String(file)).filter((file) => file.startsWith(project.sourceDir))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    // The sidecar written is the one a process reading the files writes (but the dates of its versions).
    const sidecarOf = (dir: string) => {
      const sidecar = JSON.parse(readFileSync(path.join(dir, 'source', 'small.segments.json'), 'utf8')) as { versions: { date?: string }[] };
      return { ...sidecar, versions: sidecar.versions.map(({ date: _date, ...version }) => version) };
    };
    expect(sidecarOf(project.dir)).toEqual(sidecarOf(other.dir));
    expect(fromSnapshot.version.counts).toEqual(fromFiles.version.counts);
    expect(fromSnapshot.version.counts.edited).toBe(1);
    expect(fromSnapshot.version.changes).toEqual(fromFiles.version.changes);
    const segments = async (dir: string) => (await createWorkbench(dir).document('small')).segments;
    expect(await segments(project.dir)).toEqual(await segments(other.dir));
    expect(readFileSync(xliffPath(), 'utf8')).toBe(readFileSync(path.join(other.localesDir, 'es', 'small.xlf'), 'utf8'));
  } finally {
    other.cleanup();
  }
});

test("a sidecar that is not the one the document makes (a kind another build gave) is read from its file, and kept as it is", async () => {
  const kept = path.join(project.dir, '.cache', 'sources', 'small.json');
  const file = path.join(project.sourceDir, 'small.segments.json');
  // The heading's kind as another build might have written it: the same ids and texts.
  const sidecar = JSON.parse(readFileSync(file, 'utf8')) as { segments: { kind: string }[] };
  sidecar.segments[0].kind = 'title';
  writeFileSync(file, JSON.stringify(sidecar, null, 1));
  await createWorkbench(project.dir).document('small');
  for (let i = 0; i < 1000 && !existsSync(kept); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(JSON.parse(readFileSync(kept, 'utf8').split('\n')[1])['workbench:sidecar']).toBeUndefined();
  const reads = jest.spyOn(promises, 'readFile');
  try {
    const next = Buffer.from(`${SMALL_DOC}\nA paragraph added by an update.\n`);
    expect((await createWorkbench(project.dir).updateSource('small', next, { name: 'small.md' })).version.counts.new).toBe(1);
    expect(reads.mock.calls.map(([read]) => String(read))).toContain(file);
  } finally {
    reads.mockRestore();
  }
});

test("a document's versions are kept beside it, and read from there while its files are unchanged", async () => {
  const kept = path.join(project.dir, '.cache', 'sources', 'small.versions.json');
  const document = path.join(project.dir, '.cache', 'sources', 'small.json');
  await createWorkbench(project.dir).document('small');
  // Kept with the document, from the sidecar read for it: a process that reads the document from
  // its snapshot reads the versions from there.
  for (let i = 0; i < 1000 && !(existsSync(document) && existsSync(kept)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const [stamp, ...rest] = readFileSync(kept, 'utf8').split('\n');
  expect(stamp).toBe(readFileSync(document, 'utf8').split('\n', 1)[0]);
  const versions = await createWorkbench(project.dir).versions('small');
  expect(JSON.parse(rest.join('\n'))).toEqual(JSON.parse(JSON.stringify(versions)));
  // Taken as they are (a planted name shows it) while the files are unchanged; not once the sidecar changes.
  writeFileSync(kept, `${stamp}\n${JSON.stringify(versions.map((v) => ({ ...v, who: 'planted' })))}`);
  expect((await createWorkbench(project.dir).versions('small')).at(-1)?.who).toBe('planted');
  const sidecar = path.join(project.sourceDir, 'small.segments.json');
  writeFileSync(sidecar, readFileSync(sidecar, 'utf8'));
  expect((await createWorkbench(project.dir).versions('small')).at(-1)?.who).not.toBe('planted');
});

test('a segmented document is kept, and not used once its text is edited by hand', async () => {
  const kept = path.join(project.dir, '.cache', 'sources', 'small.json');
  const loaded = await createWorkbench(project.dir).document('small');
  for (let i = 0; i < 1000 && !existsSync(kept); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const [stamp, ...rest] = readFileSync(kept, 'utf8').split('\n');
  const { words, 'workbench:sidecar': sidecarHash, 'workbench:texts': textsKey, ...document } = JSON.parse(rest.join('\n'));
  expect(textsKey).toMatch(/^small@\d+:[0-9a-f]{64}$/);
  expect(document).toEqual(JSON.parse(JSON.stringify(loaded)));
  expect(sidecarHash).toBe(JSON.parse(readFileSync(path.join(project.sourceDir, 'small.segments.json'), 'utf8')).hash);
  // With each paragraph's words, as counted from its text.
  expect(words).toEqual(loaded.segments.map((s) => countWords(s.text, 'en')));

  // Taken as it is while the files are unchanged: a planted text is what the next process reads,
  // planted counts what it counts (it does not count the words again).
  document.meta.title = 'From the snapshot';
  writeFileSync(kept, `${stamp}\n${JSON.stringify({ ...document, words: words.map(() => 100) })}`);
  // (Counted by summarize, which does not take a kept summary: the counts are the document's.)
  const summaryOf = async () => {
    const workbench = createWorkbench(project.dir);
    return workbench.summarize(await workbench.document('small'));
  };
  const planted = await summaryOf();
  expect(planted.title).toBe('From the snapshot');
  expect(planted.words).toBe(100 * loaded.segments.filter((s) => s.translatable).length);
  // Counts that do not fit the paragraphs are not taken: counted again.
  writeFileSync(kept, `${stamp}\n${JSON.stringify({ ...document, words: [1, 2] })}`);
  const recounted = await summaryOf();
  expect(recounted.words).toBe(loaded.segments.filter((s) => s.translatable).reduce((sum, s) => sum + countWords(s.text, 'en'), 0));

  const source = path.join(project.sourceDir, 'small.md');
  writeFileSync(source, `${readFileSync(source, 'utf8')}\nA paragraph added by hand.\n`);
  const edited = await createWorkbench(project.dir).document('small');
  expect(edited.meta.title).toBe('A small text');
  expect(edited.segments.at(-1)?.text).toBe('A paragraph added by hand.');
  expect(edited.version).toBe(loaded.version + 1);
});

test("status keeps the drift report of each locale it reads: the next drift takes it, and it is what drift works out", async () => {
  const workbench = createWorkbench(project.dir);
  const context = await workbench.locale('small', 'es');
  const first = context.document.segments.find((s) => s.translatable) as { id: string };
  await workbench.translations.saveTarget('small', 'es', first.id, { target: 'Primero.', baseRevision: 0 });
  const drift = path.join(project.dir, '.cache', 'summaries', 'small', 'es.drift.json');
  rmSync(path.join(project.dir, '.cache'), { recursive: true, force: true });
  // A status by a new process reads the locale for its progress, and keeps its drift report.
  await createWorkbench(project.dir).listDocuments();
  const [stamp, ...rest] = readFileSync(drift, 'utf8').split('\n');
  const kept = JSON.parse(rest.join('\n'));
  // Taken as it is by the next drift (a planted count shows), while the files are unchanged.
  writeFileSync(drift, `${stamp}\n${JSON.stringify({ ...kept, untranslated: 999 })}`);
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0].untranslated).toBe(999);
  // What drift works out of the files without it.
  rmSync(path.join(project.dir, '.cache'), { recursive: true, force: true });
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0]).toEqual({ code: 'es', ...kept });
  expect(kept.untranslated).toBe(context.document.segments.filter((s) => s.translatable).length - 1);
});

test("a locale's drift report is kept, and worked out again once the locale file, its archive or the source changes", async () => {
  const workbench = createWorkbench(project.dir);
  const first = await workbench.driftReport('small', 'es');
  const es = first.locales.find((l) => l.code === 'es');
  expect(es?.untranslated).toBeGreaterThan(0);
  const kept = path.join(project.dir, '.cache', 'summaries', 'small', 'es.drift.json');
  for (let i = 0; i < 1000 && !existsSync(kept); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  // Taken as it is while the files are unchanged: a planted count is what the next process reports.
  const [stamp, ...rest] = readFileSync(kept, 'utf8').split('\n');
  writeFileSync(kept, `${stamp}\n${JSON.stringify({ ...JSON.parse(rest.join('\n')), untranslated: 999 })}`);
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0].untranslated).toBe(999);
  // A save changes the file: counted again.
  const context = await workbench.locale('small', 'es');
  const segment = context.document.segments.find((s) => s.translatable) as { id: string };
  await workbench.translations.saveTarget('small', 'es', segment.id, { target: 'Uno.', baseRevision: 0 });
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0].untranslated).toBe((es?.untranslated ?? 0) - 1);
});

test("drift takes the kept reports without reading the document, by its version kept beside its snapshot; a report not kept is made from the document", async () => {
  // The processes before read the files: the document, its version and the report are kept.
  const made = await createWorkbench(project.dir).driftReport('small', 'es');
  await createWorkbench(project.dir).driftReport('small', 'es');
  const version = path.join(project.dir, '.cache', 'sources', 'small.version.json');
  const drift = path.join(project.dir, '.cache', 'summaries', 'small', 'es.drift.json');
  for (let i = 0; i < 1000 && !(existsSync(version) && existsSync(drift)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const loads = (workbench: ReturnType<typeof createWorkbench>) => jest.spyOn((workbench as unknown as { sources: SourceRepository }).sources, 'load');

  const next = createWorkbench(project.dir);
  const read = loads(next);
  expect(await next.driftReport('small', 'es')).toEqual(made);
  expect(read).not.toHaveBeenCalled();
  expect(made.version).toBe(1);

  // A version kept wrongly is not taken: the document is read.
  const [stampLine] = readFileSync(version, 'utf8').split('\n');
  writeFileSync(version, `${stampLine}\n0`);
  const other = createWorkbench(project.dir);
  const readOther = loads(other);
  expect(await other.driftReport('small', 'es')).toEqual(made);
  expect(readOther).toHaveBeenCalled();
  writeFileSync(version, `${stampLine}\n1`);

  // A locale without its report kept: the document is read and the report made of the files.
  rmSync(drift);
  const fresh = createWorkbench(project.dir);
  const readFresh = loads(fresh);
  expect(await fresh.driftReport('small', 'es')).toEqual(made);
  expect(readFresh).toHaveBeenCalled();
  jest.restoreAllMocks();
});

test("a source update keeps the document's summary and each locale's drift report as status and drift would work them out, under the new files' stamps", async () => {
  const workbench = createWorkbench(project.dir);
  await workbench.startLocale('small', 'fr');
  const context = await workbench.locale('small', 'es');
  const second = context.document.segments.find((s) => s.text === 'The second paragraph.') as { id: string };
  await workbench.translations.saveTarget('small', 'es', second.id, { target: 'El segundo párrafo.', baseRevision: 0 });
  const next = Buffer.from(`${SMALL_DOC.replace('The second paragraph.', 'The second paragraph, edited.')}\nA paragraph added by an update.\n`);
  await createWorkbench(project.dir).updateSource('small', next, { name: 'small.md' });

  // Kept under the stamps of the files as they are now: taken as they are (planted counts show).
  const summary = path.join(project.dir, '.cache', 'summaries', 'small.json');
  const drift = path.join(project.dir, '.cache', 'summaries', 'small', 'es.drift.json');
  const keptSummaryValue = keptSummary(summary);
  expect(keptSummaryValue.locales.es.stamp).toBe(fileStamp(statSync(xliffPath())));
  expect(Object.keys(keptSummaryValue.locales).sort()).toEqual(['es', 'fr']);
  const [driftStamp, ...driftRest] = readFileSync(drift, 'utf8').split('\n');
  const keptDrift = JSON.parse(driftRest.join('\n'));
  expect(keptDrift.drifted.map((d: { source: string }) => d.source)).toEqual(['The second paragraph, edited.']);
  const [summaryStamp] = readFileSync(summary, 'utf8').split('\n', 1);
  writeFileSync(summary, `${summaryStamp}\n${JSON.stringify({ ...keptSummaryValue, locales: { ...keptSummaryValue.locales, es: { ...keptSummaryValue.locales.es, progress: { ...keptSummaryValue.locales.es.progress, words: 4242 } } } })}`);
  writeFileSync(drift, `${driftStamp}\n${JSON.stringify({ ...keptDrift, untranslated: 999 })}`);
  const [listed] = await createWorkbench(project.dir).listDocuments();
  expect(listed.locales.find((l) => l.code === 'es')?.progress?.words).toBe(4242);
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0].untranslated).toBe(999);

  // And they are what the files give, worked out without them.
  rmSync(path.join(project.dir, '.cache'), { recursive: true, force: true });
  const [fresh] = await createWorkbench(project.dir).listDocuments();
  for (const code of ['es', 'fr']) expect(fresh.locales.find((l) => l.code === code)?.progress).toEqual(keptSummaryValue.locales[code].progress);
  expect((await createWorkbench(project.dir).driftReport('small', 'es')).locales[0]).toEqual({ code: 'es', ...keptDrift });
});

test('a source update is done and reported even when what it keeps cannot be worked out (an archive that cannot be read)', async () => {
  writeFileSync(path.join(project.localesDir, 'es', 'small.removed.xlf'), 'not XML at all');
  const next = Buffer.from(`${SMALL_DOC}\nA paragraph added by an update.\n`);
  const report = await createWorkbench(project.dir).updateSource('small', next, { name: 'small.md' });
  expect(report.changed).toBe(true);
  expect(report.locales).toEqual([{ code: 'es', drifted: 0 }]);
  expect((await createWorkbench(project.dir).document('small')).version).toBe(2);
  // The drift report says what is wrong with the archive when it is asked for.
  await expect(createWorkbench(project.dir).driftReport('small', 'es')).rejects.toMatchObject({ status: 422 });
});

test('kept values come back equal whatever their characters, from a file in ASCII', async () => {
  const dir = path.join(project.dir, '.cache', 'values');
  const kept = createStampedSnapshots(dir);
  const value = { text: 'Ünïcödé — “typography” 😀 \u2028 \u0000 \ud800 end', list: ['é', 'ñ', '\u007f', '\u0080'] };
  // A large array (a book's units) is written a few hundred items at a time: the same value.
  const large = { document: 'd', skipped: undefined, units: Array.from({ length: 1234 }, (_, i) => ({ id: `s${i}`, target: i % 3 ? `Párrafo ${i} 😀` : undefined, n: i })), after: [1] };
  kept.write('v', 'stamp', value);
  kept.write('large', 'stamp', large);
  await kept.settled();
  for (const name of ['v', 'large']) expect(readFileSync(path.join(dir, `${name}.json`)).every((b) => b < 0x80)).toBe(true);
  expect(await kept.read('v', 'stamp')).toEqual(value);
  expect(await kept.read('large', 'stamp')).toEqual(JSON.parse(JSON.stringify(large)));
  // Written part after part, it is the value's JSON, every other character as its escape.
  const ascii = (json: string): string => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const [name, kept] of [['v', value], ['large', large]] as const) {
    const body = readFileSync(path.join(dir, `${name}.json`), 'latin1');
    expect(body.slice(body.indexOf('\n') + 1)).toBe(ascii(JSON.stringify(kept)));
  }
  expect(await kept.read('v', 'another stamp')).toBeUndefined();
});

test("a value kept by a Node with other ICU data is not read: the words counted, the languages' names and the dates come from it", async () => {
  const dir = path.join(project.dir, '.cache', 'values');
  const kept = createStampedSnapshots(dir);
  kept.write('v', 'stamp', { words: [3, 5, 8] });
  await kept.settled();
  const file = path.join(dir, 'v.json');
  const [header, body] = readFileSync(file, 'latin1').split('\n');
  expect(header).toContain(`+icu${process.versions.icu} stamp`);
  writeFileSync(file, `${header.replace(`+icu${process.versions.icu}`, '+icu0.0')}\n${body}`);
  expect(await createStampedSnapshots(dir).read('v', 'stamp')).toBeUndefined();
  writeFileSync(file, `${header}\n${body}`);
  expect(await createStampedSnapshots(dir).read('v', 'stamp')).toEqual({ words: [3, 5, 8] });
});

test('a snapshot under another stamp is not read past its stamp line', async () => {
  const dir = path.join(project.dir, '.cache', 'stale');
  const kept = createStampedSnapshots(dir);
  kept.write('big', 'stamp 1', { units: Array.from({ length: 2000 }, (_, i) => ({ id: `u${i}`, target: 'texto '.repeat(20) })) });
  await kept.settled();
  const size = statSync(path.join(dir, 'big.json')).size;
  expect(size).toBeGreaterThan(200_000);
  // Every read through a handle, counted in bytes.
  const realOpen = promises.open.bind(promises);
  let bytesRead = 0;
  const opened = jest.spyOn(promises, 'open').mockImplementation(async (...args: Parameters<typeof promises.open>) => {
    const handle = await realOpen(...args);
    const read = handle.read.bind(handle) as (...readArgs: unknown[]) => Promise<{ bytesRead: number }>;
    handle.read = (async (...readArgs: unknown[]) => {
      const result = await read(...readArgs);
      bytesRead += result.bytesRead;
      return result;
    }) as typeof handle.read;
    return handle;
  });
  const realReadFile = promises.readFile.bind(promises) as (...args: unknown[]) => Promise<Buffer | string>;
  const readFiles = jest.spyOn(promises, 'readFile').mockImplementation((async (...args: unknown[]) => {
    const bytes = await realReadFile(...args);
    bytesRead += bytes.length;
    return bytes;
  }) as typeof promises.readFile);
  try {
    expect(await kept.read('big', 'stamp 2')).toBeUndefined();
    expect(await kept.has('big', 'stamp 2')).toBe(false);
    expect(bytesRead).toBeLessThan(1000);
    expect(await kept.read('big', 'stamp 1')).toMatchObject({ units: expect.arrayContaining([{ id: 'u1999', target: 'texto '.repeat(20) }]) });
    expect(bytesRead).toBeGreaterThanOrEqual(size);
  } finally {
    opened.mockRestore();
    readFiles.mockRestore();
  }
});

test('kept bytes come back only whole and under their stamp, and only the newest files of a folder are kept when asked', async () => {
  const dir = path.join(project.dir, '.cache', 'bytes');
  const kept = createStampedSnapshots(dir);
  for (let i = 0; i < 5; i++) {
    kept.writeBytes(`f${i}`, `stamp ${i}`, { i }, Buffer.from(`body ${i}`), { keepNewest: 3 });
    await kept.settled();
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  expect(readdirSync(dir).sort()).toEqual(['f2.json', 'f3.json', 'f4.json']);
  expect(await kept.readBytes('f4', 'stamp 4')).toEqual({ meta: { i: 4 }, bytes: Buffer.from('body 4') });
  expect(await kept.readBytes('f4', 'stamp 3')).toBeUndefined();
  expect(await kept.readBytes('f0', 'stamp 0')).toBeUndefined();
  expect(await kept.readBytes('../../escape', 'x')).toBeUndefined();
  truncateSync(path.join(dir, 'f3.json'), statSync(path.join(dir, 'f3.json')).size - 1);
  expect(await kept.readBytes('f3', 'stamp 3')).toBeUndefined();
});

test('a snapshot that lands after its project was removed makes nothing', async () => {
  const gone = path.join(project.dir, 'gone');
  const kept = createStampedSnapshots(path.join(gone, '.cache', 'locales'));
  kept.write('es/x.xlf', 'stamp', { units: [] });
  await kept.settled();
  expect(existsSync(gone)).toBe(false);
});

test('the snapshot of a file a process wrote is not made once the file was edited since, even keeping its size and modification time', async () => {
  const { store, snapshots } = freshStore();
  await store.update('small', 'es', (file) => {
    file.units[0].target = 'Escrito por el servidor.';
    file.units[0].state = 'translated';
  });
  // Edited by hand before the snapshot is due: same length, times put back.
  const reference = `${xliffPath()}.times`;
  writeFileSync(reference, '');
  execFileSync('touch', ['-r', xliffPath(), reference]);
  const text = readFileSync(xliffPath(), 'utf8');
  writeFileSync(xliffPath(), text.replace('Escrito por el servidor.', 'Escrito a mano, sí.....'));
  execFileSync('touch', ['-r', reference, xliffPath()]);
  await store.keepSnapshots();
  await snapshots.settled();
  expect((await freshStore().store.read('small', 'es'))?.units[0].target).toBe('Escrito a mano, sí.....');
});

test('`workbench new-locale` leaves the snapshot of the file it made, which the next process reads instead of the file', async () => {
  const quiet = { out: () => undefined, err: () => undefined, env: { WORKBENCH_DATA: project.dir } };
  expect(await main(['new-locale', 'fr'], quiet)).toBe(0);
  const file = path.join(project.localesDir, 'fr', 'small.xlf');
  const kept = path.join(project.dir, '.cache', 'locales', 'fr', 'small.xlf.json');
  // Written before the command returned, under the stamp of the file as it is.
  const [header, body] = readFileSync(kept, 'latin1').split('\n');
  expect(header.endsWith(` ${fileStamp(statSync(file))}`)).toBe(true);
  // Read as the file gives it (a store with no document to take the source texts from reads the file).
  const fromFile = (await createFileLocaleStore({ dir: project.localesDir }).read('small', 'fr')) as LocaleFile;
  expect(fromFile.units).toHaveLength(8);
  // With which units are written as the workbench writes them (all, in a file it made), and
  // without the source texts that are the document's own, named by the texts' key.
  const value = JSON.parse(body) as LocaleFile & Record<string, unknown>;
  expect(value['workbench:written']).toBe('11111111');
  expect(value['workbench:sources']).toMatch(/^small@1:[0-9a-f]{64}$/);
  expect(value.units.every((unit) => unit.source === undefined)).toBe(true);
  expect(value.units.map((unit) => unit.id)).toEqual(fromFile.units.map((unit) => unit.id));
  // The next process reads the snapshot, filling the texts in from the document's own snapshot
  // (read side by side with the locale, as the first page after a start does): the file's model.
  const next = freshStores();
  const [document, read] = await Promise.all([next.sources.load('small'), next.locales.read('small', 'fr')]);
  expect(read).toEqual(fromFile);
  // The very strings of the document's paragraphs, not copies of them.
  expect((read as LocaleFile).units[0].source).toBe(document.segments.find((s) => s.id === fromFile.units[0].id)?.text);
  // Taken from the snapshot, not from the file: a planted target shows it.
  writeFileSync(kept, `${header}\n${JSON.stringify({ ...value, units: value.units.map((unit) => ({ ...unit, target: 'planted' })) })}`);
  expect((await freshStores().locales.read('small', 'fr'))?.units.every((unit) => unit.target === 'planted')).toBe(true);
});

test("a locale's snapshot leaves out the source texts that are the document's own, and is read back only with the same texts", async () => {
  const first = freshStores();
  await first.sources.load('small');
  // One unit whose source is not the document's (a translation made from an earlier text, by hand).
  await first.locales.update('small', 'es', (file) => {
    file.units[0].target = 'Primera parte';
    file.units[0].state = 'translated';
    file.units[1].source = 'An earlier text of the first paragraph.';
    file.units[1].target = 'Un texto anterior.';
    file.units[1].state = 'needs-review-translation';
  });
  await first.locales.keepSnapshots();
  await first.snapshots.settled();
  const fromFile = (await createFileLocaleStore({ dir: project.localesDir }).read('small', 'es')) as LocaleFile;
  const value = JSON.parse(readFileSync(snapshotPath(), 'latin1').split('\n')[1]) as LocaleFile & Record<string, unknown>;
  expect(value.units.map((unit) => unit.source)).toEqual([undefined, 'An earlier text of the first paragraph.', ...Array.from({ length: value.units.length - 2 }, () => undefined)]);

  // Taken from the snapshot by a process holding the same version of the document (a planted
  // target shows it), equal to the file otherwise.
  const planted = { ...value, units: value.units.map((unit, i) => (i === 0 ? { ...unit, target: 'from the snapshot' } : unit)) };
  const [header] = readFileSync(snapshotPath(), 'latin1').split('\n', 1);
  writeFileSync(snapshotPath(), `${header}\n${JSON.stringify(planted)}`);
  const again = freshStores();
  await again.sources.load('small');
  const read = (await again.locales.read('small', 'es')) as LocaleFile;
  expect(read.units[0].target).toBe('from the snapshot');
  expect({ ...read, units: read.units.map((unit, i) => (i === 0 ? { ...unit, target: 'Primera parte' } : unit)) }).toEqual(fromFile);

  // Under the key of other texts (another version of the document), it is not used: the file is read.
  writeFileSync(snapshotPath(), `${header}\n${JSON.stringify({ ...planted, 'workbench:sources': 'small@2:' + '0'.repeat(64) })}`);
  expect(await freshStores().locales.read('small', 'es')).toEqual(fromFile);
  // Nor when a unit left without its text is not a paragraph of the document.
  writeFileSync(snapshotPath(), `${header}\n${JSON.stringify({ ...planted, units: planted.units.map((unit, i) => (i === 0 ? { ...unit, id: 'not-a-paragraph' } : unit)) })}`);
  expect(await freshStores().locales.read('small', 'es')).toEqual(fromFile);
  // Nor by a store that has no document to take the texts from.
  writeFileSync(snapshotPath(), `${header}\n${JSON.stringify(planted)}`);
  expect(await freshStore().store.read('small', 'es')).toEqual(fromFile);
  // Nor once the document's text changed on disk (a new version: other texts).
  const source = path.join(project.dir, 'source', 'small.md');
  writeFileSync(source, `${readFileSync(source, 'utf8')}\nA paragraph added by hand.\n`);
  const edited = freshStores();
  expect((await edited.sources.load('small')).version).toBe(2);
  expect((await edited.locales.read('small', 'es'))?.units[0].target).toBe('Primera parte');
});
