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
 * The worker is kept between sequences (see keptThread) and runs one sequence at a time, in the
 * order they were given (so a sequence can count on the ones before it having run).
 */
import { types } from 'node:util';
import { builtWorkerScript } from '../builtWorkerScript';
import { keptThread } from '../keptThread';
import type { FileStamp, Reply, Step } from './writerSteps';

export type { FileStamp, NewFile, Step, ThreadData } from './writerSteps';

/** How long an idle worker is kept for the next sequence. */
const IDLE_MS = 30_000;

const writer = keptThread({ script: () => builtWorkerScript(__dirname, 'writerWorker', 'file writer thread'), what: 'file writer thread', idleMs: IDLE_MS });

/**
 * Runs `steps` on the writer thread, after every sequence given before. Resolves with the stamps
 * of the files written (in order); rejects at the first step that fails (`Cannot write <path>`,
 * the system's error as cause), the steps after it not run, the files it wrote and did not move
 * removed. The buffers in `moved` (bytes of the steps' data the caller made for them) go to the
 * thread instead of being copied: the caller no longer has them.
 */
export async function runOffThread(steps: readonly Step[], onSignal?: (value?: string) => void, moved?: readonly ArrayBuffer[]): Promise<FileStamp[]> {
  const reply = await writer.request<Reply>({ steps }, onSignal, moved);
  if (reply.stamps) return reply.stamps;
  const { message = 'the file operation failed', code, syscall, path } = reply.error ?? {};
  throw new Error(`Cannot write ${path ?? 'a file'}`, { cause: Object.assign(new Error(message), { code, syscall, path }) });
}

/**
 * The buffer under `bytes` when `bytes` is all of it, and it can be moved to the writer thread (see
 * runOffThread); undefined for a slice of a bigger one (Node's pool of small buffers), copied instead.
 */
export function wholeBuffer(bytes: Uint8Array): ArrayBuffer | undefined {
  const { buffer } = bytes;
  return types.isArrayBuffer(buffer) && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength && bytes.byteLength > 0 ? buffer : undefined;
}
