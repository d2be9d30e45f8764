/*
 * A sync with the remote while a community saves (`npm run bench -- scale`, on the 100× book): the
 * project kept in git, another clone pushing paragraphs (one of them one an editor saves too), and
 * 20 editors saving through the API while the server syncs, then while `workbench sync` runs
 * beside it. What is measured is what the editors feel: the longest wait of a save made during
 * the sync, and the saves per second around it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { editors, percentile, startServer } from './benchProcesses';
import { freePorts } from './freePorts';

const line = (label: string, value: string) => console.log(`${label.padEnd(64)} ${value}`);
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

interface SyncedProject {
  dir: string;
  doc: string;
  token: string;
  cli(args: string[], input?: string): { ms: number; status: number | null; stderr: string };
}

export async function benchSync(root: string, project: SyncedProject): Promise<void> {
  const remote = mkdtempSync(path.join(os.tmpdir(), 'workbench-remote-'));
  const other = mkdtempSync(path.join(os.tmpdir(), 'workbench-other-'));
  try {
    git(remote, 'init', '--bare', '-q', '-b', 'main');
    git(project.dir, 'init', '-q', '-b', 'main');
    const setUp = project.cli(['git', 'init', '--remote', remote]);
    const pushed = setUp.status === 0 ? project.cli(['sync']) : setUp;
    if (pushed.status !== 0) throw new Error(`git init and the first sync failed: ${pushed.stderr}`);
    rmSync(other, { recursive: true, force: true });
    git(path.dirname(other), 'clone', '-q', remote, path.basename(other));
    for (const via of ['server', 'cli'] as const) {
      // The other clone: two paragraphs changed and pushed (one of them, the 8th, an editor saves too).
      git(other, 'pull', '-q', '--ff-only');
      await createFileLocaleStore({ dir: path.join(other, 'locales') }).update(project.doc, 'es', (file) => {
        for (const i of [7, 5000]) {
          const unit = file.units[i];
          unit.target = `Del otro clon (${via}) ${i}.`;
          unit.state = 'translated';
          unit.revision += 1;
        }
      });
      git(other, '-c', 'user.name=another clone', '-c', 'user.email=other@example.invalid', 'commit', '-qam', 'Two paragraphs from another clone');
      git(other, 'push', '-q', 'origin', 'main');
      const [port] = await freePorts(1);
      const server = await startServer(root, project.dir, port);
      try {
        const base = `http://127.0.0.1:${port}/api/documents/${project.doc}/locales/es`;
        const syncing = (async () => {
          await new Promise((resolve) => setTimeout(resolve, 3000));
          const from = performance.now();
          let outcome: string;
          if (via === 'server') {
            const res = await fetch(`http://127.0.0.1:${port}/api/sync`, { method: 'POST', headers: { Authorization: `Bearer ${project.token}` } });
            const report = (await res.json()) as { merged?: boolean; conflicts?: number };
            outcome = res.ok ? `merged ${String(report.merged)}, ${report.conflicts ?? 0} suggestion` : `failed ${res.status}`;
          } else {
            outcome = await new Promise<string>((resolve) => {
              const child = spawn(process.execPath, [path.join(root, 'dist/scripts/workbench.js'), 'sync', '--data', project.dir], { stdio: 'ignore' });
              child.on('exit', (code) => resolve(code === 0 ? 'exit 0' : `failed (exit ${code})`));
            });
          }
          return { from, to: performance.now(), outcome };
        })();
        // Long enough for the sync to end well before the editors do (a book's sync takes 15–25 s under their load).
        const run = await editors(base, project.token, 20, 35);
        const { from, to, outcome } = await syncing;
        const during = run.latencies.filter((ms, i) => run.starts[i] + ms >= from && run.starts[i] <= to);
        const after = run.starts.filter((at) => at > to).length;
        const before = run.starts.filter((at, i) => at + run.latencies[i] < from).length;
        const began = Math.min(...run.starts);
        const end = Math.max(...run.starts.map((at, i) => at + run.latencies[i]));
        line(
          `100x: 20 editors saving while ${via === 'server' ? 'the server syncs' : '`workbench sync` runs beside it'}`,
          `longest wait ${Math.max(...during).toFixed(0)} ms, p99 ${percentile(during, 99).toFixed(0)} ms of ${during.length} saves in the sync's ${((to - from) / 1000).toFixed(1)} s (${outcome}); ${(before / ((from - began) / 1000)).toFixed(0)} saves/s before, ${end > to ? (after / ((end - to) / 1000)).toFixed(0) : '–'} after${run.errors ? `, ${run.errors} refused` : ''}`,
        );
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(remote, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
}
