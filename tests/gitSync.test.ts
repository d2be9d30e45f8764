/**
 * Translations in git, with real git: a bare remote and two projects cloned from it, each served
 * by its own workbench; saves committed by their authors, synced, merged by paragraph.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createProject, type Project } from '../server/application/createWorkbench';
import * as streaming from '../server/formats/streamXliff12';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { addAccount, browserAgent, makeApp, startLocale, type Agent, type TestApp } from './helpers/app';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';
import { requireXmllint, validateXliff12 } from './helpers/xmllint';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';
import { closeProjectLock, projectLock, type ProjectLock } from '../server/storage/projectLock';
import { removeFolder } from './helpers/removeFolder';

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });

/** A project over a folder that exists (a clone). */
function projectAt(dir: string): TestProject {
  return {
    dir,
    sourceDir: path.join(dir, 'source'),
    localesDir: path.join(dir, 'locales'),
    write: (relative, content) => writeFileSync(path.join(dir, relative), content),
    read: (relative) => readFileSync(path.join(dir, relative), 'utf8'),
    history: () => Promise.resolve([]),
    cleanup: () => {
      closeProjectDatabase(dir);
      closeProjectLock(dir);
    },
  };
}

const projectOf = (app: Express): Project => app.locals.project as Project;

/** Runs `meanwhile` when the next hold alone of `lock` is asked for, before it is let in (then the lock is as it was). */
function beforeTheMomentAlone(lock: ProjectLock, meanwhile: () => Promise<void>): jest.SpyInstance {
  const alone = jest.spyOn(lock, 'holdAlone').mockImplementation(async function <T>(this: ProjectLock, task: () => T | Promise<T>): Promise<T> {
    await meanwhile();
    alone.mockRestore();
    return lock.holdAlone(task);
  });
  return alone;
}

interface Side {
  t: TestApp;
  person: { name: string; api: Agent };
}

describe('translations in git (real git, a bare remote, two workbenches)', () => {
  let root: string;
  let a: Side;
  let b: Side;
  let ids: string[];
  const url = '/api/documents/small/locales/es';

  beforeAll(() => requireXmllint());

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'workbench-git-'));
    git(root, 'init', '--bare', '-q', '-b', 'main', 'remote.git');
    const remote = path.join(root, 'remote.git');
    // Project A: the language started, paragraph 4 translated, kept in git and pushed.
    const aProject = makeProject();
    const ta = await makeApp(aProject);
    git(aProject.dir, 'init', '-q', '-b', 'main');
    const segments = (await startLocale(ta.api, 'es')).filter((s) => s.kind !== 'heading');
    ids = segments.map((s) => s.id);
    await ta.api.put(`${url}/segments/${ids[3]}`).send({ target: 'Cuarto párrafo.', baseRevision: 0 }).expect(200);
    await projectOf(ta.app).git.init({ remote, who: 'admin' });
    await projectOf(ta.app).git.sync('admin');
    // Project B: a clone, its own workbench and database.
    git(root, 'clone', '-q', remote, 'b');
    const tb = await makeApp(projectAt(path.join(root, 'b')));
    a = { t: ta, person: { name: 'ana', ...(await addAccount(ta.app, ta.project, 'ana', [{ kind: 'translator', locale: 'es' }])) } };
    b = { t: tb, person: { name: 'ben', ...(await addAccount(tb.app, tb.project, 'ben', [{ kind: 'translator', locale: 'es' }, { kind: 'reviewer', locale: 'es' }])) } };
  });

  afterEach(() => {
    a?.t.project.cleanup();
    b?.t.project.cleanup();
    removeFolder(root);
  });

  const segmentsOf = async (side: Side) => (await side.t.api.get(`${url}/segments`).expect(200)).body.segments as { id: string; target: string | null; state: string; revision: number }[];

  it('merges by paragraph: work on different paragraphs never conflicts, the same paragraph becomes a suggestion credited to its author', async () => {
    await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno de Ana.', baseRevision: 0 }).expect(200);
    await a.person.api.put(`${url}/segments/${ids[2]}`).send({ target: 'Tres de Ana.', baseRevision: 0 }).expect(200);
    await b.person.api.put(`${url}/segments/${ids[1]}`).send({ target: 'Dos de Ben.', baseRevision: 0 }).expect(200);
    await b.person.api.put(`${url}/segments/${ids[2]}`).send({ target: 'Tres de Ben.', baseRevision: 0 }).expect(200);
    await b.person.api.post(`${url}/segments/${ids[3]}/approve`).send({ baseRevision: 1 }).expect(200);

    const first = await a.t.api.post('/api/sync').expect(200);
    expect(first.body.pushed).toBe(true);
    const second = await b.t.api.post('/api/sync').expect(200);
    expect(second.body).toMatchObject({ merged: true, conflicts: 1, pushed: true });
    const third = await a.t.api.post('/api/sync').expect(200);
    expect(third.body).toMatchObject({ merged: true, pushed: true });

    for (const side of [a, b]) {
      const segments = await segmentsOf(side);
      const byId = new Map(segments.map((s) => [s.id, s]));
      expect(byId.get(ids[0])?.target).toBe('Uno de Ana.');
      expect(byId.get(ids[1])?.target).toBe('Dos de Ben.');
      expect(byId.get(ids[3])).toMatchObject({ target: 'Cuarto párrafo.', state: 'approved' });
      const three = byId.get(ids[2])?.target;
      expect(['Tres de Ana.', 'Tres de Ben.']).toContain(three);
      const other = three === 'Tres de Ana.' ? { text: 'Tres de Ben.', author: 'ben' } : { text: 'Tres de Ana.', author: 'ana' };
      const discussion = (await side.t.api.get(`${url}/discussion`).expect(200)).body;
      const suggestions = (discussion.suggestions ?? []).filter((s: { segment: string }) => s.segment === ids[2]);
      expect(suggestions).toEqual([expect.objectContaining({ text: other.text, author: other.author, status: 'open' })]);
      const file = path.join(side.t.project.dir, 'locales', 'es', 'small.xlf');
      expect(readFileSync(file, 'utf8')).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
      expect(validateXliff12(file)).toMatchObject({ valid: true });
      const conflictsPage = await side.t.api.get('/api/conflicts').expect(200);
      expect(conflictsPage.body.conflicts).toEqual([expect.objectContaining({ unit: ids[2], text: other.text, author: other.author })]);
    }
    // The editor marks the paragraph: its suggestion says it comes from a merge, with the way to the Conflicts page.
    const { agent } = await browserAgent(a.t.app);
    const editor = await agent.get('/documents/small/locales/es').expect(200);
    expect(editor.text).toContain('class="suggestion merge-conflict"');
    expect(editor.text).toContain('href="/conflicts"');
    const authors = git(a.t.project.dir, 'log', '--format=%an').split('\n');
    expect(authors).toEqual(expect.arrayContaining(['ana', 'ben', 'admin']));
    expect(git(b.t.project.dir, 'log', '--format=%an %s')).toMatch(/^ben Translate, approve: 3 paragraphs of small in es$/m);
    // Both clones are at the same commit, and it is the remote's.
    expect(git(a.t.project.dir, 'rev-parse', 'HEAD')).toBe(git(b.t.project.dir, 'rev-parse', 'HEAD'));
  });

  it('merges paragraphs itself, without git\'s merge: a merge commit of both sides, the work tree clean, the same result', async () => {
    // Git's merge cannot merge here: B's merge driver is a command that fails.
    git(b.t.project.dir, 'config', 'merge.workbench-xliff.driver', 'false');
    await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno de Ana.', baseRevision: 0 }).expect(200);
    await a.person.api.put(`${url}/segments/${ids[2]}`).send({ target: 'Tres de Ana.', baseRevision: 0 }).expect(200);
    await a.t.api.post('/api/sync').expect(200);
    const anas = git(a.t.project.dir, 'rev-parse', 'HEAD').trim();
    await b.person.api.put(`${url}/segments/${ids[1]}`).send({ target: 'Dos de Ben.', baseRevision: 0 }).expect(200);
    await b.person.api.put(`${url}/segments/${ids[2]}`).send({ target: 'Tres de Ben.', baseRevision: 0 }).expect(200);
    const synced = await b.t.api.post('/api/sync').expect(200);
    expect(synced.body).toMatchObject({ merged: true, conflicts: 1, pushed: true });
    const byId = new Map((await segmentsOf(b)).map((s) => [s.id, s]));
    expect(byId.get(ids[0])?.target).toBe('Uno de Ana.');
    expect(byId.get(ids[1])?.target).toBe('Dos de Ben.');
    expect(['Tres de Ana.', 'Tres de Ben.']).toContain(byId.get(ids[2])?.target);
    const dir = b.t.project.dir;
    // The merge commit: Ben's commit and Ana's, with both sides' paragraphs; then the suggestion's commit; all pushed.
    const [merge, ...parents] = git(dir, 'log', '--merges', '-1', '--format=%H %P').trim().split(' ');
    expect(parents).toHaveLength(2);
    expect(parents[1]).toBe(anas);
    expect(git(dir, 'log', '-1', '--format=%an|%s', parents[0]).trim()).toBe('ben|Translate: 2 paragraphs of small in es');
    const merged = git(dir, 'show', `${merge}:locales/es/small.xlf`);
    expect(merged).toContain('Uno de Ana.');
    expect(merged).toContain('Dos de Ben.');
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('Keep 1 paragraph changed on both sides as suggestions');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'origin/main'));
    expect(git(dir, 'status', '--porcelain', '--', 'locales', 'source')).toBe('');
    expect(readFileSync(path.join(dir, 'locales/es/small.xlf'), 'utf8')).toBe(git(dir, 'show', 'HEAD:locales/es/small.xlf'));
    expect(validateXliff12(path.join(dir, 'locales/es/small.xlf'))).toMatchObject({ valid: true });
    expect((await b.t.api.get('/api/conflicts').expect(200)).body.conflicts).toEqual([expect.objectContaining({ unit: ids[2] })]);
    // Ana's next sync takes it all, the suggestion list merged as git's union would (her driver fails too), while she saves another paragraph.
    git(a.t.project.dir, 'config', 'merge.workbench-xliff.driver', 'false');
    await a.person.api.put(`${url}/segments/${ids[4]}`).send({ target: 'Cinco de Ana.', baseRevision: 0 }).expect(200);
    expect((await a.t.api.post('/api/sync').expect(200)).body).toMatchObject({ merged: true, pushed: true });
    const anasNow = new Map((await segmentsOf(a)).map((s) => [s.id, s.target]));
    expect([anasNow.get(ids[1]), anasNow.get(ids[4])]).toEqual(['Dos de Ben.', 'Cinco de Ana.']);
    expect((await a.t.api.get('/api/conflicts').expect(200)).body.conflicts).toEqual([expect.objectContaining({ unit: ids[2] })]);
    expect(git(a.t.project.dir, 'show', 'HEAD:locales/es/small.conflicts.jsonl')).toBe(readFileSync(path.join(dir, 'locales/es/small.conflicts.jsonl'), 'utf8'));
    expect(git(a.t.project.dir, 'status', '--porcelain', '--', 'locales', 'source')).toBe('');
    expect((await b.t.api.post('/api/sync').expect(200)).body).toMatchObject({ merged: true, pushed: true });
    expect(git(a.t.project.dir, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'HEAD'));
  });

  it('a command syncing reads the files the merge changes before its moment alone: in it, only what was saved since is read again', async () => {
    await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno de Ana.', baseRevision: 0 }).expect(200);
    await a.t.api.post('/api/sync').expect(200);
    await b.person.api.put(`${url}/segments/${ids[1]}`).send({ target: 'Dos de Ben.', baseRevision: 0 }).expect(200);
    const dir = b.t.project.dir;
    const file = path.join(dir, 'locales', 'es', 'small.xlf');
    // A command's project on B's folder (no file held yet), syncing while B's server goes on saving.
    const command = createProject(dir);
    const lock = projectLock(dir);
    const streamed = jest.spyOn(streaming, 'streamModel');
    const alone = beforeTheMomentAlone(lock, async () => {
      streamed.mockClear();
      // Saved meanwhile, by the server (another process): one paragraph.
      await createFileLocaleStore({ dir: path.join(dir, 'locales') }).update('small', 'es', (draft) => {
        const unit = draft.units.find((u) => u.id === ids[4]);
        if (!unit) throw new Error('no unit');
        unit.target = 'Cinco, guardado mientras tanto.';
        unit.state = 'translated';
      });
    });
    try {
      const report = await command.git.sync('admin');
      expect(report).toMatchObject({ merged: true, pushed: true });
      // In the moment, the one paragraph saved since was read, not the file.
      expect(streamed).toHaveBeenCalledTimes(1);
      expect((streamed.mock.results[0].value as ReturnType<typeof streaming.streamModel>)?.model.units.map((u) => u.id)).toEqual([ids[4]]);
      expect(streamed.mock.calls[0][0].byteLength).toBeLessThan(statSync(file).size / 2);
    } finally {
      streamed.mockRestore();
      alone.mockRestore();
    }
    const text = readFileSync(file, 'utf8');
    for (const target of ['Uno de Ana.', 'Dos de Ben.', 'Cinco, guardado mientras tanto.']) expect(text).toContain(target);
    expect(validateXliff12(file)).toMatchObject({ valid: true });
    expect(git(dir, 'show', 'HEAD:locales/es/small.xlf')).toBe(text);
  });

  it('a command syncing reads the history since the last commit before its moment alone: in it, only the entries made since, each credited', async () => {
    await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno de Ana.', baseRevision: 0 }).expect(200);
    await a.t.api.post('/api/sync').expect(200);
    const dir = b.t.project.dir;
    const command = createProject(dir);
    const lock = projectLock(dir);
    const since = jest.spyOn(command.records.history, 'since');
    // Saved through B's server (another writer of the folder) after the sync's first batch, before the merge is applied.
    const gitOf = command.git as unknown as { applyAhead: (...args: unknown[]) => Promise<unknown> };
    const apply = gitOf.applyAhead.bind(command.git);
    const applying = jest.spyOn(gitOf, 'applyAhead').mockImplementation(async (...args: unknown[]) => {
      await b.person.api.put(`${url}/segments/${ids[1]}`).send({ target: 'Dos de Ben.', baseRevision: 0 }).expect(200);
      return apply(...args);
    });
    let sinceBefore = 0;
    const alone = beforeTheMomentAlone(lock, async () => {
      sinceBefore = since.mock.calls.length;
      // Saved meanwhile through B's server (another writer of the folder): an entry after those read.
      await b.person.api.put(`${url}/segments/${ids[2]}`).send({ target: 'Tres de Ben, mientras tanto.', baseRevision: 0 }).expect(200);
    });
    try {
      const report = await command.git.sync('admin');
      expect(report).toMatchObject({ merged: true, pushed: true });
      // Before the moment: every entry since the last commit (Ben's first save); in it, only the one made since.
      expect(sinceBefore).toBeGreaterThan(0);
      const read = await Promise.all(since.mock.results.map((r) => r.value as ReturnType<typeof command.records.history.since>));
      const before = read[sinceBefore - 1].entries;
      expect(before.map((e) => e.entry.segment)).toEqual([ids[1]]);
      const inMoment = read[sinceBefore];
      expect(since.mock.calls[sinceBefore][0]).toBe(before[before.length - 1].id);
      expect(inMoment.entries.map((e) => e.entry.segment)).toEqual([ids[2]]);
    } finally {
      applying.mockRestore();
      since.mockRestore();
      alone.mockRestore();
    }
    // Ben's commit holds both of his paragraphs, the one saved in the moment's wait too.
    const log = git(dir, 'log', '--format=%an|%s', '-6');
    expect(log).toMatch(/^ben\|Translate: 2 paragraphs of small in es$/m);
    const file = path.join(dir, 'locales', 'es', 'small.xlf');
    const text = readFileSync(file, 'utf8');
    for (const target of ['Uno de Ana.', 'Dos de Ben.', 'Tres de Ben, mientras tanto.']) expect(text).toContain(target);
    expect(validateXliff12(file)).toMatchObject({ valid: true });
  });

  it('commits one commit per person per batch, each with only that person\'s paragraphs, and only project files', async () => {
    const extra = await addAccount(a.t.app, a.t.project, 'eva', [{ kind: 'translator', locale: 'es' }]);
    await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno.', baseRevision: 0 }).expect(200);
    await extra.api.put(`${url}/segments/${ids[1]}`).send({ target: 'Dos.', baseRevision: 0 }).expect(200);
    writeFileSync(path.join(a.t.project.dir, 'workbench.config.json'), '{"git": {"commitDelay": 30}}');
    const made = await projectOf(a.t.app).git.commitPending();
    expect(made).toBe(2);
    const log = git(a.t.project.dir, 'log', '-2', '--format=%an <%ae>|%s').trim().split('\n');
    expect(log).toEqual(['eva <eva@users.noreply.workbench.invalid>|Translate: 1 paragraph of small in es', 'ana <ana@users.noreply.workbench.invalid>|Translate: 1 paragraph of small in es']);
    // Ana's commit holds her paragraph and not Eva's.
    const anas = git(a.t.project.dir, 'show', 'HEAD~1:locales/es/small.xlf');
    expect(anas).toContain('Uno.');
    expect(anas).not.toContain('Dos.');
    expect(git(a.t.project.dir, 'show', 'HEAD:locales/es/small.xlf')).toContain('Dos.');
    // The database, the settings and caches are never committed; the work tree is clean for project files.
    const tracked = git(a.t.project.dir, 'ls-files');
    expect(tracked).not.toMatch(/workbench\.db|workbench\.config\.json|\.cache\//);
    expect(git(a.t.project.dir, 'status', '--porcelain', '--', 'source', 'locales')).toBe('');
  });

  it('makes each person\'s version of a large file on a thread of its own, with only their paragraphs', async () => {
    const paragraphs = Array.from({ length: 3000 }, (_, i) => `Paragraph number ${i + 1} of a long book, long enough to make the file large.`);
    const big = makeProject({ 'big.md': `---\ntitle: A big book\nlang: en\n---\n\n${paragraphs.join('\n\n')}\n` });
    const t = await makeApp(big);
    try {
      git(big.dir, 'init', '-q', '-b', 'main');
      const segments = await startLocale(t.api, 'fr', 'big');
      await projectOf(t.app).git.init({ who: 'admin' });
      expect(readFileSync(path.join(big.dir, 'locales/fr/big.xlf')).byteLength).toBeGreaterThan(600 * 1024);
      const people = await Promise.all(['p1', 'p2', 'p3'].map((name) => addAccount(t.app, big, name, [{ kind: 'translator', locale: 'fr' }])));
      for (const [i, person] of people.entries()) {
        await person.api.put(`/api/documents/big/locales/fr/segments/${segments[i * 30 + 5].id}`).send({ target: `Traduit par p${i + 1}.`, baseRevision: 0 }).expect(200);
      }
      expect(await projectOf(t.app).git.commitPending()).toBe(3);
      const show = (rev: string) => git(big.dir, 'show', `${rev}:locales/fr/big.xlf`);
      expect(git(big.dir, 'log', '-3', '--format=%an')).toBe('p3\np2\np1\n');
      expect([show('HEAD~2').includes('Traduit par p1.'), show('HEAD~2').includes('Traduit par p2.')]).toEqual([true, false]);
      expect([show('HEAD~1').includes('Traduit par p2.'), show('HEAD~1').includes('Traduit par p3.')]).toEqual([true, false]);
      expect(show('HEAD')).toContain('Traduit par p3.');
      const p1Version = path.join(big.dir, 'p1-version.xlf');
      writeFileSync(p1Version, show('HEAD~2'));
      expect(validateXliff12(p1Version)).toMatchObject({ valid: true });
    } finally {
      big.cleanup();
    }
  });

  it('a merge suggestion decided in one clone is closed in the other after the next syncs', async () => {
    await a.person.api.put(`${url}/segments/${ids[2]}`).send({ target: 'Tres de Ana.', baseRevision: 0 }).expect(200);
    await b.person.api.put(`${url}/segments/${ids[2]}`).send({ target: 'Tres de Ben.', baseRevision: 0 }).expect(200);
    await a.t.api.post('/api/sync').expect(200);
    await b.t.api.post('/api/sync').expect(200);
    await a.t.api.post('/api/sync').expect(200);
    // In B, the admin declines the suggestion; the decision travels with the next commit.
    const open = (await b.t.api.get(`${url}/discussion`).expect(200)).body.suggestions.find((s: { status: string }) => s.status === 'open');
    const segment = (await segmentsOf(b)).find((s) => s.id === ids[2]);
    await b.t.api.post(`${url}/suggestions/${open.id}`).send({ accept: false, baseRevision: segment?.revision }).expect(200);
    await b.t.api.post('/api/sync').expect(200);
    await a.t.api.post('/api/sync').expect(200);
    for (const side of [a, b]) {
      expect((await side.t.api.get('/api/conflicts').expect(200)).body.conflicts).toEqual([]);
      const still = (await side.t.api.get(`${url}/discussion`).expect(200)).body.suggestions.filter((s: { status: string }) => s.status === 'open');
      expect(still).toEqual([]);
    }
  });

  it('reads a commit made outside the workbench (a pull request merged on the remote) like a hand edit', async () => {
    git(root, 'clone', '-q', path.join(root, 'remote.git'), 'outside');
    const outside = path.join(root, 'outside');
    const file = path.join(outside, 'locales/es/small.xlf');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Cuarto párrafo.', 'Cuarto párrafo, corregido.'));
    git(outside, '-c', 'user.name=a contributor', '-c', 'user.email=contributor@example.invalid', 'commit', '-qam', 'Fix a typo');
    git(outside, 'push', '-q', 'origin', 'main');
    await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno.', baseRevision: 0 }).expect(200);
    expect((await a.t.api.post('/api/sync').expect(200)).body).toMatchObject({ merged: true, conflicts: 0 });
    const byId = new Map((await segmentsOf(a)).map((s) => [s.id, s]));
    expect(byId.get(ids[3])?.target).toBe('Cuarto párrafo, corregido.');
    expect(byId.get(ids[0])?.target).toBe('Uno.');
  });

  it('a source updated on the other side arrives with its translations brought up to it (drift shown as after an upload)', async () => {
    const edited = readFileSync(path.join(b.t.project.dir, 'source/small.md'), 'utf8').replace(/^(The last paragraph)\./m, '$1, edited.');
    writeFileSync(path.join(root, 'v2.md'), edited);
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/workbench.js'), 'update-source', 'small', path.join(root, 'v2.md'), '--by', 'ben', '--data', b.t.project.dir]);
    await b.t.api.post('/api/sync').expect(200);
    await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno.', baseRevision: 0 }).expect(200);
    expect((await a.t.api.post('/api/sync').expect(200)).body).toMatchObject({ merged: true });
    const versions = (await a.t.api.get('/api/documents/small/versions').expect(200)).body;
    expect(JSON.stringify(versions)).toMatch(/"number":2/);
    const segments = await segmentsOf(a);
    expect(segments.find((s) => s.id === ids[0])?.target).toBe('Uno.');
    expect(readFileSync(path.join(a.t.project.dir, 'source/small.md'), 'utf8')).toContain('The last paragraph, edited.');
    expect(validateXliff12(path.join(a.t.project.dir, 'locales/es/small.xlf'))).toMatchObject({ valid: true });
  });

  describe('bad input', () => {
    it('an unreachable remote: the sync says so (502), the local commits stay, the next sync retries', async () => {
      await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno.', baseRevision: 0 }).expect(200);
      const remote = git(a.t.project.dir, 'remote', 'get-url', 'origin').trim();
      git(a.t.project.dir, 'remote', 'set-url', 'origin', path.join(root, 'nowhere.git'));
      const refused = await a.t.api.post('/api/sync').expect(502);
      expect(refused.body.error.code).toBe('git-fetch-failed');
      expect(git(a.t.project.dir, 'log', '-1', '--format=%an')).toBe('ana\n');
      git(a.t.project.dir, 'remote', 'set-url', 'origin', remote);
      await a.t.api.post('/api/sync').expect(200);
      expect(git(path.join(root, 'remote.git'), 'log', '-1', '--format=%an', 'main')).toBe('ana\n');
    });

    it('an authentication failure is reported without the credential', async () => {
      // A git host that refuses the credential (HTTP 401), as a host does for a revoked token.
      const host = http.createServer((_req, res) => {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
        res.end('refused');
      });
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      try {
        const port = (host.address() as AddressInfo).port;
        git(a.t.project.dir, 'remote', 'set-url', 'origin', `http://translator:s3cr3t-t0ken@127.0.0.1:${port}/project.git`);
        const refused = await a.t.api.post('/api/sync').expect(502);
        expect(refused.body.error.message).toMatch(/git fetch failed: .*Authentication failed/s);
        expect(JSON.stringify(refused.body)).not.toContain('s3cr3t-t0ken');
        const page = await a.t.api.get('/conflicts').expect(200);
        expect(page.text).toMatch(/Authentication failed/);
        expect(page.text).not.toContain('s3cr3t-t0ken');
      } finally {
        host.close();
      }
    });

    it('a repository left in the middle of a merge is refused with what to do, and nothing is touched', async () => {
      await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno.', baseRevision: 0 }).expect(200);
      const head = git(a.t.project.dir, 'rev-parse', 'HEAD');
      writeFileSync(path.join(a.t.project.dir, '.git', 'MERGE_HEAD'), head);
      const refused = await a.t.api.post('/api/sync').expect(409);
      expect(refused.body.error).toMatchObject({ code: 'git-busy' });
      expect(refused.body.error.message).toMatch(/middle of a merge.*abort/);
      expect(git(a.t.project.dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(readFileSync(path.join(a.t.project.dir, 'locales/es/small.xlf'), 'utf8')).toContain('Uno.');
    });

    it('a conflict marker in a locale file (a merge made without the driver) is refused with the file and line, the file untouched', async () => {
      const file = path.join(a.t.project.dir, 'locales/es/small.xlf');
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      lines.splice(5, 0, '<<<<<<< HEAD');
      writeFileSync(file, lines.join('\n'));
      const refused = await a.t.api.post('/api/sync').expect(422);
      expect(refused.body.error).toMatchObject({ code: 'git-conflict-marker' });
      expect(refused.body.error.message).toMatch(/locales\/es\/small\.xlf, line 6/);
      expect(readFileSync(file, 'utf8')).toBe(lines.join('\n'));
    });

    it('two syncs at once (the server and the CLI): one waits, both end, nothing is lost', async () => {
      await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno.', baseRevision: 0 }).expect(200);
      await b.person.api.put(`${url}/segments/${ids[1]}`).send({ target: 'Dos.', baseRevision: 0 }).expect(200);
      await b.t.api.post('/api/sync').expect(200);
      const cli = new Promise<number>((resolve) => {
        const child = execFile(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/workbench.js'), 'sync', '--data', a.t.project.dir], () => undefined);
        child.on('exit', (code) => resolve(code ?? 1));
      });
      const [server, code] = await Promise.all([a.t.api.post('/api/sync'), cli]);
      expect(server.status).toBe(200);
      expect(code).toBe(0);
      const remoteFile = git(path.join(root, 'remote.git'), 'show', 'main:locales/es/small.xlf');
      expect(remoteFile).toContain('Uno.');
      expect(remoteFile).toContain('Dos.');
    });

    it('a remote whose history lost our commits (a force push): they are kept on a branch, pushed again, the admin told', async () => {
      await a.person.api.put(`${url}/segments/${ids[0]}`).send({ target: 'Uno.', baseRevision: 0 }).expect(200);
      await a.t.api.post('/api/sync').expect(200);
      // Someone rewrites the remote's branch to before Ana's commit.
      git(root, 'clone', '-q', path.join(root, 'remote.git'), 'c');
      git(path.join(root, 'c'), 'reset', '-q', '--hard', 'HEAD~1');
      git(path.join(root, 'c'), 'push', '-q', '--force', 'origin', 'main');
      const report = (await a.t.api.post('/api/sync').expect(200)).body;
      expect(report.keptBranch).toMatch(/^workbench\/kept-/);
      expect(git(path.join(root, 'remote.git'), 'branch', '--list', report.keptBranch)).toContain(report.keptBranch);
      expect(git(path.join(root, 'remote.git'), 'show', 'main:locales/es/small.xlf')).toContain('Uno.');
      const page = await a.t.api.get('/conflicts').expect(200);
      expect(page.text).toContain(report.keptBranch);
    });

    it('sync in a project not kept in git says how to set it up', async () => {
      const plain = await makeApp();
      try {
        const refused = await plain.api.post('/api/sync').expect(409);
        expect(refused.body.error).toMatchObject({ code: 'git-not-set-up' });
        await b.person.api.post('/api/sync').expect(403);
      } finally {
        plain.project.cleanup();
      }
    });
  });
});

