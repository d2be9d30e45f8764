import { Worker } from 'node:worker_threads';
import { builtWorkerScript } from '../builtWorkerScript';
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

function readOnThread(bytes: Uint8Array, name: string): Promise<InterchangeFile> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(builtWorkerScript(__dirname, 'interchangeWorker', 'XLIFF reader thread'), { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    let settled = false;
    const finish = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      void worker.terminate();
    };
    worker.once('message', (reply: ReadReply) =>
      finish(() => {
        if (reply.ok) resolve(reply.file);
        else if (reply.error.status !== undefined && reply.error.code !== undefined) reject(new WorkbenchError(reply.error.status, reply.error.code, reply.error.message, { details: reply.error.details, params: reply.error.params }));
        else reject(new Error(`Reading ${name} failed: ${reply.error.message}`));
      }),
    );
    worker.once('error', (err) => finish(() => reject(new WorkbenchError(413, 'xliff-too-large', `${name} could not be read within the reader's memory: ${err.message}`, { cause: err }))));
    worker.once('exit', (code) => finish(() => reject(new Error(`The XLIFF reader thread stopped (${code}) before reading ${name}.`))));
    const request: ReadRequest = { bytes, name };
    worker.postMessage(request);
  });
}
