import { Worker } from 'node:worker_threads';
import { builtWorkerScript } from '../builtWorkerScript';
import { unitVersions } from './mergeXliff12';
import type { VersionsReply, VersionsRequest } from './unitVersionsWorker';

/** Files up to this size are worked on the calling thread: a thread's start would cost more. */
const INLINE_BYTES = 512 * 1024;

/**
 * unitVersions, on a thread of its own for a large file: a book's file is megabytes to read twice
 * and to splice once per person, which on the server's thread would keep every editor waiting.
 */
export async function unitVersionsOffThread(older: Uint8Array, newer: Uint8Array, file: string, steps: string[][]): Promise<(Uint8Array | null)[]> {
  if (older.byteLength + newer.byteLength <= INLINE_BYTES) return unitVersions(older, newer, file, steps);
  return new Promise((resolve, reject) => {
    const worker = new Worker(builtWorkerScript(__dirname, 'unitVersionsWorker', 'commit versions thread'), { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    let settled = false;
    const finish = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      void worker.terminate();
    };
    worker.once('message', (reply: VersionsReply) => finish(() => (reply.ok ? resolve(reply.versions) : reject(new Error(`${file}: ${reply.message}`)))));
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`The commit versions thread stopped (${code}) before ${file} was done.`))));
    const request: VersionsRequest = { older, newer, file, steps };
    worker.postMessage(request);
  });
}
