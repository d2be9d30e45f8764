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
import { builtWorkerScript } from '../builtWorkerScript';
import type { FileStamp, Reply, Step } from './writerSteps';

export type { FileStamp, NewFile, Step, ThreadData } from './writerSteps';

interface Job {
  /** The worker the sequence was given to: only its own end fails it. */
  worker: Worker;
  resolve(stamps: FileStamp[]): void;
  reject(err: Error): void;
  onSignal?: (value?: string) => void;
}

/** How long an idle worker is kept for the next sequence. */
const IDLE_MS = 30_000;

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 0;
const jobs = new Map<number, Job>();

/**
 * Fails the sequences given to `ended`, and only those: a worker let go after a while idle ends
 * a moment later, when the next sequence may already be running on the worker that followed it.
 */
function failAll(ended: Worker, err: Error): void {
  for (const [id, job] of jobs) {
    if (job.worker !== ended) continue;
    jobs.delete(id);
    job.reject(err);
  }
}

function startWorker(): Worker {
  const started = new Worker(builtWorkerScript(__dirname, 'writerWorker', 'file writer thread'));
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
    failAll(started, err instanceof Error ? err : new Error(String(err)));
  });
  started.on('exit', (code) => {
    if (worker === started) worker = undefined;
    failAll(started, new Error(`the file writer thread stopped (exit code ${code})`));
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
  const current = (worker ??= startWorker());
  clearTimeout(idleTimer);
  current.ref();
  const id = nextId++;
  const done = new Promise<FileStamp[]>((resolve, reject) => jobs.set(id, { worker: current, resolve, reject, onSignal }));
  current.postMessage({ id, steps });
  return done;
}
