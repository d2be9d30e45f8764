/* The thread that works out a merge of a large locale file as unit changes, for a sync (see mergeAheadOffThread). */
import { parentPort } from 'node:worker_threads';
import type { LaterSide } from '../domain/mergeLocaleFiles';
import { mergeAhead, type MergeAhead } from './mergeXliff12';

export interface MergeAheadRequest {
  base: Uint8Array;
  ours: Uint8Array;
  theirs: Uint8Array;
  file: string;
  later: LaterSide;
}

export type MergeAheadReply = { ok: true; merge: MergeAhead } | { ok: false; message: string; status?: number; code?: string; params?: Record<string, string | number> };

parentPort?.once('message', (request: MergeAheadRequest) => {
  let reply: MergeAheadReply;
  try {
    reply = { ok: true, merge: mergeAhead(request.base, request.ours, request.theirs, request.file, request.later) };
  } catch (err) {
    const { status, code, params } = err as { status?: number; code?: string; params?: Record<string, string | number> };
    reply = { ok: false, message: (err as Error).message ?? String(err), status, code, params };
  }
  parentPort?.postMessage(reply);
});
