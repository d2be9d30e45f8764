import { randomBytes } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The part of node:fs/promises writeFileAtomic uses (injectable for tests). */
export type AtomicWriteFs = Pick<typeof fsPromises, 'open' | 'rename' | 'unlink'>;

/** What writeFileAtomic writes: a text (as UTF-8), bytes, or texts and byte chunks one after the other. */
export type FileData = string | Uint8Array | readonly (string | Uint8Array)[];

/** Errors a platform raises when it refuses to fsync (or open) a directory: nothing to do about those. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * Replaces `path` with `data` atomically: readers see the old file or the new one, never a mix,
 * and a crash never leaves a truncated file. Writes a uniquely named temp file in the same
 * directory, fsyncs it, renames it over `path`, then fsyncs the directory so the rename is durable.
 *
 * Resolves with the stats of the written file (rename keeps mtime, size and inode), which lets
 * callers recognise their own write later without a racy stat after the rename.
 */
export async function writeFileAtomic(path: string, data: FileData, fsImpl: AtomicWriteFs = fsPromises): Promise<Stats> {
  return (await prepareFileAtomic(path, data, fsImpl)).commit();
}

/**
 * The first half of writeFileAtomic, for a write that must wait for something else before it
 * becomes visible: the data is durable in a temp file next to `path`, which nobody reads.
 * `commit` renames it over `path` and fsyncs the directory (resolving with the file's stats);
 * `discard` removes it instead. One of the two must be called.
 */
export interface PreparedWrite {
  commit(): Promise<Stats>;
  discard(): Promise<void>;
}

/** A new, unique temp file name next to `path` (a dot file, so that no listing of documents or locales takes it). */
export function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

export async function prepareFileAtomic(path: string, data: FileData, fsImpl: AtomicWriteFs = fsPromises): Promise<PreparedWrite> {
  const dir = dirname(path);
  const temp = tempPathOf(path);
  let handle: FileHandle | undefined;
  let stats: Stats;
  try {
    handle = await fsImpl.open(temp, 'wx');
    await writeAll(handle, typeof data === 'string' || data instanceof Uint8Array ? [data] : data);
    await handle.sync();
    stats = await handle.stat();
    await handle.close();
    handle = undefined;
  } catch (cause) {
    if (handle) await handle.close().catch(() => undefined);
    await fsImpl.unlink(temp).catch(() => undefined);
    throw new Error(`Cannot write ${path}`, { cause });
  }
  let settled = false;
  return {
    async commit() {
      if (settled) throw new Error(`Cannot write ${path}: already committed or discarded`);
      settled = true;
      let renamed = false;
      try {
        await fsImpl.rename(temp, path);
        renamed = true;
        await syncDirectory(dir, fsImpl);
        return stats;
      } catch (cause) {
        if (!renamed) await fsImpl.unlink(temp).catch(() => undefined);
        throw new Error(`Cannot write ${path}`, { cause });
      }
    },
    async discard() {
      if (settled) return;
      settled = true;
      await fsImpl.unlink(temp).catch(() => undefined);
    },
  };
}

/**
 * Writes all of `parts` at `from` (the start of the new, empty file, or where the parts before them
 * ended; resolves with where they end), in as few writes as the system
 * takes: FileHandle.writeFile cuts data into 512 KB writes, each a round trip through libuv's
 * thread pool, which adds up on large files. A text is handed to the system as it is (encoded by
 * Node for the write, not first copied into a Buffer); runs of byte chunks go in one vectored write.
 */
export async function writeAll(handle: FileHandle, parts: readonly (string | Uint8Array)[], from = 0): Promise<number> {
  let position = from;
  for (let i = 0; i < parts.length; ) {
    const part = parts[i];
    if (typeof part === 'string') {
      position += await writeText(handle, part, position);
      i++;
      continue;
    }
    const chunks: Uint8Array[] = [];
    for (; i < parts.length && typeof parts[i] !== 'string'; i++) chunks.push(parts[i] as Uint8Array);
    position += await writeChunks(handle, chunks, position);
  }
  return position;
}

/** Writes `text` as UTF-8 at `position`; resolves with the number of bytes written. */
async function writeText(handle: FileHandle, text: string, position: number): Promise<number> {
  if (text === '') return 0;
  const { bytesWritten } = await handle.write(text, position, 'utf8');
  const size = Buffer.byteLength(text, 'utf8');
  // A short write (rare with files): the rest, from its bytes.
  if (bytesWritten < size) await writeChunks(handle, [Buffer.from(text, 'utf8').subarray(bytesWritten)], position + bytesWritten);
  return size;
}

/** Writes `chunks` one after the other at `position`; resolves with the number of bytes written. */
async function writeChunks(handle: FileHandle, chunks: readonly Uint8Array[], position: number): Promise<number> {
  let rest = chunks.filter((chunk) => chunk.byteLength > 0);
  let at = position;
  while (rest.length > 0) {
    const views = rest.map((chunk) => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    const { bytesWritten } = await handle.writev(views, at);
    if (bytesWritten <= 0) throw new Error('the system wrote nothing');
    at += bytesWritten;
    // Drop what was written: whole chunks, then the start of the next one.
    let skip = bytesWritten;
    let i = 0;
    while (i < rest.length && skip >= rest[i].byteLength) skip -= rest[i++].byteLength;
    rest = rest.slice(i);
    if (skip > 0) rest[0] = rest[0].subarray(skip);
  }
  return at - position;
}

/** Makes the entries of a folder durable (renames into it); a system that cannot fsync folders is tolerated. */
export async function syncDirectory(dir: string, fsImpl: Pick<AtomicWriteFs, 'open'> = fsPromises): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fsImpl.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code || !DIR_SYNC_UNSUPPORTED.has(code)) throw err;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
