import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../server/app';
import { createProject } from '../server/application/createWorkbench';
import { fileStamp } from '../server/storage/fileIdentity';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { closeProjectLock, projectLock } from '../server/storage/projectLock';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { makeManifestoProject, REPO_ROOT, type TestProject } from './helpers/project';
import { freePorts, startServer } from './helpers/server';
import { validateXliff12 } from './helpers/xmllint';

// A server's saves are made durable in the project database's unit journal (with their history
// entries) and acknowledged; the locale file is written behind them, within a second or two, with
// the saves that came meanwhile. Whatever stops the server, the next process to read the file
// reads it with the journaled saves and writes them into it.

const DOC = 'communard-manifesto';
const CLI = path.join(REPO_ROOT, 'dist/scripts/workbench.js');

jest.setTimeout(60_000);

let project: TestProject;
beforeEach(() => {
  project = makeManifestoProject();
});
afterEach(() => {
  closeProjectLock(project.dir);
  project.cleanup();
});

const fileOf = () => path.join(project.dir, 'locales', 'es', `${DOC}.xlf`);
const journalRows = () => projectRecords(project.dir).db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM unit_journal').get()?.n ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The targets of the locale file on disk, by unit id (read by a project of its own, as another process would). */
function targetsOnDisk(): Map<string, string | undefined> {
  const xml = readFileSync(fileOf(), 'utf8');
  const targets = new Map<string, string | undefined>();
  for (const match of xml.matchAll(/<trans-unit id="([^"]+)"[^>]*>[\s\S]*?<\/trans-unit>/g)) {
    const target = /<target[^>/]*>([\s\S]*?)<\/target>/.exec(match[0]);
    targets.set(match[1], target?.[1]);
  }
  return targets;
}

async function serverApp() {
  const app = createApp({ dataDir: project.dir, log: () => undefined, writeBehindMs: 1000 });
  const { accounts } = projectRecords(project.dir);
  await accounts.addUser('admin', [{ kind: 'admin' }]);
  const { token } = await accounts.createToken('admin');
  const api = request.agent(app).set('Authorization', `Bearer ${token}`);
  expect((await api.post(`/api/documents/${DOC}/locales`).send({ code: 'es' })).status).toBe(201);
  const listed = (await api.get(`/api/documents/${DOC}/locales/es/segments?limit=40`)).body as { segments: { id: string; revision: number }[] };
  return { app, api, project: app.locals.project as ReturnType<typeof createProject>, segments: listed.segments };
}

describe('saves written behind them', () => {
  it('are acknowledged once journaled; the file has them within seconds, strict-valid, and the journal is emptied', async () => {
    const { api, segments } = await serverApp();
    const answers = await Promise.all(segments.slice(0, 20).map((s, i) => api.put(`/api/documents/${DOC}/locales/es/segments/${s.id}`).send({ target: `Traducción ${i}`, baseRevision: s.revision })));
    expect(answers.map((a) => a.status)).toEqual(segments.slice(0, 20).map(() => 200));
    // The history has every save at once, and the server answers with them at once.
    expect((await projectRecords(project.dir).history.list(DOC, 'es')).filter((e) => e.action === 'save')).toHaveLength(20);
    const listed = (await api.get(`/api/documents/${DOC}/locales/es/segments?limit=20`)).body as { segments: { target?: string }[] };
    expect(listed.segments.map((s) => s.target)).toEqual(segments.slice(0, 20).map((_, i) => `Traducción ${i}`));
    // Written behind: within a few seconds, with nothing left in the journal.
    for (let i = 0; i < 100 && (journalRows() > 0 || targetsOnDisk().get(segments[19].id) !== 'Traducción 19'); i++) await sleep(50);
    const onDisk = targetsOnDisk();
    expect(segments.slice(0, 20).map((s) => onDisk.get(s.id))).toEqual(segments.slice(0, 20).map((_, i) => `Traducción ${i}`));
    expect(journalRows()).toBe(0);
    expect(validateXliff12(fileOf())).toEqual({ valid: true, output: expect.any(String) });
  });

  it('a download of the file, and a stop of the server, write what is held first', async () => {
    const { api, project: served, segments } = await serverApp();
    expect((await api.put(`/api/documents/${DOC}/locales/es/segments/${segments[0].id}`).send({ target: 'Descargada', baseRevision: segments[0].revision })).status).toBe(200);
    const downloaded = await api.get(`/api/documents/${DOC}/locales/es/export/xliff?draft=1`).buffer(true);
    expect(downloaded.status).toBe(200);
    expect(downloaded.text).toContain('Descargada');
    // The download is the file: written before it was read.
    expect(targetsOnDisk().get(segments[0].id)).toBe('Descargada');
    expect((await api.put(`/api/documents/${DOC}/locales/es/segments/${segments[1].id}`).send({ target: 'Antes de parar', baseRevision: segments[1].revision })).status).toBe(200);
    await served.workbench.keepCaches(); // what a clean stop does
    expect(targetsOnDisk().get(segments[1].id)).toBe('Antes de parar');
    expect(journalRows()).toBe(0);
  });

  it('a paragraph saved again and again before its file is written: the file has its last save, as the server answered it, strict-valid', async () => {
    const { api, project: served, segments } = await serverApp();
    const [again, other] = segments;
    let revision = again.revision;
    let last: { target?: string; state?: string; revision: number } | undefined;
    for (let i = 0; i < 15; i++) {
      const res = await api.put(`/api/documents/${DOC}/locales/es/segments/${again.id}`).send({ target: `Versión ${i} <b>&amp;</b> "${'ñ'.repeat(i)}"`, baseRevision: revision });
      expect(res.status).toBe(200);
      last = res.body as typeof last;
      revision = (last as { revision: number }).revision;
    }
    expect((await api.put(`/api/documents/${DOC}/locales/es/segments/${other.id}`).send({ target: 'Otra', baseRevision: other.revision })).status).toBe(200);
    // Put into the file's text while the write behind waits (no save came for a while), then saved again.
    await sleep(400);
    const again15 = await api.put(`/api/documents/${DOC}/locales/es/segments/${again.id}`).send({ target: `Versión 15 <b>&amp;</b> "${'ñ'.repeat(15)}"`, baseRevision: revision });
    expect(again15.status).toBe(200);
    last = again15.body as typeof last;
    // A stale save of the paragraph is still refused while its saves are held.
    expect((await api.put(`/api/documents/${DOC}/locales/es/segments/${again.id}`).send({ target: 'Vieja', baseRevision: again.revision })).status).toBe(409);
    await served.workbench.keepCaches();
    expect(journalRows()).toBe(0);
    expect(validateXliff12(fileOf())).toMatchObject({ valid: true });
    // Read by a store of its own, as another process reads the file: what the server answered.
    const fresh = await createFileLocaleStore({ dir: path.join(project.dir, 'locales') }).read(DOC, 'es');
    const unit = fresh?.units.find((u) => u.id === again.id);
    expect({ target: unit?.target, state: unit?.state, revision: unit?.revision }).toEqual({ target: last?.target, state: last?.state, revision: last?.revision });
    expect(last?.target).toBe(`Versión 15 <b>&amp;</b> "${'ñ'.repeat(15)}"`);
    expect(fresh?.units.find((u) => u.id === other.id)?.target).toBe('Otra');
  });

  it('more paragraphs saved than a write puts into the text at a time: all are written, while saves go on', async () => {
    const { api, project: served, segments } = await serverApp();
    expect(segments.length).toBe(40);
    const first = await Promise.all(segments.map((s, i) => api.put(`/api/documents/${DOC}/locales/es/segments/${s.id}`).send({ target: `Primera ${i}`, baseRevision: s.revision })));
    expect(first.map((r) => r.status)).toEqual(segments.map(() => 200));
    // The write puts them in a slice at a time; saves made meanwhile are kept for the next write.
    const writing = served.workbench.keepCaches();
    const second = await Promise.all(segments.slice(0, 10).map((s, i) => api.put(`/api/documents/${DOC}/locales/es/segments/${s.id}`).send({ target: `Segunda ${i}`, baseRevision: (first[i].body as { revision: number }).revision })));
    expect(second.map((r) => r.status)).toEqual(segments.slice(0, 10).map(() => 200));
    await writing;
    await served.workbench.keepCaches();
    const onDisk = targetsOnDisk();
    expect(segments.map((s) => onDisk.get(s.id))).toEqual(segments.map((_, i) => (i < 10 ? `Segunda ${i}` : `Primera ${i}`)));
    expect(journalRows()).toBe(0);
    expect(validateXliff12(fileOf())).toMatchObject({ valid: true });
  });

  it('saves that come while the file is being written are kept for its next write', async () => {
    const { api, project: served, segments } = await serverApp();
    const revisions = new Map(segments.slice(0, 5).map((s) => [s.id, s.revision]));
    const lastTarget = new Map<string, string>();
    // Saves for two and a half seconds: the file is written behind them (every second) while they go on.
    const until = Date.now() + 2500;
    for (let n = 0; Date.now() < until; n++) {
      const id = segments[n % 5].id;
      const target = `Guardado ${n}`;
      const res = await api.put(`/api/documents/${DOC}/locales/es/segments/${id}`).send({ target, baseRevision: revisions.get(id) });
      expect(res.status).toBe(200);
      revisions.set(id, (res.body as { revision: number }).revision);
      lastTarget.set(id, target);
    }
    await served.workbench.keepCaches();
    const onDisk = targetsOnDisk();
    expect(segments.slice(0, 5).map((s) => onDisk.get(s.id))).toEqual(segments.slice(0, 5).map((s) => lastTarget.get(s.id)));
    expect(journalRows()).toBe(0);
    expect(validateXliff12(fileOf())).toMatchObject({ valid: true });
  });

  it('a save the file could not hold is refused at once, and nothing of it is held', async () => {
    const { api, project: served, segments } = await serverApp();
    const refused = await api.put(`/api/documents/${DOC}/locales/es/segments/${segments[0].id}`).send({ target: 'Mal \u0001 carácter', baseRevision: segments[0].revision });
    expect(refused.status).toBe(400);
    expect(journalRows()).toBe(0);
    expect((await api.put(`/api/documents/${DOC}/locales/es/segments/${segments[0].id}`).send({ target: 'Bien', baseRevision: segments[0].revision })).status).toBe(200);
    await served.workbench.keepCaches();
    expect(targetsOnDisk().get(segments[0].id)).toBe('Bien');
  });

  it('a hand edit of the file while saves are held: both are kept', async () => {
    const { api, project: served, segments } = await serverApp();
    const [saved, edited] = segments;
    expect((await api.put(`/api/documents/${DOC}/locales/es/segments/${saved.id}`).send({ target: 'Guardada por la web', baseRevision: saved.revision })).status).toBe(200);
    // Someone edits the file by hand meanwhile (another paragraph's translation).
    const xml = readFileSync(fileOf(), 'utf8');
    const unit = new RegExp(`(<trans-unit id="${edited.id}"[^>]*>\\s*<source>[^<]*</source>\\s*)<target state="needs-translation"/>`);
    expect(unit.test(xml)).toBe(true);
    writeFileSync(fileOf(), xml.replace(unit, '$1<target state="translated">Editada a mano</target>'));
    await served.workbench.keepCaches();
    const onDisk = targetsOnDisk();
    expect([onDisk.get(saved.id), onDisk.get(edited.id)]).toEqual(['Guardada por la web', 'Editada a mano']);
    expect(validateXliff12(fileOf())).toMatchObject({ valid: true });
  });

  it('a full disk when the file is written: the saves stay acknowledged in the journal, the file stays the previous valid one, and is written once there is room', async () => {
    const { api, project: served, segments } = await serverApp();
    const before = readFileSync(fileOf());
    const open = fsp.open;
    const full = jest.spyOn(fsp, 'open').mockImplementation((async (file: Parameters<typeof fsp.open>[0], ...rest: unknown[]) => {
      if (String(file).endsWith('.tmp')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return (open as (...args: unknown[]) => Promise<fsp.FileHandle>)(file, ...rest);
    }) as typeof fsp.open);
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await api.put(`/api/documents/${DOC}/locales/es/segments/${segments[0].id}`).send({ target: 'Sin sitio', baseRevision: segments[0].revision })).status).toBe(200);
      await expect(served.workbench.keepCaches()).rejects.toThrow(/Cannot write/);
      expect(readFileSync(fileOf())).toEqual(before);
      expect(journalRows()).toBe(1);
    } finally {
      full.mockRestore();
      errors.mockRestore();
    }
    await served.workbench.keepCaches();
    expect(targetsOnDisk().get(segments[0].id)).toBe('Sin sitio');
    expect(journalRows()).toBe(0);
  });

  it("the document's summary is kept under the new file's stamp before the file's journal rows are forgotten: a CLI command that finds none finds the summary current", async () => {
    const { api, segments } = await serverApp();
    const journal = projectRecords(project.dir).journal;
    const written = journal.written.bind(journal);
    const seen: { rows: number; summaryStamp?: string; fileStamp: string }[] = [];
    jest.spyOn(journal, 'written').mockImplementation((document, lang, upTo) => {
      // What a CLI command would read the moment the rows are gone: the file and the kept summary.
      const summaries = path.join(project.dir, '.cache', 'summaries');
      const kept = readFileSync(path.join(summaries, `${DOC}.json`), 'latin1');
      const value = JSON.parse(kept.slice(kept.indexOf('\n') + 1)) as { locales: Record<string, { stamp: string }> };
      seen.push({ rows: journalRows(), summaryStamp: value.locales[lang]?.stamp, fileStamp: fileStamp(statSync(fileOf())) });
      return written(document, lang, upTo);
    });
    const answers = await Promise.all(segments.slice(0, 5).map((s, i) => api.put(`/api/documents/${DOC}/locales/es/segments/${s.id}`).send({ target: `Traducción ${i}`, baseRevision: s.revision })));
    expect(answers.map((a) => a.status)).toEqual(segments.slice(0, 5).map(() => 200));
    for (let i = 0; i < 100 && journalRows() > 0; i++) await sleep(50);
    expect(journalRows()).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    const last = seen[seen.length - 1];
    expect(last.rows).toBeGreaterThan(0);
    expect(last.summaryStamp).toBe(last.fileStamp);
  });

  it('a full disk when the save is journaled: 507, and nothing changes', async () => {
    const { api, project: served, segments } = await serverApp();
    const before = readFileSync(fileOf());
    const failing = jest.spyOn(served.records.history, 'appendJournaled').mockRejectedValue(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    const refused = await api.put(`/api/documents/${DOC}/locales/es/segments/${segments[0].id}`).send({ target: 'Nunca', baseRevision: segments[0].revision });
    failing.mockRestore();
    expect([refused.status, refused.body.error?.code]).toEqual([507, 'disk-full']);
    const listed = (await api.get(`/api/documents/${DOC}/locales/es/segments?limit=1`)).body as { segments: { target?: string; revision: number }[] };
    expect(listed.segments[0]).toMatchObject({ revision: segments[0].revision });
    expect(listed.segments[0].target).not.toBe('Nunca');
    await served.workbench.keepCaches();
    expect(readFileSync(fileOf())).toEqual(before);
    expect(journalRows()).toBe(0);
  });
});

describe('two servers on one project', () => {
  it("a server that has read the file sees another server's saves as soon as they are journaled, before any file has them", async () => {
    // This server reads the file first, and keeps it (and what the journal held for it then).
    const { api, segments, project: first } = await serverApp();
    const before = (await api.get(`/api/documents/${DOC}/locales/es/segments?limit=5`)).body as { segments: { target: string | null }[] };
    expect(before.segments.map((s) => s.target)).toEqual([null, null, null, null, null]);
    const { token } = await projectRecords(project.dir).accounts.createToken('admin');
    const [port] = await freePorts(1);
    // The other server writes its file a minute after its saves: they are in the journal only.
    const other = await startServer(project.dir, port, 15_000, { WORKBENCH_WRITE_BEHIND_MS: '60000' });
    try {
      const base = `http://127.0.0.1:${port}/api/documents/${DOC}/locales/es`;
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      for (const [i, s] of segments.slice(0, 3).entries()) {
        const res = await fetch(`${base}/segments/${s.id}`, { method: 'PUT', headers, body: JSON.stringify({ target: `De otro servidor ${i}`, baseRevision: s.revision }) });
        expect(res.status).toBe(200);
      }
      expect(journalRows()).toBe(3);
      expect(targetsOnDisk().get(segments[0].id)).toBeUndefined();
      const after = (await api.get(`/api/documents/${DOC}/locales/es/segments?limit=5`)).body as { segments: { target: string | null }[] };
      expect(after.segments.map((s) => s.target)).toEqual(['De otro servidor 0', 'De otro servidor 1', 'De otro servidor 2', null, null]);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => (other.exitCode !== null || other.signalCode !== null ? resolve(undefined) : other.once('exit', resolve)));
      // The first server now holds the other's saves ahead of the file: its clean stop writes them
      // (left to its write behind, they would be written after the test, into a removed folder).
      await first.workbench.keepCaches();
    }
    expect(targetsOnDisk().get(segments[2].id)).toBe('De otro servidor 2');
    expect(journalRows()).toBe(0);
    expect(validateXliff12(fileOf()).valid).toBe(true);
  });
});

describe('a hold alone beside saves written behind', () => {
  it('has the write behind write as soon as it comes, not at the write behind\'s next look at the lock', async () => {
    const server = createProject(project.dir, { serving: true, writeBehindMs: 1000 });
    await server.workbench.startLocale(DOC, 'es');
    const context = await server.workbench.locale(DOC, 'es');
    const [first] = context.document.segments.filter((s) => s.translatable);
    // From here, no timer fires: the write behind waits out its delay, and its looks at the lock, for ever.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance', 'Date'] });
    try {
      await server.workbench.translations.saveTarget(DOC, 'es', first.id, { target: 'Escrita al llegar.', baseRevision: 0 });
      expect(journalRows()).toBe(1);
      // A sync's moment alone (in this process, as a command's from another): the write behind is
      // told, lets the saves already let in end (10 ms), writes, and lets go.
      const alone = projectLock(project.dir).holdAlone(() => targetsOnDisk().get(first.id));
      jest.advanceTimersByTime(10);
      expect(await alone).toBe('Escrita al llegar.');
      expect(journalRows()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  }, 15_000);
});

describe('a CLI command beside a server that holds saves', () => {
  it('waits for one write of the file, not for the rest of the delay, and reads the saves', async () => {
    expect(spawnSync(process.execPath, [CLI, 'new-locale', 'es', '--data', project.dir]).status).toBe(0);
    const records = projectRecords(project.dir);
    await records.accounts.addUser('admin', [{ kind: 'admin' }]);
    const { token } = await records.accounts.createToken('admin');
    closeProjectDatabase(project.dir);
    const [port] = await freePorts(1);
    // The file would be written ten minutes after the saves, unless another process waits.
    const server = await startServer(project.dir, port, 15_000, { WORKBENCH_WRITE_BEHIND_MS: '600000' });
    try {
      const base = `http://127.0.0.1:${port}/api/documents/${DOC}/locales/es`;
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const segments = ((await (await fetch(`${base}/segments?limit=10`)).json()) as { segments: { id: string; revision: number }[] }).segments;
      for (const [i, s] of segments.entries()) {
        const answer = await fetch(`${base}/segments/${s.id}`, { method: 'PUT', headers, body: JSON.stringify({ target: `Al lado ${i}`, baseRevision: s.revision }) });
        expect(answer.status).toBe(200);
      }
      expect(journalRows()).toBe(10);
      const started = Date.now();
      const status = spawnSync(process.execPath, [CLI, 'status', '--json', '--data', project.dir], { encoding: 'utf8', timeout: 60_000 });
      expect(status.status).toBe(0);
      // Far less than the server's delay: it wrote the file as soon as the command waited for the lock.
      expect(Date.now() - started).toBeLessThan(30_000);
      const es = (JSON.parse(status.stdout) as { documents: { locales: { code: string; translated: number }[] }[] }).documents[0].locales.find((l) => l.code === 'es');
      expect(es?.translated).toBe(10);
      const onDisk = targetsOnDisk();
      expect(segments.map((s) => onDisk.get(s.id))).toEqual(segments.map((_, i) => `Al lado ${i}`));
      expect(journalRows()).toBe(0);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => (server.exitCode !== null || server.signalCode !== null ? resolve(undefined) : server.once('exit', resolve)));
    }
  });
});

describe('a server killed with saves held', () => {
  it('loses none: the next process writes them into the file before it reads it', async () => {
    expect(spawnSync(process.execPath, [CLI, 'new-locale', 'es', '--data', project.dir]).status).toBe(0);
    const records = projectRecords(project.dir);
    await records.accounts.addUser('admin', [{ kind: 'admin' }]);
    const { token } = await records.accounts.createToken('admin');
    closeProjectDatabase(project.dir);
    const [port] = await freePorts(1);
    // The file written a minute after the saves: the kill comes before, whatever the machine's load.
    const server = await startServer(project.dir, port, 15_000, { WORKBENCH_WRITE_BEHIND_MS: '60000' });
    const base = `http://127.0.0.1:${port}/api/documents/${DOC}/locales/es`;
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const segments = ((await (await fetch(`${base}/segments?limit=30`)).json()) as { segments: { id: string; revision: number }[] }).segments;
    const answers = await Promise.all(
      segments.map((s, i) => fetch(`${base}/segments/${s.id}`, { method: 'PUT', headers, body: JSON.stringify({ target: `Antes del golpe ${i}`, baseRevision: s.revision }) })),
    );
    // Killed at once: the file is written a moment after the saves, so they are in the journal only.
    server.kill('SIGKILL');
    await new Promise((resolve) => (server.exitCode !== null || server.signalCode !== null ? resolve(undefined) : server.once('exit', resolve)));
    expect(answers.map((a) => a.status)).toEqual(segments.map(() => 200));
    expect(journalRows()).toBe(30);
    expect(segments.map((s) => targetsOnDisk().get(s.id))).toEqual(segments.map(() => undefined));

    // The next process (a CLI command) writes them into the file first.
    const status = spawnSync(process.execPath, [CLI, 'status', '--json', '--data', project.dir], { encoding: 'utf8' });
    expect(status.status).toBe(0);
    const onDisk = targetsOnDisk();
    expect(segments.map((s) => onDisk.get(s.id))).toEqual(segments.map((_, i) => `Antes del golpe ${i}`));
    expect(validateXliff12(fileOf()).valid).toBe(true);
    expect(journalRows()).toBe(0);
    expect((await projectRecords(project.dir).history.list(DOC, 'es')).filter((e) => e.action === 'save')).toHaveLength(30);
  });
});
