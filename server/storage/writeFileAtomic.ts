import { randomBytes } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The part of node:fs/promises writeFileAtomic uses (injectable for tests). */
export type AtomicWriteFs = Pick<typeof fsPromises, 'open' | 'rename' | 'unlink'>;

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
export async function writeFileAtomic(path: string, data: string | Uint8Array, fsImpl: AtomicWriteFs = fsPromises): Promise<Stats> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  let renamed = false;
  try {
    handle = await fsImpl.open(temp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    const stats = await handle.stat();
    await handle.close();
    handle = undefined;
    await fsImpl.rename(temp, path);
    renamed = true;
    await syncDirectory(dir, fsImpl);
    return stats;
  } catch (cause) {
    if (handle) await handle.close().catch(() => undefined);
    if (!renamed) await fsImpl.unlink(temp).catch(() => undefined);
    throw new Error(`Cannot write ${path}`, { cause });
  }
}

async function syncDirectory(dir: string, fsImpl: AtomicWriteFs): Promise<void> {
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
