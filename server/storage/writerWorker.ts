/**
 * The file writer thread (started by writerThread.ts): runs each sequence of steps it is sent with
 * synchronous calls, one sequence at a time, and answers with the stamps of the files written.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FileStamp, NewFile, Reply, Step } from './writerSteps';

/** Errors a platform raises when it refuses to fsync (or open) a directory: nothing to do about those. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF', 'ENOTSUP', 'EOPNOTSUPP']);

function writeFile(file: NewFile, bytes: Buffer): FileStamp {
  if (file.dir) fs.mkdirSync(file.dir, { recursive: true });
  const fd = fs.openSync(file.path, 'wx');
  try {
    let written = 0;
    while (written < bytes.byteLength) {
      const n = fs.writeSync(fd, bytes, written, bytes.byteLength - written, written);
      if (n <= 0) throw new Error('the system wrote nothing');
      written += n;
    }
    fs.fsyncSync(fd);
    const stats = fs.fstatSync(fd);
    return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function run(port: NonNullable<typeof parentPort>, id: number, steps: readonly Step[]): void {
  const made = new Set<string>();
  const stamps: FileStamp[] = [];
  let path: string | undefined;
  try {
    for (const step of steps) {
      if (step.op === 'write') {
        const { data } = step;
        const bytes = 'bytes' in data ? Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength) : Buffer.from(data.texts.join(''), 'utf8');
        if (step.hash) port.postMessage({ id, signal: true, value: createHash('sha256').update(bytes).digest('hex') } satisfies Reply);
        for (const file of step.files) {
          path = file.path;
          made.add(file.path);
          stamps.push(writeFile(file, bytes));
        }
      } else if (step.op === 'rename') {
        path = step.to;
        fs.renameSync(step.from, step.to);
        made.delete(step.from);
      } else if (step.op === 'syncDir') {
        path = step.dir;
        syncDir(step.dir);
      } else {
        port.postMessage({ id, signal: true } satisfies Reply);
      }
    }
    port.postMessage({ id, stamps } satisfies Reply);
  } catch (err) {
    for (const file of made) {
      try {
        fs.unlinkSync(file);
      } catch {
        // Already gone: nothing to clean.
      }
    }
    const e = err as NodeJS.ErrnoException;
    port.postMessage({ id, error: { message: String(e?.message), code: e?.code, syscall: e?.syscall, path } } satisfies Reply);
  }
}

const port = parentPort;
if (port) port.on('message', ({ id, steps }: { id: number; steps: readonly Step[] }) => run(port, id, steps));
