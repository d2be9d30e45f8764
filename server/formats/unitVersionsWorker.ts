/* The thread that makes the versions of a large locale file for a batch of commits (see unitVersionsOffThread). */
import { parentPort } from 'node:worker_threads';
import { unitVersions } from './mergeXliff12';

export interface VersionsRequest {
  older: Uint8Array;
  newer: Uint8Array;
  file: string;
  steps: string[][];
}

export type VersionsReply = { ok: true; versions: (Uint8Array | null)[] } | { ok: false; message: string };

parentPort?.once('message', (request: VersionsRequest) => {
  let reply: VersionsReply;
  try {
    reply = { ok: true, versions: unitVersions(request.older, request.newer, request.file, request.steps) };
  } catch (err) {
    reply = { ok: false, message: (err as Error).message ?? String(err) };
  }
  const transfer = reply.ok ? reply.versions.filter((v): v is Uint8Array => v !== null).map((v) => v.buffer as ArrayBuffer) : [];
  parentPort?.postMessage(reply, [...new Set(transfer)]);
});
