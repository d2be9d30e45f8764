import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LocaleFile } from '../server/domain/types';
import { WorkbenchError } from '../server/errors';
import { createLocaleFile } from '../server/formats/xliff12';
import { createFileLocaleStore, type LocaleStore } from '../server/storage/localeStore';
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
function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listTree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe('file locale store', () => {
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

  it('keeps content it does not understand across updates', async () => {
    await store.create(sampleFile());
    const path = join(tmp.dir, 'es', 'manifesto.xlf');
    const withExtras = readFileSync(path, 'utf8')
      .replace('<body>', '<body>\n      <!-- keep this comment -->')
      .replace('<trans-unit id="p3">', '<trans-unit id="p3" resname="closing">');
    writeFileSync(path, withExtras);
    await store.update('manifesto', 'es', (file) => {
      file.units[2].target = 'Cierre.';
      file.units[2].state = 'translated';
    });
    const final = readFileSync(path, 'utf8');
    expect(final).toContain('<!-- keep this comment -->');
    expect(final).toContain('<trans-unit id="p3" resname="closing">');
    expect(validateXliff12(path)).toMatchObject({ valid: true });
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
