import { builtWorkerScript } from '../builtWorkerScript';
import type { LaterSide } from '../domain/mergeLocaleFiles';
import { WorkbenchError } from '../errors';
import { replyOfThread } from '../replyOfThread';
import { mergeAhead, type MergeAhead } from './mergeXliff12';
import type { MergeAheadReply, MergeAheadRequest } from './mergeAheadWorker';

/** Files up to this size are merged on the calling thread: a thread's start would cost more. */
const INLINE_BYTES = 512 * 1024;

/**
 * mergeAhead, on a thread of its own for a large file: a book's three versions are a second and a
 * half to read, which on a server's thread would keep every editor waiting (the sync runs while
 * they save).
 */
export async function mergeAheadOffThread(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, file: string, later: LaterSide): Promise<MergeAhead> {
  if (base.byteLength + ours.byteLength + theirs.byteLength <= INLINE_BYTES) return mergeAhead(base, ours, theirs, file, later);
  const request: MergeAheadRequest = { base, ours, theirs, file, later };
  const reply = await replyOfThread<MergeAheadReply>(builtWorkerScript(__dirname, 'mergeAheadWorker', 'merge thread'), request, {
    maxOldGenerationSizeMb: 2048,
    failed: (err) => err,
    stopped: (code) => new Error(`The merge thread stopped (${code}) before ${file} was merged.`),
  });
  if (reply.ok) return reply.merge;
  // A broken file (a conflict marker, malformed XML) is the same error as on this thread.
  throw reply.status && reply.code ? new WorkbenchError(reply.status, reply.code, reply.message, { params: reply.params }) : new Error(`${file}: ${reply.message}`);
}
