/*
 * A large locale file with no snapshot read ahead on another thread (a server's start, while its
 * own thread segments the documents): the next read takes that model instead of parsing the file,
 * never once the file has changed since; a file the streaming reader leaves to the DOM reader, or
 * cannot read, is read (or refused) as it always is.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkbench } from '../server/application/createWorkbench';
import type { LocaleFile } from '../server/domain/types';
import * as parsing from '../server/formats/parseXliff12';
import * as streaming from '../server/formats/streamXliff12';
import { fileStamp } from '../server/storage/fileIdentity';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { createStampedSnapshots } from '../server/storage/stampedSnapshots';
import { makeProject, SMALL_DOC, type TestProject } from './helpers/project';

/** 2,400 paragraphs: the Spanish file, translated, is some 2 MB (files from 1 MB up are read ahead). */
const LONG_DOC = `---\ntitle: A long text\nlanguage: en\n---\n\n${Array.from({ length: 2400 }, (_, i) => `Paragraph ${i}: ${'a few words of a long text, '.repeat(12)}the end.`).join('\n\n')}\n`;

let project: TestProject;
const xliffPath = () => path.join(project.localesDir, 'es', 'long.xlf');

beforeAll(async () => {
  project = makeProject({ 'long.md': LONG_DOC, 'small.md': SMALL_DOC });
  const workbench = createWorkbench(project.dir);
  await workbench.startLocale('long', 'es');
  await workbench.startLocale('small', 'es');
  // Translated by a store that keeps no snapshot: the file on disk has none.
  await createFileLocaleStore({ dir: project.localesDir }).update('long', 'es', (file) => {
    for (const unit of file.units) {
      unit.target = `Traducción: ${unit.source}`;
      unit.state = 'translated';
    }
  });
  expect(statSync(xliffPath()).size).toBeGreaterThan(1024 * 1024);
});
afterAll(() => project.cleanup());
afterEach(() => jest.restoreAllMocks());

/** A store as a new process opens it, with its snapshots under a folder of the test's own. */
function freshStore(cache = path.join(project.dir, '.cache-test', String(Math.random()).slice(2))) {
  const snapshots = createStampedSnapshots(cache);
  return { store: createFileLocaleStore({ dir: project.localesDir, snapshots }), snapshots };
}

/** The file as a store with nothing kept reads it. */
const readPlainly = async (): Promise<LocaleFile | undefined> => createFileLocaleStore({ dir: project.localesDir }).read('long', 'es');

test('a large file with no snapshot is read on another thread, and the next read takes that model instead of parsing the file, then keeps its snapshot', async () => {
  const expected = await readPlainly();
  expect(expected?.units).toHaveLength(2400);
  const { store, snapshots } = freshStore();
  const ahead = await store.readAhead('long', 'es');
  expect(ahead).toBeDefined();
  expect(await ahead?.read).toBe(true);

  const streamed = jest.spyOn(streaming, 'streamModel');
  const parsed = jest.spyOn(parsing, 'parseXliff12');
  expect(await store.read('long', 'es')).toEqual(expected);
  expect(streamed).not.toHaveBeenCalled();
  expect(parsed).not.toHaveBeenCalled();

  // Loaded now: nothing more to read ahead. Its snapshot kept, for the next process, which has nothing to read ahead either.
  expect(await store.readAhead('long', 'es')).toBeUndefined();
  await snapshots.settled();
  expect(await snapshots.has('es/long.xlf', fileStamp(statSync(xliffPath())))).toBe(true);
  expect(await createFileLocaleStore({ dir: project.localesDir, snapshots }).readAhead('long', 'es')).toBeUndefined();
});

test('a model read ahead is not taken once the file has changed: the read gives the file as it is now', async () => {
  const { store } = freshStore();
  const ahead = await store.readAhead('long', 'es');
  expect(await ahead?.read).toBe(true);
  // Another process saves a paragraph after the thread read the file.
  const before = readFileSync(xliffPath());
  try {
    await createFileLocaleStore({ dir: project.localesDir }).update('long', 'es', (file) => {
      file.units[5].target = 'Guardado por otro proceso.';
    });
    const read = await store.read('long', 'es');
    expect(read?.units[5].target).toBe('Guardado por otro proceso.');
    expect(read).toEqual(await readPlainly());
  } finally {
    writeFileSync(xliffPath(), before);
  }
});

test('reads made while the thread reads all wait for it, and take its model', async () => {
  const expected = await readPlainly();
  const { store } = freshStore();
  const ahead = await store.readAhead('long', 'es');
  expect(ahead).toBeDefined();
  const streamed = jest.spyOn(streaming, 'streamModel');
  const reads = await Promise.all([store.read('long', 'es'), store.peek('long', 'es', (file) => file.units.length), store.read('long', 'es')]);
  expect(reads).toEqual([expected, 2400, expected]);
  expect(streamed).not.toHaveBeenCalled();
  expect(await ahead?.read).toBe(true);
});

test('a change made while the thread reads waits for it, and is written into the file as a change of the file read', async () => {
  const before = readFileSync(xliffPath());
  try {
    const { store } = freshStore();
    const ahead = await store.readAhead('long', 'es');
    expect(ahead).toBeDefined();
    // A change holds the file by the streaming reader's own reading (streamXliff12) when it has no model of it.
    const streamed = [jest.spyOn(streaming, 'streamModel'), jest.spyOn(streaming, 'streamXliff12'), jest.spyOn(parsing, 'parseXliff12')];
    await store.update('long', 'es', (file) => {
      file.units[7].target = 'Cambiado mientras se leía.';
    });
    for (const spy of streamed) expect(spy).not.toHaveBeenCalled();
    expect(await ahead?.read).toBe(true);
    const read = await readPlainly();
    expect(read?.units[7].target).toBe('Cambiado mientras se leía.');
    expect(read?.units.filter((unit, i) => i !== 7 && unit.target !== `Traducción: ${unit.source}`)).toEqual([]);
  } finally {
    writeFileSync(xliffPath(), before);
  }
});

test("a snapshot of the file as it was before its last write does not stop a read ahead; one of the file as it is does", async () => {
  const { store, snapshots } = freshStore();
  await store.read('long', 'es');
  await snapshots.settled();
  const stampNow = fileStamp(statSync(xliffPath()));
  expect(await snapshots.has('es/long.xlf', stampNow)).toBe(true);
  expect(await createFileLocaleStore({ dir: project.localesDir, snapshots }).readAhead('long', 'es')).toBeUndefined();
  // The same bytes written again: another file for its stamp (its change time), the snapshot kept of the one before.
  writeFileSync(xliffPath(), readFileSync(xliffPath()));
  expect(fileStamp(statSync(xliffPath()))).not.toBe(stampNow);
  const ahead = await createFileLocaleStore({ dir: project.localesDir, snapshots }).readAhead('long', 'es');
  expect(ahead).toBeDefined();
  expect(await ahead?.read).toBe(true);
});

test('a small file, a missing one, and one already loaded are not read ahead', async () => {
  const { store } = freshStore();
  expect(await store.readAhead('small', 'es')).toBeUndefined();
  expect(await store.readAhead('long', 'fr')).toBeUndefined();
  await store.read('long', 'es');
  expect(await store.readAhead('long', 'es')).toBeUndefined();
});

test('a file the streaming reader leaves to the DOM reader (another encoding) is read as always, and one that is broken is refused as always', async () => {
  const before = readFileSync(xliffPath());
  try {
    // Latin-1, declared: the streaming reader takes UTF-8 only.
    const text = before.toString('utf8').replace(/Traducción/g, 'Traducción larga');
    writeFileSync(xliffPath(), Buffer.from(text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1'));
    expect(readFileSync(xliffPath(), 'latin1')).toContain('encoding="ISO-8859-1"');
    const { store } = freshStore();
    const ahead = await store.readAhead('long', 'es');
    expect(await ahead?.read).toBe(false);
    const read = await store.read('long', 'es');
    expect(read?.units[0].target).toMatch(/^Traducción larga: Paragraph 0/);

    // Cut short: not well-formed.
    writeFileSync(xliffPath(), before.subarray(0, before.byteLength - 4000));
    const second = freshStore().store;
    expect(await (await second.readAhead('long', 'es'))?.read).toBe(false);
    await expect(second.read('long', 'es')).rejects.toMatchObject({ code: 'xliff-malformed' });
  } finally {
    writeFileSync(xliffPath(), before);
  }
});

test("a server's start that segments a document (nothing kept of it: a fresh clone) reads the locale it warms on another thread meanwhile", async () => {
  const expected = await readPlainly();
  rmSync(path.join(project.dir, '.cache'), { recursive: true, force: true });
  const workbench = createWorkbench(project.dir);
  const streamed = jest.spyOn(streaming, 'streamModel');
  await workbench.warm(60_000);
  expect(streamed).not.toHaveBeenCalled();
  const context = await workbench.locale('long', 'es');
  expect(context.file.units).toEqual(expected?.units);
  expect(streamed).not.toHaveBeenCalled();
});

test("a server's start that has its documents kept reads the locale it warms itself (its thread is free)", async () => {
  const expected = await readPlainly();
  rmSync(path.join(project.dir, '.cache'), { recursive: true, force: true });
  // A process segments the documents and keeps them; the locale file has no snapshot.
  await createWorkbench(project.dir).document('long');
  await createWorkbench(project.dir).document('small');
  const kept = path.join(project.dir, '.cache', 'sources');
  for (let i = 0; i < 200 && !(existsSync(path.join(kept, 'long.version.json')) && existsSync(path.join(kept, 'small.version.json'))); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  rmSync(path.join(project.dir, '.cache', 'locales'), { recursive: true, force: true });
  const workbench = createWorkbench(project.dir);
  expect(await workbench.keptVersion('long')).toBe(1);
  const streamed = jest.spyOn(streaming, 'streamModel');
  await workbench.warm(60_000);
  expect(streamed).toHaveBeenCalledTimes(1);
  expect((await workbench.locale('long', 'es')).file.units).toEqual(expected?.units);
});
