import type { Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LocaleFile } from '../domain/types';
import { fileStamp } from './fileIdentity';
import { tempPathOf } from './writeFileAtomic';

/**
 * Parsed locale files kept between processes, so that a CLI command or a server start does not
 * parse a book's XLIFF again when it has not changed (a 16 MB file takes most of a second to
 * parse, its snapshot a tenth of that to read).
 *
 * A snapshot is the model read from one file, stamped with that file's identity: device, inode,
 * size, modification time and change time. Any write of the file (an edit in place, a rename over
 * it, even one that restores the old size and modification time) changes its change time, which
 * nobody can set back: a snapshot whose stamp is not the file's as it is now is never used. A
 * snapshot is a cache, nothing more: written without fsync, read only when whole (a torn or
 * unreadable one is ignored), and safe to delete at any time. They live in `<project>/.cache/`,
 * which backups leave out.
 */
export interface ModelSnapshots {
  /** The model of the file `stats` describe, when a snapshot of exactly that file is kept. */
  read(file: string, stats: Stats): Promise<LocaleFile | undefined>;
  /** Keeps `model` as the snapshot of the file `stats` describe (in the background; failures are ignored). */
  write(file: string, stats: Stats, model: LocaleFile): void;
  /** Resolves once the snapshots being written are written (or given up). */
  settled(): Promise<void>;
}

/** Bumped whenever the model's shape changes: snapshots of another format are not read. */
const FORMAT = 1;

function stampOf(stats: Stats): string {
  return `${FORMAT} ${fileStamp(stats)}`;
}

/** Snapshots of the files under `filesDir` (a project's `locales/`), kept under `snapshotDir` in the same layout. */
export function createModelSnapshots(filesDir: string, snapshotDir: string): ModelSnapshots {
  const pending = new Set<Promise<void>>();
  const snapshotOf = (file: string): string | undefined => {
    const relative = file.startsWith(`${filesDir}/`) ? file.slice(filesDir.length + 1) : undefined;
    return relative === undefined ? undefined : join(snapshotDir, `${relative}.json`);
  };

  return {
    async read(file, stats) {
      const snapshot = snapshotOf(file);
      if (!snapshot) return undefined;
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(snapshot);
      } catch {
        return undefined;
      }
      // The stamp is the first line: a snapshot of another version of the file is not decoded further.
      const lineEnd = bytes.indexOf(0x0a);
      if (lineEnd < 0 || bytes.toString('utf8', 0, lineEnd) !== stampOf(stats)) return undefined;
      try {
        const model = JSON.parse(bytes.toString('utf8', lineEnd + 1)) as LocaleFile;
        return Array.isArray(model?.units) ? model : undefined;
      } catch {
        return undefined; // torn (a process stopped while writing it): parsed from the file instead
      }
    },

    write(file, stats, model) {
      const snapshot = snapshotOf(file);
      if (!snapshot) return;
      const task = (async () => {
        // After the caller's own work: a snapshot is for the next process, not this request.
        await new Promise((resolve) => setImmediate(resolve));
        const temp = tempPathOf(snapshot);
        try {
          await fs.mkdir(dirname(snapshot), { recursive: true });
          await fs.writeFile(temp, `${stampOf(stats)}\n${JSON.stringify(model)}`, { flag: 'wx' });
          await fs.rename(temp, snapshot);
        } catch {
          await fs.unlink(temp).catch(() => undefined);
        }
      })();
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },

    async settled() {
      while (pending.size) await Promise.all(pending);
    },
  };
}
