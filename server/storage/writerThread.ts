/**
 * Runs sequences of file operations (create and fsync a file, rename, fsync a folder) on a thread
 * of their own.
 *
 * Written with fs.promises, a durable write is a chain of requests (open, write, fsync, close,
 * rename, fsync the folder), and each next request is made by the main thread once it has seen
 * the previous one done: a main thread busy for hundreds of milliseconds (segmenting and aligning
 * a book, rewriting its translations) stalls the chain, and the writes that could have happened
 * meanwhile happen after. Here a whole sequence runs on a worker thread, with synchronous calls,
 * whatever the main thread does; a value to write as JSON is also turned into its text there.
 *
 * The worker is started on first use and runs one sequence at a time, in the order they were
 * given (so a sequence can count on the ones before it having run); it goes after a while idle,
 * and never keeps the process alive by itself when it has nothing to do.
 */
import { Worker } from 'node:worker_threads';

/** What the file's stat says of a written file (a rename keeps them). */
export interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

/** A file's content: texts (as UTF-8) one after the other, or a value as its JSON text and a newline. */
export type ThreadData = { texts: readonly string[] } | { json: unknown; space?: number };

/** A file to create (it must not exist), and the folder to make first, if any. */
export interface NewFile {
  path: string;
  dir?: string;
}

/**
 * One operation of a sequence:
 * - `write`: creates each file with the same content and fsyncs it (a file of a failed sequence
 *   is removed, unless a later `rename` of the sequence moved it); with `hash`, first gives the
 *   SHA-256 (hex) of the content to `onSignal`;
 * - `rename`: renames a file (over any file at `to`);
 * - `syncDir`: fsyncs a folder, so that the renames into it are durable (a system that does not
 *   fsync folders is tolerated);
 * - `signal`: calls the sequence's `onSignal` (on the main thread, as soon as it is free).
 */
export type Step =
  | { op: 'write'; files: readonly NewFile[]; data: ThreadData; hash?: boolean }
  | { op: 'rename'; from: string; to: string }
  | { op: 'syncDir'; dir: string }
  | { op: 'signal' };

// Plain JavaScript, evaluated by the worker: no TypeScript loader is needed, whatever runs the app.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF', 'ENOTSUP', 'EOPNOTSUPP']);

function writeFile(file, bytes) {
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

function syncDir(dir) {
  let fd;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    if (!err || !DIR_SYNC_UNSUPPORTED.has(err.code)) throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

parentPort.on('message', ({ id, steps }) => {
  const made = new Set();
  const stamps = [];
  let path;
  try {
    for (const step of steps) {
      if (step.op === 'write') {
        const data = step.data;
        const text = 'json' in data ? JSON.stringify(data.json, null, data.space) + '\\n' : data.texts.join('');
        const bytes = Buffer.from(text, 'utf8');
        if (step.hash) parentPort.postMessage({ id, signal: true, value: createHash('sha256').update(bytes).digest('hex') });
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
      } else if (step.op === 'signal') {
        parentPort.postMessage({ id, signal: true });
      }
    }
    parentPort.postMessage({ id, stamps });
  } catch (err) {
    for (const file of made) {
      try { fs.unlinkSync(file); } catch {}
    }
    parentPort.postMessage({ id, error: { message: String(err && err.message), code: err && err.code, syscall: err && err.syscall, path } });
  }
});
`;

interface Job {
  resolve(stamps: FileStamp[]): void;
  reject(err: Error): void;
  onSignal?: (value?: string) => void;
}

interface Reply {
  id: number;
  signal?: boolean;
  value?: string;
  stamps?: FileStamp[];
  error?: { message: string; code?: string; syscall?: string; path?: string };
}

/** How long an idle worker is kept for the next sequence. */
const IDLE_MS = 30_000;

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 0;
const jobs = new Map<number, Job>();

function failAll(err: Error): void {
  for (const job of jobs.values()) job.reject(err);
  jobs.clear();
}

function startWorker(): Worker {
  const started = new Worker(WORKER_SOURCE, { eval: true });
  started.on('message', (reply: Reply) => {
    const job = jobs.get(reply.id);
    if (!job) return;
    if (reply.signal) {
      job.onSignal?.(reply.value);
      return;
    }
    jobs.delete(reply.id);
    if (reply.stamps) {
      job.resolve(reply.stamps);
    } else {
      const { message = 'the file operation failed', code, syscall, path } = reply.error ?? {};
      job.reject(new Error(`Cannot write ${path ?? 'a file'}`, { cause: Object.assign(new Error(message), { code, syscall, path }) }));
    }
    if (jobs.size === 0) idle();
  });
  started.on('error', (err) => {
    if (worker === started) worker = undefined;
    failAll(err instanceof Error ? err : new Error(String(err)));
  });
  started.on('exit', (code) => {
    if (worker === started) worker = undefined;
    if (jobs.size > 0) failAll(new Error(`the file writer thread stopped (exit code ${code})`));
  });
  return started;
}

/** No sequence left: the worker no longer keeps the process alive, and goes if nothing comes. */
function idle(): void {
  const current = worker;
  current?.unref();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (worker === current && jobs.size === 0) {
      worker = undefined;
      void current?.terminate();
    }
  }, IDLE_MS);
  idleTimer.unref();
}

/**
 * Runs `steps` on the writer thread, after every sequence given before. Resolves with the stamps
 * of the files written (in order); rejects at the first step that fails (`Cannot write <path>`,
 * the system's error as cause), the steps after it not run, the files it wrote and did not move removed.
 */
export function runOffThread(steps: readonly Step[], onSignal?: (value?: string) => void): Promise<FileStamp[]> {
  worker ??= startWorker();
  clearTimeout(idleTimer);
  worker.ref();
  const id = nextId++;
  const done = new Promise<FileStamp[]>((resolve, reject) => jobs.set(id, { resolve, reject, onSignal }));
  worker.postMessage({ id, steps });
  return done;
}
