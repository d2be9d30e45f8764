import { builtWorkerScript } from '../builtWorkerScript';
import type { LaterSide } from '../domain/mergeLocaleFiles';
import type { Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { replyOfThread } from '../replyOfThread';
import { mergeAhead, type MergeAhead, withUnitsXliff12 } from './mergeXliff12';
import type { MergeAheadReply, MergeAheadRequest } from './mergeAheadWorker';

/** Files up to this size are worked on the calling thread: a thread's start would cost more. */
const INLINE_BYTES = 512 * 1024;

async function onThread(request: MergeAheadRequest): Promise<MergeAheadReply & { ok: true }> {
  const reply = await replyOfThread<MergeAheadReply>(builtWorkerScript(__dirname, 'mergeAheadWorker', 'merge thread'), request, {
    maxOldGenerationSizeMb: 2048,
    failed: (err) => err,
    stopped: (code) => new Error(`The merge thread stopped (${code}) before ${request.file} was done.`),
  });
  if (reply.ok) return reply;
  // A broken file (a conflict marker, malformed XML) is the same error as on this thread.
  throw reply.status && reply.code ? new WorkbenchError(reply.status, reply.code, reply.message, { params: reply.params }) : new Error(`${request.file}: ${reply.message}`);
}

/**
 * mergeAhead, on a thread of its own for a large file: a book's three versions are a second and a
 * half to read, which on a server's thread would keep every editor waiting (the sync runs while
 * they save).
 */
export async function mergeAheadOffThread(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, file: string, later: LaterSide): Promise<MergeAhead> {
  if (base.byteLength + ours.byteLength + theirs.byteLength <= INLINE_BYTES) return mergeAhead(base, ours, theirs, file, later);
  const reply = await onThread({ kind: 'merge', base, ours, theirs, file, later });
  if (!reply.merge) throw new Error(`${file}: the merge thread gave no merge`);
  return reply.merge;
}

/** withUnitsXliff12, on a thread of its own for a large file (the merge commit's version of a book's file, made while the editors save). */
export async function withUnitsOffThread(bytes: Uint8Array, units: readonly Unit[], file: string): Promise<Uint8Array> {
  if (units.length === 0) return bytes;
  if (bytes.byteLength <= INLINE_BYTES) return withUnitsXliff12(bytes, units, file);
  const reply = await onThread({ kind: 'units', bytes, units, file });
  if (!reply.bytes) throw new Error(`${file}: the merge thread gave no file`);
  return reply.bytes;
}
