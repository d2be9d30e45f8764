/**
 * A running server keeping its project in git: saves written behind them are committed as batches
 * once saves pause, and what is pending at a clean stop is committed before the server exits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';
import { freePorts, startServer } from './helpers/server';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';
import { createFileLocaleStore } from '../server/storage/localeStore';

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

/** Whether the remote's main branch has `text` in the locale file (false while it has no such branch or file). */
function pushedTo(remote: string, text: string): boolean {
  try {
    return git(remote, 'show', 'main:locales/es/small.xlf').includes(text);
  } catch {
    return false;
  }
}

const stopped = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

/**
 * An "ssh" command (`script`, for GIT_SSH_COMMAND) that makes `started` at each connection and
 * holds it until `go` exists, then runs git's command here (its last argument): a remote whose
 * network the test lets through when it chooses.
 */
function slowSsh(prefix: string): { script: string; started: string; go: string } {
  const files = { script: `${prefix}-slow-ssh.sh`, started: `${prefix}-network-started`, go: `${prefix}-network-go` };
  writeFileSync(files.script, `#!/bin/sh\ntouch '${files.started}'\nwhile [ ! -f '${files.go}' ]; do sleep 0.05; done\nfor last; do :; done\nexec sh -c "$last"\n`);
  chmodSync(files.script, 0o755);
  return files;
}

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
        expect(await until(() => pushedTo(remote, 'Cuarto.'), 15_000)).toBe(true);
      } finally {
        server.kill('SIGTERM');
        await stopped(server);
      }
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });
  it('syncs while translators save: the merge goes through, every acknowledged save is kept, the saves go on after it', async () => {
    const remote = `${project.dir}-remote2.git`;
    const other = `${project.dir}-other`;
    git(path.dirname(remote), 'init', '--bare', '-q', '-b', 'main', path.basename(remote));
    try {
      if (git(project.dir, 'remote').includes('origin')) git(project.dir, 'remote', 'set-url', 'origin', remote);
      else git(project.dir, 'remote', 'add', 'origin', remote);
      writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ git: { commitDelay: 600 } }));
      cli(project.dir, 'sync');
      // Another clone changes a paragraph nobody here saves, and pushes it.
      git(path.dirname(other), 'clone', '-q', remote, path.basename(other));
      await createFileLocaleStore({ dir: path.join(other, 'locales') }).update('small', 'es', (file) => {
        const unit = file.units.find((u) => u.id === ids[ids.length - 1]);
        if (!unit) throw new Error('no such paragraph');
        unit.target = 'Desde el otro clon.';
        unit.state = 'translated';
      });
      git(other, '-c', 'user.name=a contributor', '-c', 'user.email=contributor@example.invalid', 'commit', '-qam', 'From the other clone');
      git(other, 'push', '-q', 'origin', 'main');
      const { accounts } = projectRecords(project.dir);
      await accounts.addUser('admin-sync', [{ kind: 'admin' }], 'a long enough password');
      const adminToken = (await accounts.createToken('admin-sync', 'tests')).token;
      closeProjectDatabase(project.dir);

      const acknowledged = new Map<string, string>();
      // Saves written behind them every 20 ms: the files change all through the sync.
      const server = await startServer(project.dir, port, 20_000, { WORKBENCH_WRITE_BEHIND_MS: '20' });
      try {
        const base = `http://127.0.0.1:${port}/api/documents/small/locales/es/segments`;
        const listed = (await (await fetch(`${base}?limit=1000`)).json()) as { segments: { id: string; revision: number }[] };
        const revisions = new Map(listed.segments.map((seg) => [seg.id, seg.revision]));
        const mine = ids.slice(0, 4);
        let stop = false;
        let failures = 0;
        const editor = async (id: string) => {
          for (let n = 0; !stop; n++) {
            const target = `Guardado ${n} de ${id}.`;
            const res = await fetch(`${base}/${id}`, {
              method: 'PUT',
              headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
              body: JSON.stringify({ target, baseRevision: revisions.get(id) }),
            });
            const body = (await res.json()) as { revision?: number };
            if (res.status !== 200 || body.revision === undefined) {
              failures++;
              continue;
            }
            revisions.set(id, body.revision);
            acknowledged.set(id, target);
          }
        };
        const editors = mine.map((id) => editor(id));
        let report: { merged?: boolean; pushed?: boolean; error?: { message: string } };
        let status: number;
        let savedBefore: Map<string, string>;
        try {
          await new Promise((r) => setTimeout(r, 300));
          const synced = await fetch(`http://127.0.0.1:${port}/api/sync`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
          status = synced.status;
          report = (await synced.json()) as typeof report;
          savedBefore = new Map(acknowledged);
          await new Promise((r) => setTimeout(r, 300));
        } finally {
          stop = true;
          await Promise.all(editors);
        }
        expect(report.error?.message).toBeUndefined();
        expect(status).toBe(200);
        expect(report).toMatchObject({ merged: true, pushed: true });
        expect(failures).toBe(0);
        // The saves went on after the sync.
        for (const id of mine) expect(acknowledged.get(id)).not.toBe(savedBefore.get(id));
      } finally {
        server.kill('SIGTERM');
        expect(await stopped(server)).toBe(0);
      }
      // Every last acknowledged save, and the other clone's paragraph, in the file and committed.
      const file = readFileSync(path.join(project.dir, 'locales', 'es', 'small.xlf'), 'utf8');
      const committed = git(project.dir, 'show', 'HEAD:locales/es/small.xlf');
      expect(file).toContain('Desde el otro clon.');
      expect(committed).toContain('Desde el otro clon.');
      const last = await createFileLocaleStore({ dir: project.localesDir }).read('small', 'es');
      expect(acknowledged.size).toBe(4);
      for (const [id, target] of acknowledged) {
        expect(last?.units.find((u) => u.id === id)?.target).toBe(target);
        expect(committed).toContain(target);
      }
      expect(git(project.dir, 'status', '--porcelain', '--', 'source', 'locales')).toBe('');
      expect(git(project.dir, 'log', '--format=%s')).toMatch(/^Merge the translations of origin\/main$/m);
      expect(git(remote, 'show', 'main:locales/es/small.xlf')).toContain('Desde el otro clon.');
    } finally {
      rmSync(remote, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
  it('a sync that finds the remote ahead moves to its commit, with what was saved during the fetch on top (as a fast-forward, no merge commit)', async () => {
    const remote = `${project.dir}-remote4.git`;
    const other = `${project.dir}-other4`;
    git(path.dirname(remote), 'init', '--bare', '-q', '-b', 'main', path.basename(remote));
    const { script, started, go } = slowSsh(`${project.dir}-4`);
    try {
      writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ git: { commitDelay: 600 } }));
      git(project.dir, 'push', '-q', remote, 'main');
      // Another clone changes a paragraph and pushes: the remote is one commit ahead.
      git(path.dirname(other), 'clone', '-q', remote, path.basename(other));
      await createFileLocaleStore({ dir: path.join(other, 'locales') }).update('small', 'es', (file) => {
        const unit = file.units.find((u) => u.id === ids[0]);
        if (!unit) throw new Error('no unit');
        unit.target = 'Del otro clon.';
        unit.state = 'translated';
        unit.revision += 1;
      });
      git(other, '-c', 'user.name=eva', '-c', 'user.email=eva@example.invalid', 'commit', '-qam', 'A paragraph from another clone');
      git(other, 'push', '-q', 'origin', 'main');
      const theirs = git(other, 'rev-parse', 'HEAD').trim();
      git(project.dir, 'remote', 'set-url', 'origin', `ssh://example.invalid${remote}`);
      writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ git: { commitDelay: 600, syncEvery: 1 } }));
      const server = await startServer(project.dir, port, 20_000, { WORKBENCH_WRITE_BEHIND_MS: '50', GIT_SSH_COMMAND: script, GIT_SSH_VARIANT: 'simple' });
      try {
        // The server's sync is fetching, held by the remote: a translator saves meanwhile.
        expect(await until(() => existsSync(started), 15_000)).toBe(true);
        const listed = (await (await fetch(`http://127.0.0.1:${port}/api/documents/small/locales/es/segments?limit=1000`)).json()) as { segments: { id: string; revision: number }[] };
        const id = ids[ids.length - 3];
        const res = await fetch(`http://127.0.0.1:${port}/api/documents/small/locales/es/segments/${id}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ target: 'Guardado mientras llegaba lo del otro clon.', baseRevision: listed.segments.find((seg) => seg.id === id)?.revision }),
        });
        expect(res.status).toBe(200);
        writeFileSync(go, '');
        expect(await until(() => pushedTo(remote, 'Guardado mientras llegaba'), 20_000)).toBe(true);
      } finally {
        writeFileSync(go, '');
        server.kill('SIGTERM');
        await stopped(server);
      }
      // Their commit, then the translator's on it: no merge commit.
      expect(git(project.dir, 'log', '-2', '--format=%an|%s').trim().split('\n')).toEqual(['ana|Translate: 1 paragraph of small in es', 'eva|A paragraph from another clone']);
      expect(git(project.dir, 'rev-parse', 'HEAD~1').trim()).toBe(theirs);
      expect(git(project.dir, 'rev-list', '--merges', `${theirs}..HEAD`)).toBe('');
      const file = readFileSync(path.join(project.dir, 'locales/es/small.xlf'), 'utf8');
      expect(file).toContain('Del otro clon.');
      expect(file).toContain('Guardado mientras llegaba lo del otro clon.');
      expect(git(project.dir, 'show', 'HEAD:locales/es/small.xlf')).toBe(file);
      expect(git(project.dir, 'status', '--porcelain', '--', 'locales')).toBe('');
    } finally {
      rmSync(path.join(project.dir, 'workbench.config.json'), { force: true });
      for (const file of [remote, other, script, started, go]) rmSync(file, { recursive: true, force: true });
    }
  });

  it("goes on saving while a sync from the command line waits for the network (the git lock, not the project's)", async () => {
    const remote = `${project.dir}-remote3.git`;
    git(path.dirname(remote), 'init', '--bare', '-q', '-b', 'main', path.basename(remote));
    // A remote reached through "ssh" that holds each connection until the test lets it go.
    const { script, started, go } = slowSsh(project.dir);
    try {
      git(project.dir, 'remote', 'set-url', 'origin', `ssh://example.invalid${remote}`);
      writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ git: { commitDelay: 600 } }));
      const server = await startServer(project.dir, port, 20_000, { WORKBENCH_WRITE_BEHIND_MS: '50' });
      try {
        const sync = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/workbench.js'), 'sync', '--data', project.dir], {
          env: { ...process.env, GIT_SSH_COMMAND: script, GIT_SSH_VARIANT: 'simple' },
          stdio: 'ignore',
        });
        try {
          expect(await until(() => existsSync(started), 15_000)).toBe(true);
          // The command is fetching, held by the remote: a translator's save goes through meanwhile.
          const id = ids[ids.length - 2];
          const listed = (await (await fetch(`http://127.0.0.1:${port}/api/documents/small/locales/es/segments?limit=1000`)).json()) as { segments: { id: string; revision: number }[] };
          const res = await fetch(`http://127.0.0.1:${port}/api/documents/small/locales/es/segments/${id}`, {
            method: 'PUT',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ target: 'Guardado durante la sincronización.', baseRevision: listed.segments.find((seg) => seg.id === id)?.revision }),
            signal: AbortSignal.timeout(8_000),
          });
          expect(res.status).toBe(200);
        } finally {
          writeFileSync(go, '');
        }
        expect(await stopped(sync)).toBe(0);
        expect(git(remote, 'log', '-1', '--format=%s', 'main')).not.toBe('');
      } finally {
        server.kill('SIGTERM');
        await stopped(server);
      }
      expect(git(project.dir, 'show', 'HEAD:locales/es/small.xlf')).toContain('Guardado durante la sincronización.');
    } finally {
      for (const file of [remote, script, started, go]) rmSync(file, { recursive: true, force: true });
    }
  });
});
