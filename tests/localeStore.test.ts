import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, promises, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LocaleFile, Unit } from '../server/domain/types';
import { WorkbenchError } from '../server/errors';
import * as streaming from '../server/formats/streamXliff12';
import { createLocaleFile } from './helpers/xliff12Files';
import { createFileLocaleStore, type LocaleStore } from '../server/storage/localeStore';
import type { UnitJournal } from '../server/storage/unitJournal';
import { writeFileAtomic } from '../server/storage/writeFileAtomic';
import { makeTempDir, type TempDir } from './helpers/tempDir';
import { validateXliff12 } from './helpers/xmllint';

let tmp: TempDir;
let store: LocaleStore;
beforeEach(() => {
  tmp = makeTempDir('locale-store-test');
  store = createFileLocaleStore({ dir: tmp.dir });
});
afterEach(() => tmp.cleanup());

async function rejection(promise: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return err as WorkbenchError;
  }
  throw new Error('expected a rejection with a WorkbenchError');
}

function sampleFile(lang = 'es', count = 3): LocaleFile {
  return createLocaleFile(
    'manifesto',
    'en',
    lang,
    Array.from({ length: count }, (_, i) => ({ id: `p${i + 1}`, source: `Paragraph ${i + 1}.` })),
  );
}

/** Every file under `dir`, recursively, relative to it. */
/**
 * `reader`'s read of manifesto/es, which another process changed in a few units: the streaming
 * reader reads once, less than a twentieth of the file at `path`, and the model is a fresh store's.
 */
async function readAgainWhereChanged(reader: LocaleStore, path: string): Promise<LocaleFile | undefined> {
  const size = statSync(path).size;
  const streamed = jest.spyOn(streaming, 'streamModel');
  try {
    const read = await reader.read('manifesto', 'es');
    expect(streamed).toHaveBeenCalledTimes(1);
    expect(streamed.mock.calls[0][0].byteLength).toBeLessThan(size / 20);
    expect(read).toEqual(await createFileLocaleStore({ dir: tmp.dir }).read('manifesto', 'es'));
    return read;
  } finally {
    streamed.mockRestore();
  }
}

function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listTree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe('file locale store', () => {
  it("gives the digest of a file's bytes, read a megabyte at a time, and of each new version", async () => {
    expect(await store.digest('manifesto', 'es')).toBeUndefined();
    // Over a megabyte: read in more than one piece.
    const large = createLocaleFile('manifesto', 'en', 'es', Array.from({ length: 2500 }, (_, i) => ({ id: `p${i + 1}`, source: `Paragraph ${i + 1}: ${'¿qué? '.repeat(80)}` })));
    await store.create(large);
    const sha256 = (bytes: Uint8Array | undefined) => bytes && createHash('sha256').update(bytes).digest('hex');
    const bytes = await store.readBytes('manifesto', 'es');
    expect(bytes?.byteLength).toBeGreaterThan(1024 * 1024);
    const first = await store.digest('manifesto', 'es');
    expect(first).toBe(sha256(bytes));
    await store.update('manifesto', 'es', (file) => {
      file.units[2499].target = 'El último.';
      file.units[2499].state = 'translated';
    });
    const second = await store.digest('manifesto', 'es');
    expect(second).not.toBe(first);
    expect(second).toBe(sha256(await store.readBytes('manifesto', 'es')));
    expect(second).toBe(sha256(readFileSync(join(tmp.dir, 'es', 'manifesto.xlf'))));
  });

  it("gives the bytes it holds of a file it just read or wrote without reading it again, and the file's own once another process wrote it", async () => {
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    await createFileLocaleStore({ dir: tmp.dir }).create(sampleFile('es', 50));
    await store.readForChange('manifesto', 'es');
    // Any read of the file opens it (readFile included).
    const reads = jest.spyOn(promises, 'open');
    try {
      expect(Buffer.from((await store.readBytes('manifesto', 'es')) ?? [])).toEqual(readFileSync(path));
      // Written in pieces (the units changed between the bytes kept): joined, or given as the pieces.
      await store.update('manifesto', 'es', (file) => {
        file.units[10].target = 'Once.';
        file.units[10].state = 'translated';
        file.units[40].target = 'Cuarenta y uno.';
        file.units[40].state = 'translated';
      });
      expect(Buffer.from((await store.readBytes('manifesto', 'es')) ?? [])).toEqual(readFileSync(path));
      const parts = (await store.readParts('manifesto', 'es')) ?? [];
      expect(parts.length).toBeGreaterThan(1);
      expect(Buffer.concat(parts)).toEqual(readFileSync(path));
      expect(reads.mock.calls.filter(([file]) => String(file) === path)).toEqual([]);
      // Another process's write: the file is read.
      await createFileLocaleStore({ dir: tmp.dir }).update('manifesto', 'es', (file) => {
        file.units[20].target = 'Veintiuno, desde fuera.';
        file.units[20].state = 'translated';
      });
      const after = await store.readBytes('manifesto', 'es');
      expect(Buffer.from(after ?? [])).toEqual(readFileSync(path));
      expect(Buffer.from(after ?? []).toString('utf8')).toContain('Veintiuno, desde fuera.');
    } finally {
      reads.mockRestore();
    }
  });

  it('creates, reads and updates a locale file', async () => {
    expect(await store.read('manifesto', 'es')).toBeUndefined();
    await store.create(sampleFile());
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    expect(existsSync(path)).toBe(true);
    expect(validateXliff12(path)).toMatchObject({ valid: true });
    expect(await store.read('manifesto', 'es')).toEqual(sampleFile());

    const result = await store.update('manifesto', 'es', (file) => {
      const unit = file.units[1];
      unit.target = 'Párrafo 2.';
      unit.state = 'translated';
      unit.revision += 1;
      return unit.revision;
    });
    expect(result).toBe(1);
    const reread = await store.read('manifesto', 'es');
    expect(reread?.units[1]).toMatchObject({ id: 'p2', target: 'Párrafo 2.', state: 'translated', revision: 1 });
    expect(readFileSync(path, 'utf8')).toContain('<target state="translated">Párrafo 2.</target>');
    expect(validateXliff12(path)).toMatchObject({ valid: true });
  });

  it('hands out copies: mutating a read result does not touch the store', async () => {
    await store.create(sampleFile());
    const first = await store.read('manifesto', 'es');
    first!.units[0].target = 'mutated';
    expect((await store.read('manifesto', 'es'))?.units[0].target).toBeUndefined();
  });

  it('refuses to create a file twice (409) and to update a missing one (404)', async () => {
    await store.create(sampleFile());
    const exists = await rejection(store.create(sampleFile()));
    expect(exists.status).toBe(409);
    expect(exists.code).toBe('locale-exists');
    const missing = await rejection(store.update('manifesto', 'fr', () => undefined));
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('locale-not-found');
    expect(existsSync(join(tmp.dir, 'fr'))).toBe(false);
  });

  it('lists the locales that have a file for a document, ignoring everything else', async () => {
    expect(await store.listLocales('manifesto')).toEqual([]);
    await store.create(sampleFile('fr'));
    await store.create(sampleFile('es'));
    await store.create(sampleFile('pt-BR'));
    await store.create(createLocaleFile('other-doc', 'en', 'de', []));
    mkdirSync(join(tmp.dir, 'en'));
    writeFileSync(join(tmp.dir, 'en', 'ui.json'), '{}');
    mkdirSync(join(tmp.dir, 'not a locale'));
    writeFileSync(join(tmp.dir, 'not a locale', 'manifesto.xlf'), 'x');
    writeFileSync(join(tmp.dir, 'README.md'), 'x');
    expect(await store.listLocales('manifesto')).toEqual(['es', 'fr', 'pt-BR']);
    expect(await store.listLocales('other-doc')).toEqual(['de']);
    expect(await createFileLocaleStore({ dir: join(tmp.dir, 'missing') }).listLocales('manifesto')).toEqual([]);
  });

  it('serializes 50 concurrent updates of one file: each sees the previous one, none is lost', async () => {
    await store.create(sampleFile('es', 50));
    const seenBefore = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.update('manifesto', 'es', async (file) => {
          const translatedBefore = file.units.filter((u) => u.target !== undefined).length;
          await new Promise((resolve) => setImmediate(resolve)); // let the others pile up
          const unit = file.units[i];
          unit.target = `Traducción ${i + 1}`;
          unit.state = 'translated';
          unit.revision += 1;
          return translatedBefore;
        }),
      ),
    );
    // Update k ran after k others: it saw exactly k translated units.
    expect([...seenBefore].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, k) => k));
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const fresh = await createFileLocaleStore({ dir: tmp.dir }).read('manifesto', 'es');
    expect(fresh?.units.map((u) => u.target)).toEqual(Array.from({ length: 50 }, (_, i) => `Traducción ${i + 1}`));
    expect(fresh?.units.every((u) => u.revision === 1)).toBe(true);
    const validation = validateXliff12(path);
    expect(validation.valid).toBe(true);
    // Atomic writes leave no temp files behind.
    expect(listTree(tmp.dir)).toEqual(['es/manifesto.xlf']);
  });

  it('writes nothing when the change throws, and keeps the queue working', async () => {
    await store.create(sampleFile());
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const before = readFileSync(path);
    const mtime = statSync(path).mtimeMs;
    const failing = store.update('manifesto', 'es', (file) => {
      file.units[0].target = 'half done';
      throw new Error('change failed');
    });
    const next = store.update('manifesto', 'es', (file) => file.units[0].target);
    await expect(failing).rejects.toThrow('change failed');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(mtime);
    // The next update ran, and saw the unchanged model (the failed change's edits are gone).
    await expect(next).resolves.toBeUndefined();
    await expect(store.update('manifesto', 'es', async () => Promise.reject(new Error('async failure')))).rejects.toThrow('async failure');
    expect((await store.read('manifesto', 'es'))?.units[0].target).toBeUndefined();
  });

  it('writes nothing when the changed model cannot be serialized', async () => {
    await store.create(sampleFile());
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const before = readFileSync(path);
    const err = await rejection(
      store.update('manifesto', 'es', (file) => {
        file.units[0].target = 'bad \u0001 char';
      }),
    );
    expect(err.code).toBe('xml-invalid-char');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('reports a broken file with its name and line, and never overwrites it', async () => {
    await store.create(sampleFile());
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const lines = readFileSync(path, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('<source>Paragraph 2.</source>'));
    lines[line] = lines[line].replace('</source>', '</sorce>');
    const broken = lines.join('\n');
    writeFileSync(path, broken);

    const readErr = await rejection(store.read('manifesto', 'es'));
    expect(readErr.status).toBe(422);
    expect(readErr.code).toBe('xliff-malformed');
    // Named as the project knows it (relative to the folder holding the locales), not by the server's full path.
    const shown = join(basename(tmp.dir), 'es', 'manifesto.xlf');
    expect(readErr.message).toContain(shown);
    expect(readErr.message).not.toContain(path);
    expect(readErr.message).toContain(`line ${line + 1}, column`);
    expect(readErr.details).toMatchObject({ file: shown, line: line + 1 });

    const change = jest.fn();
    const updateErr = await rejection(store.update('manifesto', 'es', change));
    expect(updateErr.code).toBe('xliff-malformed');
    expect(change).not.toHaveBeenCalled();
    expect(readFileSync(path, 'utf8')).toBe(broken);
  });

  it('reports a file that is not XLIFF 1.2 or not UTF-8 as 422', async () => {
    mkdirSync(join(tmp.dir, 'de'));
    writeFileSync(join(tmp.dir, 'de', 'manifesto.xlf'), '<?xml version="1.0"?>\n<html/>\n');
    const invalid = await rejection(store.read('manifesto', 'de'));
    expect(invalid).toMatchObject({ status: 422, code: 'xliff-invalid' });
    expect(invalid.message).toContain(join(basename(tmp.dir), 'de', 'manifesto.xlf'));

    mkdirSync(join(tmp.dir, 'it'));
    writeFileSync(join(tmp.dir, 'it', 'manifesto.xlf'), Buffer.from('<?xml version="1.0"?>\n<xliff>caf\xe9</xliff>\n', 'latin1'));
    const latin1 = await rejection(store.read('manifesto', 'it'));
    expect(latin1).toMatchObject({ status: 422, code: 'xliff-malformed' });
    expect(latin1.details).toMatchObject({ line: 2 });
  });

  it.each(['../x', 'a/b', '%2e%2e', '__proto__', 'x\u0000y', '..', '', 'es/../../etc', 'e'])(
    'rejects the locale code %j with 400 and writes nothing',
    async (lang) => {
      const err = await rejection(store.read('manifesto', lang));
      expect(err).toMatchObject({ status: 400, code: 'invalid-locale' });
      expect((await rejection(store.create(sampleFile(lang)))).code).toBe('invalid-locale');
      expect((await rejection(store.update('manifesto', lang, () => undefined))).code).toBe('invalid-locale');
      expect(readdirSync(tmp.dir)).toEqual([]);
    },
  );

  it.each(['../x', 'a/b', '%2e%2e', '__proto__', 'x\u0000y', '.hidden', 'Upper', '', 'a'.repeat(65)])(
    'rejects the document id %j with 400 and writes nothing',
    async (document) => {
      expect(await rejection(store.read(document, 'es'))).toMatchObject({ status: 400, code: 'invalid-document' });
      expect((await rejection(store.listLocales(document))).code).toBe('invalid-document');
      expect((await rejection(store.create({ ...sampleFile(), document }))).code).toBe('invalid-document');
      expect((await rejection(store.update(document, 'es', () => undefined))).code).toBe('invalid-document');
      expect(readdirSync(tmp.dir)).toEqual([]);
    },
  );

  it('notices a file edited on disk by someone else', async () => {
    await store.create(sampleFile());
    expect((await store.read('manifesto', 'es'))?.units[0].target).toBeUndefined(); // now cached
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const edited = readFileSync(path, 'utf8').replace(
      '<source>Paragraph 1.</source>\n        <target state="needs-translation"/>',
      '<source>Paragraph 1.</source>\n        <target state="translated">Editado a mano.</target>',
    );
    expect(edited).toContain('Editado a mano.');
    writeFileSync(path, edited); // in place: same inode, different size
    // Seen from the next turn of the event loop on: the saves of one turn share one look at the file.
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.read('manifesto', 'es'))?.units[0]).toMatchObject({ target: 'Editado a mano.', state: 'translated' });

    // An update builds on the edited file, not on the stale cache.
    await store.update('manifesto', 'es', (file) => {
      file.units[1].target = 'Segundo.';
      file.units[1].state = 'translated';
    });
    const final = readFileSync(path, 'utf8');
    expect(final).toContain('Editado a mano.');
    expect(final).toContain('Segundo.');
  });

  it('reads a file changed on disk once for the reads that come for it at once, and gives each the same error when it is broken', async () => {
    await store.create(sampleFile('es', 40));
    await store.read('manifesto', 'es');
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace('<source>Paragraph 7.</source>\n        <target state="needs-translation"/>', '<source>Paragraph 7.</source>\n        <target state="translated">Cambiado fuera.</target>'));
    await new Promise((resolve) => setImmediate(resolve));
    // Twenty requests at once after a merge, a pull or a hand edit: one read of the file, each its model.
    const streamed = jest.spyOn(streaming, 'streamModel');
    try {
      const reads = await Promise.all(Array.from({ length: 20 }, () => store.read('manifesto', 'es')));
      for (const file of reads) expect(file?.units[6]).toMatchObject({ target: 'Cambiado fuera.', state: 'translated' });
      expect(streamed).toHaveBeenCalledTimes(1);
      // Broken by hand: each read says what is wrong, from the one read of it.
      writeFileSync(path, original.replace('</body>', '</bodi>'));
      await new Promise((resolve) => setImmediate(resolve));
      streamed.mockClear();
      const failures = await Promise.all(Array.from({ length: 5 }, () => rejection(store.read('manifesto', 'es'))));
      for (const err of failures) expect(err.code).toBe('xliff-malformed');
      expect(streamed).toHaveBeenCalledTimes(1);
      // Mended: read again, at the next read.
      writeFileSync(path, original);
      await new Promise((resolve) => setImmediate(resolve));
      expect((await store.read('manifesto', 'es'))?.units[6].target).toBeUndefined();
    } finally {
      streamed.mockRestore();
    }
  });

  it('reads a file another process wrote since its own saves only where it changed, and saves into it as into a file read whole', async () => {
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    await createFileLocaleStore({ dir: tmp.dir }).create(sampleFile('es', 400));
    // Held as a server holds a file it read (its units' places in its bytes), then saved into.
    await store.readForChange('manifesto', 'es');
    await store.update('manifesto', 'es', (file) => {
      file.units[3].target = 'Cuarto.';
      file.units[3].state = 'translated';
    });
    // Another process (a command beside the server): two paragraphs written, one taken out.
    const other = createFileLocaleStore({ dir: tmp.dir });
    await other.update('manifesto', 'es', (file) => {
      file.units[10].target = 'Once, desde fuera.';
      file.units[10].state = 'translated';
      file.units[3].notes = [{ text: 'Visto.', from: 'reviewer' }];
      file.removeUnits = ['p21'];
      file.units.splice(20, 1);
    });
    // The two units that changed were read, in the file's frame: a few hundred bytes, not the file.
    const read = await readAgainWhereChanged(store, path);
    expect(read?.units.map((u) => u.id)).not.toContain('p21');
    expect(read?.units.find((u) => u.id === 'p11')).toMatchObject({ target: 'Once, desde fuera.', state: 'translated' });
    // Its next save keeps what the other process wrote.
    await store.update('manifesto', 'es', (file) => {
      file.units[5].target = 'Seis.';
      file.units[5].state = 'translated';
    });
    const final = readFileSync(path, 'utf8');
    expect(final).toContain('Once, desde fuera.');
    expect(final).toContain('Visto.');
    expect(final).toContain('Seis.');
    expect(final).not.toContain('id="p21"');
    expect(validateXliff12(path)).toMatchObject({ valid: true });
    expect(await createFileLocaleStore({ dir: tmp.dir }).read('manifesto', 'es')).toEqual(await store.read('manifesto', 'es'));
  });

  it('reads a file again only where it changed after reading it with saves journaled and not yet written (a command beside a server saving)', async () => {
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    await createFileLocaleStore({ dir: tmp.dir }).create(sampleFile('es', 400));
    const base = await createFileLocaleStore({ dir: tmp.dir }).read('manifesto', 'es');
    if (!base) throw new Error('no file');
    // A server's save, journaled (acknowledged) and not yet written into the file.
    const saved: Unit = { ...base.units[3], target: 'Cuarto, del diario.', state: 'translated', revision: base.units[3].revision + 1 };
    let rows: Unit[] = [saved];
    let othersWrote = 0;
    const journal: UnitJournal = {
      pending: () => (rows.length > 0 ? { units: rows, upTo: rows.length } : undefined),
      count: () => rows.length,
      othersWrote: () => othersWrote,
      written: () => 0,
      locales: () => (rows.length > 0 ? [{ document: 'manifesto', lang: 'es' }] : []),
    };
    // A command reads the file, with the save in it, while the server goes on.
    const command = createFileLocaleStore({ dir: tmp.dir, journal });
    await command.readForChange('manifesto', 'es');
    expect((await command.read('manifesto', 'es'))?.units[3]).toMatchObject({ target: 'Cuarto, del diario.' });
    // The server writes its save into the file (its row forgotten), and another after it.
    await createFileLocaleStore({ dir: tmp.dir }).update('manifesto', 'es', (file) => {
      file.units[3] = { ...saved };
      file.units[10].target = 'Once, guardado después.';
      file.units[10].state = 'translated';
    });
    rows = [];
    othersWrote++;
    // Only the unit whose bytes the command did not hold was read: the save it had journaled is the same text.
    const read = await readAgainWhereChanged(command, path);
    expect(read?.units[3]).toMatchObject({ target: 'Cuarto, del diario.', revision: saved.revision });
    expect(read?.units[10]).toMatchObject({ target: 'Once, guardado después.' });
    // A save journaled that the file does not have (its writer stopped): read from the file, the journal's unit put in.
    const lost: Unit = { ...base.units[20], target: 'Veintiuno, sólo en el diario.', state: 'translated', revision: base.units[20].revision + 1 };
    rows = [lost];
    othersWrote++;
    await createFileLocaleStore({ dir: tmp.dir }).update('manifesto', 'es', (file) => {
      file.units[30].target = 'Treinta y uno.';
      file.units[30].state = 'translated';
    });
    const again = await command.read('manifesto', 'es');
    expect(again?.units[20]).toMatchObject({ target: 'Veintiuno, sólo en el diario.' });
    expect(again?.units[30]).toMatchObject({ target: 'Treinta y uno.' });
    expect(again?.units[10]).toMatchObject({ target: 'Once, guardado después.' });
    const fresh = await createFileLocaleStore({ dir: tmp.dir, journal }).read('manifesto', 'es');
    expect(again).toEqual(fresh);
  });

  it('keeps content it does not understand across updates', async () => {
    await store.create(sampleFile());
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const withExtras = readFileSync(path, 'utf8')
      .replace('<body>', '<body>\n      <!-- keep this comment -->')
      .replace('<trans-unit id="p3" xml:space="preserve">', '<trans-unit id="p3" xml:space="preserve" resname="closing">');
    writeFileSync(path, withExtras);
    await store.update('manifesto', 'es', (file) => {
      file.units[2].target = 'Cierre.';
      file.units[2].state = 'translated';
    });
    const final = readFileSync(path, 'utf8');
    expect(final).toContain('<!-- keep this comment -->');
    expect(final).toContain('<trans-unit id="p3" xml:space="preserve" resname="closing">');
    expect(validateXliff12(path)).toMatchObject({ valid: true });
  });
});

describe('file locale store: drift fields', () => {
  it('stores previous and source versions through update, and hands out copies of them', async () => {
    await store.create({ ...sampleFile(), sourceVersion: 1 });
    await store.update('manifesto', 'es', (file) => {
      file.sourceVersion = 2;
      file.units[0].previous = { source: 'Old paragraph 1.', target: 'Viejo 1.' };
      file.units[0].sourceVersion = 1;
    });
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    expect(validateXliff12(path)).toMatchObject({ valid: true });
    const read = await store.read('manifesto', 'es');
    expect(read?.sourceVersion).toBe(2);
    expect(read?.units[0]).toMatchObject({ previous: { source: 'Old paragraph 1.', target: 'Viejo 1.' }, sourceVersion: 1 });
    read!.units[0].previous!.source = 'mutated';
    expect((await store.read('manifesto', 'es'))?.units[0].previous?.source).toBe('Old paragraph 1.');
    const fresh = await createFileLocaleStore({ dir: tmp.dir }).read('manifesto', 'es');
    expect(fresh).toEqual(await store.read('manifesto', 'es'));
  });
});

describe('file locale store: archive of removed translations', () => {
  const archivePath = (): string => join(tmp.dir, 'es', 'manifesto.removed.xlf');

  function removedUnits(file: LocaleFile, ...ids: string[]): Unit[] {
    return file.units.filter((unit) => ids.includes(unit.id));
  }

  async function translated(): Promise<LocaleFile> {
    await store.create(sampleFile('es', 4));
    await store.update('manifesto', 'es', (file) => {
      for (const unit of file.units) {
        unit.target = `Párrafo ${unit.id} <&> "x"`;
        unit.state = 'translated';
        unit.revision = 2;
        unit.notes = [{ text: `Note on ${unit.id}`, from: 'translator' }];
      }
      file.units[1].previous = { source: 'Older paragraph 2.' };
      file.units[1].sourceVersion = 1;
    });
    return (await store.read('manifesto', 'es'))!;
  }

  it('reads [] when there is no archive', async () => {
    expect(await store.readArchive('manifesto', 'es')).toEqual([]);
    await store.create(sampleFile());
    expect(await store.readArchive('manifesto', 'es')).toEqual([]);
  });

  it('creates the archive on first use: schema-valid, ids <id>@<version>, a workbench note, everything else kept', async () => {
    const file = await translated();
    const before = Date.now();
    await store.archive('manifesto', 'es', 3, removedUnits(file, 'p2', 'p4'));
    expect(existsSync(archivePath())).toBe(true);
    expect(validateXliff12(archivePath())).toMatchObject({ valid: true });
    const xml = readFileSync(archivePath(), 'utf8');
    expect(xml).toContain('<file original="manifesto" source-language="en" target-language="es"');
    expect(xml).toContain('<trans-unit id="p2@3" xml:space="preserve">');
    expect(xml).toContain('<count-group name="workbench:p2@3">');

    const archived = await store.readArchive('manifesto', 'es');
    expect(archived.map((unit) => unit.id)).toEqual(['p2@3', 'p4@3']);
    for (const [i, id] of ['p2', 'p4'].entries()) {
      const original = file.units.find((unit) => unit.id === id)!;
      const { notes, ...rest } = archived[i];
      expect(rest).toEqual({ ...original, id: `${id}@3`, notes: undefined });
      expect(notes.slice(0, -1)).toEqual(original.notes);
      const note = notes.at(-1)!;
      expect(note.from).toBe('workbench');
      const match = /^Removed from the source in version 3 on (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/.exec(note.text);
      expect(match).not.toBeNull();
      expect(Date.parse(match![1])).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(match![1])).toBeLessThanOrEqual(Date.now());
    }
    expect(archived[0]).toMatchObject({ previous: { source: 'Older paragraph 2.' }, sourceVersion: 1 });
    // The locale file itself is untouched, and still the only one listed.
    expect((await store.read('manifesto', 'es'))?.units).toHaveLength(4);
    expect(listTree(tmp.dir)).toEqual(['es/manifesto.removed.xlf', 'es/manifesto.xlf']);
  });

  it('is idempotent: a retried archive adds nothing and does not rewrite the file; a later version adds', async () => {
    const file = await translated();
    await store.archive('manifesto', 'es', 3, removedUnits(file, 'p2'));
    const bytes = readFileSync(archivePath());
    const mtime = statSync(archivePath()).mtimeMs;
    await store.archive('manifesto', 'es', 3, removedUnits(file, 'p2'));
    await store.archive('manifesto', 'es', 3, [...removedUnits(file, 'p2'), ...removedUnits(file, 'p2')]);
    expect(readFileSync(archivePath()).equals(bytes)).toBe(true);
    expect(statSync(archivePath()).mtimeMs).toBe(mtime);
    // A fresh store (no cache) agrees.
    await createFileLocaleStore({ dir: tmp.dir }).archive('manifesto', 'es', 3, removedUnits(file, 'p2'));
    expect(readFileSync(archivePath()).equals(bytes)).toBe(true);

    // Same unit twice in one call: archived once. Another version of the same unit: a new entry.
    await store.archive('manifesto', 'es', 4, [...removedUnits(file, 'p2', 'p3'), ...removedUnits(file, 'p3')]);
    const archived = await store.readArchive('manifesto', 'es');
    expect(archived.map((unit) => unit.id)).toEqual(['p2@3', 'p2@4', 'p3@4']);
    expect(archived[1].notes.at(-1)?.text).toMatch(/^Removed from the source in version 4 on /);
    expect(validateXliff12(archivePath())).toMatchObject({ valid: true });
    // Nothing to archive: no file is created.
    await store.create(sampleFile('fr'));
    await store.archive('manifesto', 'fr', 1, []);
    expect(existsSync(join(tmp.dir, 'fr', 'manifesto.removed.xlf'))).toBe(false);
  });

  it('hands out copies of archived units', async () => {
    const file = await translated();
    await store.archive('manifesto', 'es', 2, removedUnits(file, 'p2'));
    const first = await store.readArchive('manifesto', 'es');
    first[0].notes.push({ text: 'mutated' });
    first[0].previous!.source = 'mutated';
    const again = await store.readArchive('manifesto', 'es');
    expect(again[0].notes.map((n) => n.text)).not.toContain('mutated');
    expect(again[0].previous?.source).toBe('Older paragraph 2.');
  });

  it('loses nothing when archives and updates of the same locale run concurrently', async () => {
    await store.create(sampleFile('es', 40));
    const original = (await store.read('manifesto', 'es'))!;
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      work.push(
        store.update('manifesto', 'es', async (file) => {
          await new Promise((resolve) => setImmediate(resolve));
          file.units[i].target = `Traducción ${i + 1}`;
          file.units[i].state = 'translated';
          file.units[i].revision += 1;
        }),
      );
      work.push(store.archive('manifesto', 'es', 2 + (i % 5), [original.units[i]]));
    }
    // A migration archiving from inside an update of the same locale (must not deadlock), then dropping the unit.
    work.push(
      store.update('manifesto', 'es', async (file) => {
        const removed = file.units.filter((unit) => unit.id === 'p40');
        await store.archive('manifesto', 'es', 9, removed);
        file.units = file.units.filter((unit) => unit.id !== 'p40');
      }),
    );
    await Promise.all(work);

    const fresh = createFileLocaleStore({ dir: tmp.dir });
    const locale = await fresh.read('manifesto', 'es');
    // Every translation is there (p40 too: a unit left out of the model is kept in the file, see below).
    expect(locale?.units.map((u) => u.target)).toEqual(Array.from({ length: 40 }, (_, i) => `Traducción ${i + 1}`));
    const archived = await fresh.readArchive('manifesto', 'es');
    expect(archived.map((u) => u.id).sort()).toEqual([...Array.from({ length: 40 }, (_, i) => `p${i + 1}@${2 + (i % 5)}`), 'p40@9'].sort());
    expect(archived.find((u) => u.id === 'p40@9')?.target).toBe('Traducción 40');
    expect(validateXliff12(join(tmp.dir, 'es', 'manifesto.xlf'))).toMatchObject({ valid: true });
    expect(validateXliff12(archivePath())).toMatchObject({ valid: true });
    // p40 is out of the model but its element stays in the file (units not in the model are kept).
    expect(listTree(tmp.dir)).toEqual(['es/manifesto.removed.xlf', 'es/manifesto.xlf']);
  });

  it('listLocales ignores archives', async () => {
    const file = await translated();
    await store.archive('manifesto', 'es', 2, removedUnits(file, 'p1'));
    mkdirSync(join(tmp.dir, 'de'));
    writeFileSync(join(tmp.dir, 'de', 'manifesto.removed.xlf'), readFileSync(archivePath()));
    expect(await store.listLocales('manifesto')).toEqual(['es']);
  });

  it('refuses to start an archive for a locale without a file (404), and a bad version (400)', async () => {
    const missing = await rejection(store.archive('manifesto', 'es', 1, sampleFile().units));
    expect(missing).toMatchObject({ status: 404, code: 'locale-not-found' });
    await store.create(sampleFile());
    for (const version of [-1, 1.5, Number.NaN, '2' as unknown as number]) {
      expect(await rejection(store.archive('manifesto', 'es', version, sampleFile().units))).toMatchObject({ status: 400, code: 'invalid-version' });
    }
    expect(listTree(tmp.dir)).toEqual(['es/manifesto.xlf']);
  });

  it('writes nothing when an archived unit cannot be written', async () => {
    await store.create(sampleFile());
    const bad = { ...sampleFile().units[0], target: 'bad \u0001' };
    expect((await rejection(store.archive('manifesto', 'es', 1, [bad]))).code).toBe('xml-invalid-char');
    expect(listTree(tmp.dir)).toEqual(['es/manifesto.xlf']);
    await store.archive('manifesto', 'es', 1, [sampleFile().units[0]]);
    const before = readFileSync(archivePath());
    expect((await rejection(store.archive('manifesto', 'es', 2, [bad]))).code).toBe('xml-invalid-char');
    expect(readFileSync(archivePath()).equals(before)).toBe(true);
    expect((await store.readArchive('manifesto', 'es')).map((u) => u.id)).toEqual(['p1@1']);
  });

  it.each(['../x', 'a/b', '%2e%2e', '__proto__', 'x\u0000y', '..', '', 'es/../../etc', 'e'])('rejects the locale code %j with 400 and writes nothing', async (lang) => {
    expect(await rejection(store.archive('manifesto', lang, 1, sampleFile().units))).toMatchObject({ status: 400, code: 'invalid-locale' });
    expect(await rejection(store.readArchive('manifesto', lang))).toMatchObject({ status: 400, code: 'invalid-locale' });
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it.each(['../x', 'a/b', '%2e%2e', '__proto__', 'x\u0000y', '.hidden', 'Upper', '', 'a'.repeat(65), 'manifesto.removed'])(
    'rejects the document id %j with 400 and writes nothing',
    async (document) => {
      expect(await rejection(store.archive(document, 'es', 1, sampleFile().units))).toMatchObject({ status: 400, code: 'invalid-document' });
      expect(await rejection(store.readArchive(document, 'es'))).toMatchObject({ status: 400, code: 'invalid-document' });
      expect(readdirSync(tmp.dir)).toEqual([]);
    },
  );
});

describe('file locale store: removing units', () => {
  const path = (): string => join(tmp.dir, 'es', 'manifesto.xlf');

  it('takes the units a change lists in removeUnits out of the file; cached and cold reads agree', async () => {
    await store.create(sampleFile('es', 6));
    await store.update('manifesto', 'es', (file) => {
      for (const unit of file.units) {
        unit.target = `Párrafo ${unit.id}.`;
        unit.state = 'translated';
        unit.revision = 1;
      }
    });

    const seen: LocaleFile[] = [];
    await store.update('manifesto', 'es', (draft) => {
      seen.push(structuredClone(draft));
      draft.removeUnits = ['p1', 'p4', 'p6', 'not-there'];
      draft.units = draft.units.filter((unit) => !draft.removeUnits!.includes(unit.id));
    });
    expect(seen[0]).not.toHaveProperty('removeUnits');
    expect(seen[0].units).toHaveLength(6);

    const xml = readFileSync(path(), 'utf8');
    for (const id of ['p1', 'p4', 'p6']) expect(xml).not.toContain(`id="${id}"`);
    for (const id of ['p2', 'p3', 'p5']) expect(xml).toContain(`<trans-unit id="${id}" xml:space="preserve">`);
    expect(xml).not.toMatch(/\n[ \t]*\n/);
    expect(xml).not.toContain('removeUnits');
    expect(validateXliff12(path())).toMatchObject({ valid: true });

    const cached = await store.read('manifesto', 'es');
    expect(cached?.units.map((unit) => unit.id)).toEqual(['p2', 'p3', 'p5']);
    expect(cached).not.toHaveProperty('removeUnits');
    const cold = await createFileLocaleStore({ dir: tmp.dir }).read('manifesto', 'es');
    expect(cold).toEqual(cached);

    // The next change gets a draft without removeUnits, and finds the remaining units where they are.
    await store.update('manifesto', 'es', (draft) => {
      expect(draft).not.toHaveProperty('removeUnits');
      expect(draft.units.map((unit) => unit.id)).toEqual(['p2', 'p3', 'p5']);
      draft.units[2].target = 'Quinto.';
      draft.units[2].revision += 1;
    });
    expect(readFileSync(path(), 'utf8')).toMatch(/<trans-unit id="p5" xml:space="preserve">\s*<source>Paragraph 5.<\/source>\s*<target state="translated">Quinto.<\/target>/);
    const after = await store.read('manifesto', 'es');
    expect(after?.units.map((unit) => [unit.id, unit.target, unit.revision])).toEqual([
      ['p2', 'Párrafo p2.', 1],
      ['p3', 'Párrafo p3.', 1],
      ['p5', 'Quinto.', 2],
    ]);
    expect(await createFileLocaleStore({ dir: tmp.dir }).read('manifesto', 'es')).toEqual(after);
    expect(validateXliff12(path())).toMatchObject({ valid: true });
  });

  it('still keeps units a change only leaves out of the draft', async () => {
    await store.create(sampleFile('es', 3));
    await store.update('manifesto', 'es', (draft) => {
      draft.units = draft.units.filter((unit) => unit.id !== 'p1' && unit.id !== 'p3');
      draft.removeUnits = ['p3'];
    });
    expect((await store.read('manifesto', 'es'))?.units.map((unit) => unit.id)).toEqual(['p1', 'p2']);
    expect(readFileSync(path(), 'utf8')).toContain('<trans-unit id="p1" xml:space="preserve">');
  });

  it('writes nothing when a change lists a unit it keeps (400), and keeps working', async () => {
    await store.create(sampleFile('es', 3));
    const before = readFileSync(path());
    const err = await rejection(
      store.update('manifesto', 'es', (draft) => {
        draft.removeUnits = ['p2'];
      }),
    );
    expect(err).toMatchObject({ status: 400, code: 'xliff-invalid-model' });
    expect(readFileSync(path()).equals(before)).toBe(true);
    expect((await store.read('manifesto', 'es'))?.units).toHaveLength(3);
    await store.update('manifesto', 'es', (draft) => {
      draft.removeUnits = ['p2'];
      draft.units.splice(1, 1);
    });
    expect((await store.read('manifesto', 'es'))?.units.map((unit) => unit.id)).toEqual(['p1', 'p3']);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file and leaves no temp file behind', async () => {
    const path = join(tmp.dir, 'file.txt');
    writeFileSync(path, 'old');
    const stats = await writeFileAtomic(path, 'new content');
    expect(readFileSync(path, 'utf8')).toBe('new content');
    expect(stats.size).toBe(Buffer.byteLength('new content'));
    expect(statSync(path).ino).toBe(stats.ino);
    expect(readdirSync(tmp.dir)).toEqual(['file.txt']);
  });

  it('removes the temp file and reports the path when the rename fails', async () => {
    const path = join(tmp.dir, 'file.txt');
    writeFileSync(path, 'old');
    const failingFs = { ...fsPromises, rename: async () => Promise.reject(Object.assign(new Error('disk on fire'), { code: 'EIO' })) };
    const err = await writeFileAtomic(path, 'new', failingFs).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toBe(`Cannot write ${path}`);
    expect((err?.cause as Error).message).toBe('disk on fire');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(tmp.dir)).toEqual(['file.txt']);
  });

  it('tolerates platforms that refuse to fsync a directory', async () => {
    const path = join(tmp.dir, 'file.txt');
    const dirRefusingFs = {
      ...fsPromises,
      open: (async (p: string, flags: string) => {
        if (p === tmp.dir) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
        return fsPromises.open(p, flags);
      }) as typeof fsPromises.open,
    };
    await writeFileAtomic(path, 'data', dirRefusingFs);
    expect(readFileSync(path, 'utf8')).toBe('data');
  });
});
