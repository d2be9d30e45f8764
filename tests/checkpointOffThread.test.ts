import { statSync } from 'node:fs';
import path from 'node:path';
import { createProject } from '../server/application/createWorkbench';
import type { HistoryEntry } from '../server/storage/historyRepository';
import { makeProject, type TestProject } from './helpers/project';

/**
 * A server's project database is checkpointed by a thread of its own (checkpointOffThread), not by
 * the commits of its saves: what they commit reaches the database file without a commit of the
 * server copying it there.
 */
let project: TestProject;
beforeEach(() => {
  project = makeProject();
});
afterEach(() => project.cleanup());

const entries = (n: number, from: number): HistoryEntry[] =>
  Array.from({ length: n }, (_, i) => ({ at: new Date().toISOString(), who: 'a translator', segment: `s${from + i}`, action: 'save', before: { target: 'x'.repeat(2000) }, after: { target: `${from + i} ${'y'.repeat(2000)}` } }));

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return true;
  return check();
}

describe('checkpoints of a server database', () => {
  it('are made by a thread: a server commit leaves the log to it, and the database file takes the pages soon after', async () => {
    const { records } = createProject(project.dir, { serving: true });
    const file = path.join(project.dir, 'workbench.db');
    // The thread says it is ready; the server's commits then checkpoint only past the backstop.
    expect(await until(() => records.db.pragma('wal_autocheckpoint', { simple: true }) === 4000, 10_000)).toBe(true);
    const before = statSync(file).size;
    // About 2,000 pages of history, in commits of 100 entries: past SQLite's default of 1,000, under the backstop.
    for (let i = 0; i < 20; i++) await records.history.append('small', 'es', entries(100, i * 100));
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);
    // Copied into the database file by the thread (no commit of this connection checkpointed).
    expect(await until(() => statSync(file).size > before + 4 * 1024 * 1024, 10_000)).toBe(true);
    expect((await records.history.list('small', 'es')).length).toBe(2000);
  });

  it('a process that is not a server checkpoints as SQLite does by default', () => {
    const { records } = createProject(project.dir);
    expect(records.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
