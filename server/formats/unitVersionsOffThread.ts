import { builtWorkerScript } from '../builtWorkerScript';
import { replyOfThread } from '../replyOfThread';
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
  const request: VersionsRequest = { older, newer, file, steps };
  const reply = await replyOfThread<VersionsReply>(builtWorkerScript(__dirname, 'unitVersionsWorker', 'commit versions thread'), request, {
    maxOldGenerationSizeMb: 2048,
    failed: (err) => err,
    stopped: (code) => new Error(`The commit versions thread stopped (${code}) before ${file} was done.`),
  });
  if (!reply.ok) throw new Error(`${file}: ${reply.message}`);
  return reply.versions;
}
