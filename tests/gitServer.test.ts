/**
 * A running server keeping its project in git: saves written behind them are committed as batches
 * once saves pause, and what is pending at a clean stop is committed before the server exits.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';
import { freePorts, startServer } from './helpers/server';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const cli = (dir: string, ...args: string[]): string => execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/workbench.js'), ...args, '--data', dir], { encoding: 'utf8' });

async function until(what: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return what();
}

const stopped = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

describe('a server keeping its project in git', () => {
  let project: TestProject;
  let token: string;
  let ids: string[];
  let port: number;

  beforeAll(async () => {
    [port] = await freePorts(1);
    project = makeProject();
    git(project.dir, 'init', '-q', '-b', 'main');
    cli(project.dir, 'new-locale', 'es');
    expect(cli(project.dir, 'git', 'init', '--by', 'admin')).toMatch(/merge driver registered; 1 commit made/);
    const { accounts } = projectRecords(project.dir);
    await accounts.addUser('ana', [{ kind: 'translator', locale: 'es' }], 'a long enough password');
    token = (await accounts.createToken('ana', 'tests')).token;
    closeProjectDatabase(project.dir);
  });

  afterAll(() => project.cleanup());

  const save = async (id: string, target: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/documents/small/locales/es/segments/${id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target, baseRevision: 0 }),
    });
    expect(res.status).toBe(200);
  };

  it('commits a batch once saves pause, authored by the person, with the saves written behind them', async () => {
    writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ git: { commitDelay: 0.3 } }));
    const server = await startServer(project.dir, port, 20_000, { WORKBENCH_WRITE_BEHIND_MS: '200' });
    try {
      const segments = (await (await fetch(`http://127.0.0.1:${port}/api/documents/small/locales/es/segments`)).json()) as { segments: { id: string; kind: string }[] };
      ids = segments.segments.filter((s) => s.kind !== 'heading').map((s) => s.id);
      await save(ids[0], 'Primero.');
      await save(ids[1], 'Segundo.');
      expect(await until(() => git(project.dir, 'log', '--format=%an').includes('ana'), 15_000)).toBe(true);
      expect(git(project.dir, 'log', '-1', '--format=%an|%s')).toBe('ana|Translate: 2 paragraphs of small in es\n');
      expect(git(project.dir, 'show', 'HEAD:locales/es/small.xlf')).toContain('Segundo.');
    } finally {
      server.kill('SIGTERM');
      await stopped(server);
    }
  });

  it('commits what is pending at a clean stop', async () => {
    writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ git: { commitDelay: 600 } }));
    const server = await startServer(project.dir, port, 20_000, { WORKBENCH_WRITE_BEHIND_MS: '5000' });
    await save(ids[2], 'Tercero.');
    server.kill('SIGTERM');
    expect(await stopped(server)).toBe(0);
    expect(git(project.dir, 'log', '-1', '--format=%an|%s')).toBe('ana|Translate: 1 paragraph of small in es\n');
    expect(git(project.dir, 'show', 'HEAD:locales/es/small.xlf')).toContain('Tercero.');
    expect(git(project.dir, 'status', '--porcelain', '--', 'source', 'locales')).toBe('');
  });

  it('syncs with the remote every syncEvery seconds when configured', async () => {
    const remote = `${project.dir}-remote.git`;
    git(path.dirname(remote), 'init', '--bare', '-q', '-b', 'main', path.basename(remote));
    try {
      git(project.dir, 'remote', 'add', 'origin', remote);
      writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ git: { commitDelay: 0.2, syncEvery: 1 } }));
      const server = await startServer(project.dir, port, 20_000, { WORKBENCH_WRITE_BEHIND_MS: '100' });
      try {
        await save(ids[3], 'Cuarto.');
        const pushed = () => {
          try {
            return git(remote, 'show', 'main:locales/es/small.xlf').includes('Cuarto.');
          } catch {
            return false;
          }
        };
        expect(await until(pushed, 15_000)).toBe(true);
      } finally {
        server.kill('SIGTERM');
        await stopped(server);
      }
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });
});
