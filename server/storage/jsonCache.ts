import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { isDocumentId } from '../domain/documentId';
import { tempPathOf } from './writeFileAtomic';

/**
 * Small values worked out from a project's files, kept between processes under a key (a document
 * id): `<dir>/<key>.json`, in the project's `.cache/` (left out of backups). The caller stamps what
 * it keeps with the identities of the files it was worked out from (see fileStamp) and uses it only
 * while they match. A cache and nothing more: written without fsync, a file that cannot be read or
 * parsed is as good as none, and any of them may be deleted at any time.
 */
export interface JsonCache {
  read(key: string): Promise<unknown>;
  /** Keeps `value` under `key` (in the background; a failure to write is ignored). */
  write(key: string, value: unknown): void;
  /** Resolves once the values being written are written (or given up). */
  settled(): Promise<void>;
}

export function createJsonCache(dir: string): JsonCache {
  const pending = new Set<Promise<void>>();
  // Keys become file names: only document ids.
  const fileOf = (key: string): string | undefined => (isDocumentId(key) ? join(dir, `${key}.json`) : undefined);
  return {
    async read(key) {
      const file = fileOf(key);
      if (!file) return undefined;
      try {
        return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
      } catch {
        return undefined;
      }
    },

    write(key, value) {
      const file = fileOf(key);
      if (!file) return;
      const task = (async () => {
        const temp = tempPathOf(file);
        try {
          await fs.mkdir(dir, { recursive: true });
          await fs.writeFile(temp, JSON.stringify(value), { flag: 'wx' });
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
