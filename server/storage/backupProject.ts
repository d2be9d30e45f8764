import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../errors';
import { databaseFileOf, openDatabase } from './sql/openDatabase';
import { projectLock } from './projectLock';
import { syncDirectory } from './writeFileAtomic';

/** What a backup holds. */
export interface BackupReport {
  dir: string;
  files: number;
  bytes: number;
}

/** The project's own files; the database is copied apart. */
const PROJECT_ENTRIES = ['source', 'locales', 'workbench.config.json'];

/** A temp file of an atomic write, or anything hidden: not part of the project. */
const skipped = (name: string) => name.startsWith('.') || name.endsWith('.tmp');

async function copyTree(from: string, to: string, report: BackupReport): Promise<void> {
  let stats;
  try {
    stats = await fsp.lstat(from);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (stats.isDirectory()) {
    await fsp.mkdir(to, { recursive: true });
    for (const name of (await fsp.readdir(from)).sort()) if (!skipped(name)) await copyTree(path.join(from, name), path.join(to, name), report);
    return;
  }
  if (!stats.isFile()) return;
  // Files are replaced by rename, never rewritten in place: a copy reads one whole version of each.
  await fsp.copyFile(from, to);
  await syncFile(to);
  report.files += 1;
  report.bytes += stats.size;
}

async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a consistent copy of a project into `dir` (which must not exist, or be empty): the source
 * texts and locale files, the configuration, and the database through SQLite's online backup.
 * While it runs, it holds the project's lock (see ProjectLock), so no save can be acknowledged in
 * the meantime, in this process or another: every save acknowledged before the backup began is in
 * it, its translation and its history entry alike. Saves made during the backup wait, then go on.
 */
export async function backupProject(dataDir: string, dir: string): Promise<BackupReport> {
  const target = path.resolve(dir);
  const source = path.resolve(dataDir);
  if (target === source || target.startsWith(`${source}${path.sep}`)) {
    throw new WorkbenchError(400, 'backup-inside-project', `A backup cannot go inside the project it copies (${target}): choose a folder outside ${source}.`);
  }
  try {
    const names = await fsp.readdir(target);
    if (names.length > 0) throw new WorkbenchError(409, 'backup-folder-not-empty', `${target} is not empty: a backup goes into a new or empty folder, so that nothing is overwritten.`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fsp.mkdir(target, { recursive: true });
  const report: BackupReport = { dir: target, files: 0, bytes: 0 };
  const file = databaseFileOf(source);
  const reader = openDatabase(file);
  try {
    // The project's writers wait (every save holds the lock from its first read to its history entry).
    await projectLock(source).hold(async () => {
      for (const entry of PROJECT_ENTRIES) await copyTree(path.join(source, entry), path.join(target, entry), report);
      const copy = databaseFileOf(target);
      await reader.backup(copy);
      await syncFile(copy);
      report.files += 1;
      report.bytes += (await fsp.stat(copy)).size;
    });
  } finally {
    reader.close();
  }
  await syncDirectory(target);
  return report;
}
