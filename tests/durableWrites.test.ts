import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkbench } from '../server/application/createWorkbench';
import { createLocaleFile } from './helpers/xliff12Files';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { prepareFileAtomic, writeFileAtomic } from '../server/storage/writeFileAtomic';
import { runOffThread, wholeBuffer } from '../server/storage/writerThread';
import { LOCK_FILES, localLock } from '../server/storage/projectLock';
import { makeProject } from './helpers/project';
import { makeTempDir, type TempDir } from './helpers/tempDir';

// How the stores write: texts and chunks in as few system calls as possible, whole sequences of
// file operations on a thread of their own, a source version's files written while it is aligned
// and its locales brought up to it while its files are made durable, never out of order.

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir('durable-writes-test');
});
afterEach(() => tmp.cleanup());

/**
 * Every file under `dir`, recursively, relative to it (temp files included: they start with a dot;
 * the project lock's files left out, and the database's shared-memory index, which SQLite rewrites
 * when it reads: a read of the journal is not a write).
 */
function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((entry) => !LOCK_FILES.includes(entry.name) && entry.name !== 'workbench.db-shm').flatMap((entry) =>
    entry.isDirectory() ? listTree(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe('writeFileAtomic and prepareFileAtomic', () => {
  it('write texts and byte chunks one after the other, as UTF-8', async () => {
    const path = join(tmp.dir, 'file.txt');
    const text = 'Ünïcödé — 𝔘𝔫𝔦 😀 ';
    const stats = await writeFileAtomic(path, [text, Buffer.from('bytes, '), new Uint8Array([0xe2, 0x80, 0x94]), '', text.repeat(1000)]);
    const expected = Buffer.concat([Buffer.from(text), Buffer.from('bytes, '), Buffer.from('—'), Buffer.from(text.repeat(1000))]);
    expect(readFileSync(path)).toEqual(expected);
    expect(stats.size).toBe(expected.length);
    expect(readdirSync(tmp.dir)).toEqual(['file.txt']);
  });

  it('leave the old file in place until commit, and nothing behind on discard', async () => {
    const path = join(tmp.dir, 'file.txt');
    writeFileSync(path, 'old');
    const write = await prepareFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('old');
    await write.discard();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(tmp.dir)).toEqual(['file.txt']);
    const again = await prepareFileAtomic(path, 'new');
    await again.commit();
    await again.discard(); // after a commit: nothing to do
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(tmp.dir)).toEqual(['file.txt']);
  });
});

describe('runOffThread', () => {
  it('runs a sequence in order: files written and fsynced, renamed, the signal given when reached', async () => {
    const events: string[] = [];
    const stamps = await runOffThread(
      [
        { op: 'write', files: [{ path: join(tmp.dir, 'sub', '.a.tmp'), dir: join(tmp.dir, 'sub') }, { path: join(tmp.dir, '.b.tmp') }], data: { texts: ['Ünï', 'cödé'] } },
        { op: 'rename', from: join(tmp.dir, 'sub', '.a.tmp'), to: join(tmp.dir, 'sub', 'a.txt') },
        { op: 'syncDir', dir: join(tmp.dir, 'sub') },
        { op: 'write', files: [{ path: join(tmp.dir, '.c.tmp') }], data: { bytes: Uint8Array.from(Buffer.from('{"list": [1, "twö"]}\n')) } },
        { op: 'signal' },
        { op: 'rename', from: join(tmp.dir, '.c.tmp'), to: join(tmp.dir, 'c.json') },
      ],
      () => events.push('signal'),
    );
    expect(events).toEqual(['signal']);
    expect(stamps.map((stamp) => stamp.size)).toEqual([Buffer.byteLength('Ünïcödé'), Buffer.byteLength('Ünïcödé'), Buffer.byteLength('{"list": [1, "twö"]}\n')]);
    expect(readFileSync(join(tmp.dir, 'sub', 'a.txt'), 'utf8')).toBe('Ünïcödé');
    expect(readFileSync(join(tmp.dir, '.b.tmp'), 'utf8')).toBe('Ünïcödé');
    expect(readFileSync(join(tmp.dir, 'c.json'), 'utf8')).toBe('{"list": [1, "twö"]}\n');
  });

  it('moves the bytes it is given to move: written as they were, the caller left without them; a slice of a bigger buffer is not moved', async () => {
    const text = 'A sidecar’s text, a thousand times. '.repeat(1000);
    const bytes = Buffer.from(text, 'utf8');
    const whole = wholeBuffer(bytes);
    expect(whole).toBeDefined();
    const stamps = await runOffThread([{ op: 'write', files: [{ path: join(tmp.dir, 'moved.txt') }], data: { bytes } }], undefined, whole && [whole]);
    expect(readFileSync(join(tmp.dir, 'moved.txt'), 'utf8')).toBe(text);
    expect(stamps[0].size).toBe(Buffer.byteLength(text));
    // Moved, not copied: this thread no longer holds them.
    expect(bytes.buffer.byteLength).toBe(0);
    expect(wholeBuffer(Buffer.from('a few bytes from the pool'))).toBeUndefined();
    expect(wholeBuffer(new Uint8Array(8).subarray(2))).toBeUndefined();
  });

  it('stops at the first step that fails: the steps after it are not run, the files it wrote and did not move are removed', async () => {
    const signals: string[] = [];
    writeFileSync(join(tmp.dir, 'in-the-way'), 'a file, not a folder');
    const failed = runOffThread(
      [
        { op: 'write', files: [{ path: join(tmp.dir, '.kept.tmp') }], data: { texts: ['kept'] } },
        { op: 'rename', from: join(tmp.dir, '.kept.tmp'), to: join(tmp.dir, 'kept.txt') },
        { op: 'write', files: [{ path: join(tmp.dir, '.gone.tmp') }], data: { texts: ['gone'] } },
        { op: 'rename', from: join(tmp.dir, '.missing.tmp'), to: join(tmp.dir, 'missing.txt') },
        { op: 'signal' },
        { op: 'rename', from: join(tmp.dir, '.gone.tmp'), to: join(tmp.dir, 'gone.txt') },
      ],
      () => signals.push('signal'),
    );
    await expect(failed).rejects.toMatchObject({ message: `Cannot write ${join(tmp.dir, 'missing.txt')}`, cause: { code: 'ENOENT' } });
    expect(signals).toEqual([]);
    expect(listTree(tmp.dir).sort()).toEqual(['in-the-way', 'kept.txt']);

    await expect(runOffThread([{ op: 'write', files: [{ path: join(tmp.dir, 'in-the-way', '.x.tmp'), dir: join(tmp.dir, 'in-the-way') }], data: { texts: ['x'] } }])).rejects.toMatchObject({
      cause: { code: expect.stringMatching(/EEXIST|ENOTDIR/) },
    });
  });

  it('a sequence given just as the idle worker is let go runs on the next one: the old worker ending does not fail it', async () => {
    // Only the writer's idle timer is faked: the workers and their messages are real.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance', 'Date'] });
    try {
      await runOffThread([{ op: 'write', files: [{ path: join(tmp.dir, '.first.tmp') }], data: { texts: ['first'] } }]);
      // A while idle (a server with nothing to write, or one whose thread was busy meanwhile): the
      // worker is let go, and ends a moment later, while the next sequence already waits for the next worker.
      jest.advanceTimersByTime(60_000);
      const next = runOffThread([
        { op: 'write', files: [{ path: join(tmp.dir, '.next.tmp') }], data: { texts: ['next'] } },
        { op: 'rename', from: join(tmp.dir, '.next.tmp'), to: join(tmp.dir, 'next.txt') },
      ]);
      await expect(next).resolves.toHaveLength(1);
      expect(readFileSync(join(tmp.dir, 'next.txt'), 'utf8')).toBe('next');
    } finally {
      jest.useRealTimers();
    }
  });
});

/**
 * The project's files (what `listTree` lists, less `.cache/`: values kept for the next process, made
 * in the background, safe to delete) and any temp file, wherever it is.
 */
function projectFiles(dir: string): string[] {
  return listTree(dir).filter((file) => !file.startsWith('.cache/') || /\/\.[^/]*\.tmp$/.test(file));
}

/** Temp files, and any other dot file beside the project's own (see projectFiles). */
const hidden = (dir: string): string[] => projectFiles(dir).filter((file) => /(^|\/)\./.test(file));

describe('a source update', () => {
  const V1 = '# Title\n\nThe first paragraph.\n\nThe second paragraph.\n\nThe third paragraph.\n';
  const V2 = '# Title\n\nThe first paragraph, changed.\n\nThe second paragraph.\n\nThe third paragraph.\n';

  it('writes the sidecar as before (JSON, one field per line) and leaves no temp file behind', async () => {
    const project = makeProject({ 'doc.md': V1 });
    try {
      const workbench = createWorkbench(project.dir);
      await workbench.startLocale('doc', 'es');
      await workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' });
      const sidecar = project.read('source/doc.segments.json');
      expect(sidecar).toBe(`${JSON.stringify(JSON.parse(sidecar), null, 1)}\n`);
      expect(JSON.parse(sidecar)).toMatchObject({ document: 'doc', version: 2, segments: expect.arrayContaining([expect.objectContaining({ text: 'The first paragraph, changed.' })]) });
      expect(project.read('source/doc.md')).toBe(V2);
      expect(project.read('source/doc.versions/2.md')).toBe(V2);
      expect(hidden(project.dir)).toEqual([]);
    } finally {
      project.cleanup();
    }
  });

  it('with the same text, records no version, writes nothing and leaves no temp file behind', async () => {
    const project = makeProject({ 'doc.md': V1 });
    try {
      const workbench = createWorkbench(project.dir);
      await workbench.startLocale('doc', 'es');
      const before = projectFiles(project.dir).map((file) => [file, readFileSync(join(project.dir, file), 'utf8')]);
      const report = await workbench.updateSource('doc', Buffer.from(V1), { name: 'doc.md' });
      expect(report.changed).toBe(false);
      expect(projectFiles(project.dir).map((file) => [file, readFileSync(join(project.dir, file), 'utf8')])).toEqual(before);
    } finally {
      project.cleanup();
    }
  });

  it('refused, writes nothing and leaves no temp file behind', async () => {
    const project = makeProject({ 'doc.md': V1 });
    try {
      const workbench = createWorkbench(project.dir);
      await workbench.startLocale('doc', 'es');
      const { segments } = await workbench.listSegments('doc', 'es');
      for (const s of segments) await workbench.translations.saveTarget('doc', 'es', s.id, { target: `T ${s.source}`, baseRevision: 0 });
      const before = projectFiles(project.dir).map((file) => [file, readFileSync(join(project.dir, file), 'utf8')]);
      await expect(workbench.updateSource('doc', Buffer.from('# Other\n\nNothing in common here at all.\n'), { name: 'doc.md' })).rejects.toMatchObject({ status: 409 });
      expect(projectFiles(project.dir).map((file) => [file, readFileSync(join(project.dir, file), 'utf8')])).toEqual(before);
    } finally {
      project.cleanup();
    }
  });

  it('whose files cannot be written, changes neither the source nor its locales', async () => {
    const project = makeProject({ 'doc.md': V1 });
    try {
      const workbench = createWorkbench(project.dir);
      await workbench.startLocale('doc', 'es');
      const locale = project.read('locales/es/doc.xlf');
      // The sidecar's place is taken by a folder: its rename fails, before the commit point.
      rmSync(join(project.sourceDir, 'doc.segments.json'));
      project.write('source/doc.segments.json/blocker', 'in the way');
      await expect(workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md' })).rejects.toThrow();
      expect(project.read('source/doc.md')).toBe(V1);
      expect(project.read('locales/es/doc.xlf')).toBe(locale);
      expect(existsSync(join(project.dir, 'source', 'doc.versions', '2.md'))).toBe(true); // the copy, named by no version: harmless
      expect(hidden(project.dir)).toEqual([]);
      expect(listTree(project.dir).filter((file) => file.startsWith('locales/'))).toEqual(['locales/es/doc.xlf']);
    } finally {
      project.cleanup();
    }
  });
});

describe('the locale store', () => {
  it('peek looks at the stored model without a copy; read gives a copy', async () => {
    const store = createFileLocaleStore({ dir: tmp.dir });
    await store.create(createLocaleFile('doc', 'en', 'es', [{ id: 'p1', source: 'One.' }]));
    const seen: unknown[] = [];
    expect(await store.peek('doc', 'es', (file) => (seen.push(file), file.units.length))).toBe(1);
    expect(await store.peek('doc', 'es', (file) => (seen.push(file), file.units[0].source))).toBe('One.');
    expect(seen[0]).toBe(seen[1]);
    expect(await store.read('doc', 'es')).not.toBe(seen[0]);
    expect(await store.peek('doc', 'fr', () => 'never called')).toBeUndefined();
  });

  it('prepareUpdate: the new file replaces the old one only at commit, never after a discard; the file is held meanwhile', async () => {
    const lock = localLock();
    const store = createFileLocaleStore({ dir: tmp.dir, lock });
    await store.create(createLocaleFile('doc', 'en', 'es', [{ id: 'p1', source: 'One.' }]));
    // What happens between prepare and commit must be under the same hold of the project's lock.
    expect(() => store.prepareUpdate('doc', 'es', () => undefined)).toThrow('inside a hold of the project lock');
    await lock.hold(async () => {
    const path = join(tmp.dir, 'es', 'doc.xlf');
    const before = readFileSync(path, 'utf8');
    const prepared = await store.prepareUpdate('doc', 'es', (draft) => {
      draft.units[0].target = 'Uno.';
      draft.units[0].state = 'translated';
      return 'changed';
    });
    expect(prepared.result).toBe('changed');
    expect(prepared.file.units[0].target).toBe('Uno.');
    // Written aside: the file itself is as it was, and another update waits for the commit.
    let waited = false;
    const next = store.update('doc', 'es', (draft) => {
      waited = true;
      return draft.units[0].target;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(waited).toBe(false);
    await prepared.commit();
    expect(await next).toBe('Uno.');
    expect(readFileSync(path, 'utf8')).toContain('Uno.');
    await expect(prepared.commit()).rejects.toThrow('already committed or discarded');

    const refused = await store.prepareUpdate('doc', 'es', (draft) => void (draft.units[0].target = 'Eins.'));
    await refused.discard();
    expect(readFileSync(path, 'utf8')).toContain('Uno.');
    expect((await store.read('doc', 'es'))?.units[0].target).toBe('Uno.');
    expect(readdirSync(join(tmp.dir, 'es'))).toEqual(['doc.xlf']);
    await expect(store.prepareUpdate('doc', 'es', () => {
      throw new Error('not now');
    })).rejects.toThrow('not now');
    expect((await store.read('doc', 'es'))?.units[0].target).toBe('Uno.');
    });
  });
});
