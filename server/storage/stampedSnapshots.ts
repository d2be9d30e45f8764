import * as fs from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { tempPathOf } from './writeFileAtomic';

/**
 * Values worked out from a project's files (a parsed locale file, a segmented document), kept
 * between processes so that a CLI command or a server start does not work them out again from
 * files that have not changed: a book's XLIFF takes most of a second to parse, its snapshot a
 * tenth of that to read.
 *
 * Each snapshot is stamped by its caller with the identities of the files it came from (see
 * fileStamp: device, inode, size, modification and change time; any write of a file changes its
 * change time, which nobody can set back). A snapshot is read only under the stamp it was written
 * with, so it is never used for another version of its files. It is a cache and nothing more:
 * written without fsync, read only when whole (a torn or unreadable one is ignored), safe to
 * delete at any time. They live in `<project>/.cache/`, which backups leave out.
 */
export interface StampedSnapshots {
  /** The value kept under `name` with exactly `stamp`, or undefined. */
  read(name: string, stamp: string): Promise<unknown>;
  /** Keeps `value` under `name` with `stamp` (in the background; a failure is ignored). */
  write(name: string, stamp: string, value: unknown): void;
  /** Resolves once the snapshots being written are written (or given up). */
  settled(): Promise<void>;
}

/** Bumped whenever a kept value's shape changes: snapshots of another format are not read. */
const FORMAT = 2;

/** Snapshots under `dir`, each in `<dir>/<name>.json`; names are relative paths made of ids the callers checked. */
export function createStampedSnapshots(dir: string): StampedSnapshots {
  const pending = new Set<Promise<void>>();
  const fileOf = (name: string): string | undefined => {
    const relative = normalize(name);
    if (relative.startsWith('..') || relative.startsWith(sep) || relative.includes('\0')) return undefined;
    return join(dir, `${relative}.json`);
  };
  const header = (stamp: string): string => `${FORMAT} ${stamp}`;

  return {
    async read(name, stamp) {
      const file = fileOf(name);
      if (!file) return undefined;
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(file);
      } catch {
        return undefined;
      }
      // The stamp is the first line: a snapshot of other files is not decoded further.
      const lineEnd = bytes.indexOf(0x0a);
      if (lineEnd < 0 || bytes.toString('utf8', 0, lineEnd) !== header(stamp)) return undefined;
      try {
        return JSON.parse(bytes.toString('utf8', lineEnd + 1)) as unknown;
      } catch {
        return undefined; // torn (a process stopped while writing it): worked out again instead
      }
    },

    write(name, stamp, value) {
      const file = fileOf(name);
      if (!file || stamp.includes('\n')) return;
      const task = (async () => {
        // After the caller's own work: a snapshot is for the next process, not this request.
        await new Promise((resolve) => setImmediate(resolve));
        const temp = tempPathOf(file);
        try {
          await fs.mkdir(dirname(file), { recursive: true });
          await fs.writeFile(temp, `${header(stamp)}\n${JSON.stringify(value)}`, { flag: 'wx' });
          await fs.rename(temp, file);
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
