/* The thread of a sync's merge of a large locale file (see mergeAheadOffThread): the merge worked out as unit changes, or a file with units written into it. */
import { parentPort } from 'node:worker_threads';
import type { LaterSide } from '../domain/mergeLocaleFiles';
import type { Unit } from '../domain/types';
import { mergeAhead, type MergeAhead, withUnitsXliff12 } from './mergeXliff12';

export type MergeAheadRequest =
  | { kind: 'merge'; base: Uint8Array; ours: Uint8Array; theirs: Uint8Array; file: string; later: LaterSide }
  | { kind: 'units'; bytes: Uint8Array; units: readonly Unit[]; file: string };

export type MergeAheadReply =
  | { ok: true; merge?: MergeAhead; bytes?: Uint8Array }
  | { ok: false; message: string; status?: number; code?: string; params?: Record<string, string | number> };

parentPort?.once('message', (request: MergeAheadRequest) => {
  let reply: MergeAheadReply;
  try {
    reply =
      request.kind === 'merge'
        ? { ok: true, merge: mergeAhead(request.base, request.ours, request.theirs, request.file, request.later) }
        : { ok: true, bytes: withUnitsXliff12(request.bytes, request.units, request.file) };
  } catch (err) {
    const { status, code, params } = err as { status?: number; code?: string; params?: Record<string, string | number> };
    reply = { ok: false, message: (err as Error).message ?? String(err), status, code, params };
  }
  parentPort?.postMessage(reply, reply.ok && reply.bytes ? [reply.bytes.buffer as ArrayBuffer] : []);
});
