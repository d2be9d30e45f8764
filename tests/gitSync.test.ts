/**
 * Translations in git, with real git: a bare remote and two projects cloned from it, each served
 * by its own workbench; saves committed by their authors, synced, merged by paragraph.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { Project } from '../server/application/createWorkbench';
import { addAccount, makeApp, startLocale, type Agent, type TestApp } from './helpers/app';
import { makeProject, type TestProject } from './helpers/project';
import { requireXmllint, validateXliff12 } from './helpers/xmllint';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';
import { closeProjectLock } from '../server/storage/projectLock';

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
    rmSync(root, { recursive: true, force: true });
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
    const authors = git(a.t.project.dir, 'log', '--format=%an').split('\n');
    expect(authors).toEqual(expect.arrayContaining(['ana', 'ben', 'admin']));
    expect(git(b.t.project.dir, 'log', '--format=%an %s')).toMatch(/^ben Translate, approve: 3 paragraphs of small in es$/m);
    // Both clones are at the same commit, and it is the remote's.
    expect(git(a.t.project.dir, 'rev-parse', 'HEAD')).toBe(git(b.t.project.dir, 'rev-parse', 'HEAD'));
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
});
