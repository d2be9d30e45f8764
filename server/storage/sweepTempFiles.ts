import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** The temp files of an atomic write (see tempPathOf): `.<name>.<pid>.<12 hex>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** How old a temp file of a live process must be to be taken as left over (its pid may have been reused). */
const STALE_MS = 60 * 60 * 1000;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but is another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files that writes stopped by a crash left in a project's folders (`source/`,
 * its `*.versions/`, `locales/<lang>/`, the caches in `.cache/`): those of a process that is gone, or older than an hour.
 * A write under way in another process (the CLI beside the server) keeps its file. Returns what was
 * removed, relative to the project.
 */
export async function sweepTempFiles(dataDir: string, now: () => number = Date.now): Promise<string[]> {
  const removed: string[] = [];
  const sweep = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth > 0 && !entry.name.startsWith('.')) await sweep(full, depth - 1);
        continue;
      }
      const match = TEMP_FILE.exec(entry.name);
      if (!match || !entry.isFile()) continue;
      const stats = await fsp.stat(full).catch(() => undefined);
      if (!stats) continue;
      if (alive(Number(match[1])) && now() - stats.mtimeMs < STALE_MS) continue;
      await fsp.rm(full, { force: true });
      removed.push(path.relative(dataDir, full));
    }
  };
  await sweep(path.join(dataDir, 'source'), 1);
  await sweep(path.join(dataDir, 'locales'), 1);
  // The caches (.cache/locales/<lang>/, .cache/summaries/).
  await sweep(path.join(dataDir, '.cache'), 2);
  return removed;
}
