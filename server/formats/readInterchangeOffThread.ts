import { builtWorkerScript } from '../builtWorkerScript';
import { replyOfThread } from '../replyOfThread';
import type { InterchangeFile } from '../domain/interchange';
import { WorkbenchError } from '../errors';
import { keyedLock } from '../storage/keyedLock';
import { readInterchange } from './interchangeReading';
import type { ReadReply, ReadRequest } from './interchangeWorker';

/** Files up to this size are read on the calling thread: a thread's start would cost more than the read. */
export const READ_INLINE_BYTES = 512 * 1024;

/** One large file read at a time per queue (a project's): four books uploaded at once are read one after another. */
const queue = keyedLock();

/**
 * Reads an uploaded XLIFF file as readInterchange does; a large one on a thread of its own, so the
 * server goes on answering meanwhile (a 50 MB file took the event loop for seconds), one at a time
 * per `queueKey` (the project), in the order they came.
 */
export async function readInterchangeOffThread(bytes: Uint8Array, name: string, queueKey: string): Promise<InterchangeFile> {
  if (bytes.byteLength <= READ_INLINE_BYTES) return readInterchange(bytes, name);
  return queue(queueKey, () => readOnThread(bytes, name));
}

async function readOnThread(bytes: Uint8Array, name: string): Promise<InterchangeFile> {
  const request: ReadRequest = { bytes, name };
  const reply = await replyOfThread<ReadReply>(builtWorkerScript(__dirname, 'interchangeWorker', 'XLIFF reader thread'), request, {
    maxOldGenerationSizeMb: 2048,
    failed: (err) => new WorkbenchError(413, 'xliff-too-large', `${name} could not be read within the reader's memory: ${err.message}`, { cause: err }),
    stopped: (code) => new Error(`The XLIFF reader thread stopped (${code}) before reading ${name}.`),
  });
  if (reply.ok) return reply.file;
  if (reply.error.status !== undefined && reply.error.code !== undefined) throw new WorkbenchError(reply.error.status, reply.error.code, reply.error.message, { details: reply.error.details, params: reply.error.params });
  throw new Error(`Reading ${name} failed: ${reply.error.message}`);
}
