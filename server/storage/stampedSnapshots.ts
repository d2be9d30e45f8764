import { statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { tempPathOf, writeAll } from './writeFileAtomic';
import { readWholeHandle } from './readWholeFile';

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
  /**
   * Whether a snapshot is kept under `name` with exactly `stamp`: its first line only is read (it
   * may still prove torn when read).
   */
  has(name: string, stamp: string): Promise<boolean>;
  /** Keeps `value` under `name` with `stamp` (in the background; a failure is ignored). */
  write(name: string, stamp: string, value: unknown): void;
  /** write, resolving once the value is written (or given up): for a value the next process should find at once. */
  put(name: string, stamp: string, value: unknown): Promise<void>;
  /** A file kept as bytes (an edition), with what the caller said of it, under `name` with exactly `stamp`. */
  readBytes(name: string, stamp: string): Promise<{ meta: unknown; bytes: Buffer } | undefined>;
  /**
   * Keeps `bytes` (and `meta`, small) under `name` with `stamp`, as `write` does. With `keepNewest`,
   * only that many of the newest files are kept in the folder after it (editions are megabytes each).
   */
  writeBytes(name: string, stamp: string, meta: unknown, bytes: Uint8Array, options?: { keepNewest?: number }): void;
  /** Resolves once the snapshots being written are written (or given up). */
  settled(): Promise<void>;
}

/** Bumped whenever a kept value's shape changes: snapshots of another format are not read. 3: JSON values in ASCII. */
const FORMAT = 3;

/**
 * JSON in ASCII: every other character written as its `\uXXXX` escape (the same value for
 * JSON.parse). Read back as Latin-1, one byte per character, it decodes in half the time UTF-8
 * takes: a book's model is 17 MB, read at the first page after every start.
 */
function toAscii(json: string): string {
  // The test also flattens a concatenated string: reading one character at a time from a string
  // made of pieces costs V8 a lookup through the pieces each time (seconds for a book).
  if (!NON_ASCII.test(json)) return json;
  let out = '';
  let copied = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code > 0x7f) {
      out += `${json.slice(copied, i)}\\u${code.toString(16).padStart(4, '0')}`;
      copied = i + 1;
    }
  }
  return copied === 0 ? json : out + json.slice(copied);
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Array items serialized into one part: a part of a hundred units is some 50 KB, a string V8 makes
 * in its young generation, whose memory is used again and again. A part of 500 (270 KB) was made
 * in memory of its own each time, and on the 2-core machine of `npm run bench` each new page of
 * memory costs as much as writing a few kilobytes: a book's snapshot took half as long again.
 */
const ITEMS_PER_PART = 100;

/**
 * The ASCII JSON of `value`, part after part: a hundred items at a time of the large array of an
 * object (a locale's units, a document's segments), the rest whole. The caller writes each part
 * before the next is made (the event loop is free meanwhile: a server keeps serving while a book's
 * snapshot is made), so that the parts of a snapshot never are all in memory at once. The values
 * kept are never changed (a new version of a file is a new model), so serializing them across
 * ticks is safe.
 */
async function* asciiJsonParts(value: unknown): AsyncGenerator<string> {
  const whole = (v: unknown): string => toAscii(JSON.stringify(v));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    yield whole(value);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const large = entries.find(([, v]) => Array.isArray(v) && v.length > ITEMS_PER_PART);
  if (!large) {
    yield whole(value);
    return;
  }
  yield '{';
  for (const [i, [key, v]] of entries.entries()) {
    yield toAscii(`${i ? ',' : ''}${JSON.stringify(key)}:`);
    if (v !== large[1]) {
      yield whole(v);
      continue;
    }
    const items = v as unknown[];
    yield '[';
    for (let at = 0; at < items.length; at += ITEMS_PER_PART) {
      let part = at ? ',' : '';
      for (let k = at; k < Math.min(items.length, at + ITEMS_PER_PART); k++) part += `${k > at ? ',' : ''}${JSON.stringify(items[k]) ?? 'null'}`;
      yield toAscii(part);
    }
    yield ']';
  }
  yield '}';
}

/**
 * The build that made a snapshot: what is kept (a parse, a count, an edition) is what this code
 * made of the files, so another build (an upgrade, a rebuild) does not take it. The build writes
 * every compiled file, this one included. With the ICU data of the Node that ran it: the words
 * counted in each paragraph (Intl.Segmenter), the languages' names and the dates of an edition
 * come from it, and a Node upgraded without a new build counts and names with its own.
 */
const BUILD = (() => {
  let built = 'unknown';
  try {
    built = String(statSync(__filename).mtimeMs);
  } catch {
    // kept as unknown: still told apart by the ICU data below
  }
  return `${built}+icu${process.versions.icu ?? '-'}`;
})();

/** Removes all but the `keep` most recently written snapshots of a folder (never the temp files of writes under way). */
async function pruneOldest(dir: string, keep: number): Promise<void> {
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
  if (names.length <= keep) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await fs.stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.mtime - a.mtime);
  await Promise.all(dated.slice(keep).map(({ name }) => fs.unlink(join(dir, name)).catch(() => undefined)));
}

/** Snapshots under `dir`, each in `<dir>/<name>.json`; names are relative paths made of ids the callers checked. */
export function createStampedSnapshots(dir: string): StampedSnapshots {
  const pending = new Set<Promise<void>>();
  const fileOf = (name: string): string | undefined => {
    const relative = normalize(name);
    if (relative.startsWith('..') || relative.startsWith(sep) || relative.includes('\0')) return undefined;
    return join(dir, `${relative}.json`);
  };
  const header = (stamp: string): string => `${FORMAT} ${BUILD} ${stamp}`;

  /**
   * `name`'s file opened, with its size, when its stamp line is `stamp`'s (undefined without such a
   * file): read first on its own, so that a snapshot of another version of its files (the one
   * before a change, 9 MB for a book's locale file) is not read further.
   */
  async function openStamped(name: string, stamp: string): Promise<{ handle: fs.FileHandle; size: number; bodyAt: number } | undefined> {
    const file = fileOf(name);
    if (!file) return undefined;
    const expected = Buffer.from(`${header(stamp)}\n`);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(file, 'r');
      const { size } = await handle.stat();
      const start = Buffer.alloc(expected.byteLength);
      const { bytesRead } = size < expected.byteLength ? { bytesRead: 0 } : await handle.read(start, 0, start.byteLength, 0);
      if (bytesRead === expected.byteLength && start.equals(expected)) return { handle, size, bodyAt: expected.byteLength };
    } catch {
      // unreadable: as if there were none
    }
    await handle?.close().catch(() => undefined);
    return undefined;
  }

  /** What follows the stamp line of `name`'s file, when that line is `stamp`'s (see openStamped). */
  async function readStamped(name: string, stamp: string): Promise<Buffer | undefined> {
    const opened = await openStamped(name, stamp);
    if (!opened) return undefined;
    try {
      return await readWholeHandle(opened.handle, opened.size, opened.bodyAt);
    } catch {
      return undefined;
    } finally {
      await opened.handle.close().catch(() => undefined);
    }
  }

  /** Writes what `contents` gives to `name`'s file in the background (temp file, then rename); failures are ignored. */
  function keep(name: string, stamp: string, contents: () => Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, keepNewest?: number): Promise<void> {
    const file = fileOf(name);
    if (!file || stamp.includes('\n')) return Promise.resolve();
    const task = (async () => {
      // After the caller's own work: a snapshot is for the next process, not this request.
      await new Promise((resolve) => setImmediate(resolve));
      const temp = tempPathOf(file);
      try {
        // The folder above the snapshots (`.cache/`) is made only inside an existing project: a
        // snapshot landing after its project was removed makes nothing (ENOENT).
        await fs.mkdir(dirname(dir)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
        await fs.mkdir(dirname(file), { recursive: true });
        // The parts one after the other as they are made, never joined: an edition is ten megabytes.
        const handle = await fs.open(temp, 'wx');
        try {
          let position = 0;
          for await (const part of contents()) position = await writeAll(handle, [part], position);
        } finally {
          await handle.close();
        }
        await fs.rename(temp, file);
        if (keepNewest !== undefined) await pruneOldest(dirname(file), keepNewest);
      } catch {
        await fs.unlink(temp).catch(() => undefined);
      }
    })();
    pending.add(task);
    void task.finally(() => pending.delete(task));
    return task;
  }

  /** Writes `value` under `name` with `stamp` (see write); resolves once written or given up. */
  const put = (name: string, stamp: string, value: unknown): Promise<void> =>
    keep(name, stamp, async function* () {
      yield `${header(stamp)}\n`;
      yield* asciiJsonParts(value);
    });

  return {
    async read(name, stamp) {
      const body = await readStamped(name, stamp);
      if (!body) return undefined;
      try {
        return JSON.parse(body.toString('latin1')) as unknown; // ASCII (see asciiJson)
      } catch {
        return undefined; // torn (a process stopped while writing it): worked out again instead
      }
    },

    async has(name, stamp) {
      const opened = await openStamped(name, stamp);
      await opened?.handle.close().catch(() => undefined);
      return opened !== undefined;
    },

    write(name, stamp, value) {
      void put(name, stamp, value);
    },

    put,

    async readBytes(name, stamp) {
      const body = await readStamped(name, stamp);
      // What the caller said of the bytes on a line of its own, then the bytes.
      const metaEnd = body ? body.indexOf(0x0a) : -1;
      if (!body || metaEnd < 0) return undefined;
      try {
        const { meta, length } = JSON.parse(body.toString('utf8', 0, metaEnd)) as { meta: unknown; length: number };
        const bytes = body.subarray(metaEnd + 1);
        return bytes.length === length ? { meta, bytes } : undefined; // torn: made again
      } catch {
        return undefined;
      }
    },

    writeBytes(name, stamp, meta, bytes, options) {
      void keep(name, stamp, () => [`${header(stamp)}\n${JSON.stringify({ meta, length: bytes.byteLength })}\n`, bytes], options?.keepNewest);
    },

    async settled() {
      while (pending.size) await Promise.all(pending);
    },
  };
}
