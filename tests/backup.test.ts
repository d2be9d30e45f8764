import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject } from '../server/application/createWorkbench';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { makeManifestoProject, REPO_ROOT, type TestProject } from './helpers/project';
import { freePorts, startServer as startServerOn } from './helpers/server';

const CLI = path.join(REPO_ROOT, 'dist/scripts/workbench.js');

let project: TestProject;
let outside: string;
beforeEach(() => {
  project = makeManifestoProject();
  outside = mkdtempSync(path.join(os.tmpdir(), 'workbench-backups-'));
});
afterEach(() => {
  project.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--data', project.dir], { encoding: 'utf8' });

const startServer = (port: number): Promise<ChildProcess> => startServerOn(project.dir, port, 10_000);

describe('workbench backup', () => {
  it('a backup taken under 10 concurrent editors holds every save acknowledged before it began, and restores to a working project', async () => {
    expect(cli(['new-locale', 'es']).status).toBe(0);
    const { token } = await projectRecords(project.dir).accounts.addUser('admin', [{ kind: 'admin' }]).then(() => projectRecords(project.dir).accounts.createToken('admin'));
    closeProjectDatabase(project.dir);
    const [port] = await freePorts(1);
    const server = await startServer(port);
    const base = `http://127.0.0.1:${port}/api/documents/communard-manifesto/locales/es`;
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    try {
      const segments = ((await (await fetch(`${base}/segments?limit=1000`)).json()) as { segments: { id: string }[] }).segments.map((s) => s.id);
      const acknowledged: { id: string; target: string; at: number }[] = [];
      let stop = false;
      const editor = async (k: number) => {
        // Each editor has its own paragraphs and saves each once: the last text of a paragraph is known.
        for (let i = k; i < segments.length && !stop; i += 10) {
          const target = `Traducción ${i} del editor ${k}`;
          const res = await fetch(`${base}/segments/${segments[i]}`, { method: 'PUT', headers, body: JSON.stringify({ target, baseRevision: 0 }) });
          if (res.status !== 200) throw new Error(`save ${i}: ${res.status} ${await res.text()}`);
          acknowledged.push({ id: segments[i], target, at: Date.now() });
        }
      };
      const editors = Array.from({ length: 10 }, (_, k) => editor(k));
      // Wait for some saves (however loaded the machine), then back up while the editors go on.
      // (Up to a minute: on a busy CI machine ten seconds once gave 29 of the 30.)
      const until = async (done: () => boolean) => {
        for (let i = 0; i < 3000 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
      };
      await until(() => acknowledged.length >= 30);
      const began = Date.now();
      const folder = path.join(outside, 'backup');
      const backup = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'backup', folder, '--data', project.dir]);
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
      const atEnd = acknowledged.length;
      await until(() => acknowledged.length > atEnd + 5);
      stop = true;
      await Promise.all(editors);
      expect(backup.code).toBe(0);
      expect(backup.out).toMatch(/^Backed up .* to .*backup: \d+ files/);
      const before = acknowledged.filter((a) => a.at < began);
      expect(before.length).toBeGreaterThanOrEqual(30);
      expect(acknowledged.length).toBeGreaterThan(before.length);

      // Restore as the README says: copy the folder, point the workbench at it.
      const restored = path.join(outside, 'restored');
      cpSync(folder, restored, { recursive: true });
      const again = createProject(restored);
      const units = (await again.workbench.listSegments('communard-manifesto', 'es', { limit: 1000 })).segments;
      const history = await again.records.history.list('communard-manifesto', 'es');
      for (const save of before) {
        expect(units.find((u) => u.id === save.id)?.target).toBe(save.target);
        expect(history).toContainEqual(expect.objectContaining({ segment: save.id, who: 'admin', action: 'save', after: { target: save.target, state: 'translated' } }));
      }
      expect(await again.records.accounts.verifyToken(token)).toMatchObject({ name: 'admin' });
      closeProjectDatabase(restored);
    } finally {
      // Its clean stop keeps snapshots in the project (.cache/): the project is removed after it.
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  }, 150_000);

  it('refuses a folder that is not empty, or inside the project, and writes nothing there', () => {
    const full = path.join(outside, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'keep.txt'), 'mine');
    const refused = cli(['backup', full]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not empty');
    expect(readFileSync(path.join(full, 'keep.txt'), 'utf8')).toBe('mine');

    const inside = cli(['backup', path.join(project.dir, 'locales', 'copy')]);
    expect(inside.status).toBe(1);
    expect(inside.stderr).toContain('cannot go inside the project');
    expect(cli(['backup']).status).toBe(2);
  });
});
