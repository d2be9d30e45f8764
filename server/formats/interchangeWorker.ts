/* The thread that reads a large uploaded XLIFF file (see readInterchangeOffThread). */
import { parentPort } from 'node:worker_threads';
import { isWorkbenchError } from '../errors';
import { readInterchange } from './interchangeReading';

export interface ReadRequest {
  bytes: Uint8Array;
  name: string;
}

export type ReadReply =
  | { ok: true; file: ReturnType<typeof readInterchange> }
  | { ok: false; error: { status?: number; code?: string; message: string; details?: Record<string, unknown>; params?: Record<string, string | number> & { context?: string } } };

parentPort?.once('message', (request: ReadRequest) => {
  let reply: ReadReply;
  try {
    reply = { ok: true, file: readInterchange(request.bytes, request.name) };
  } catch (err) {
    const error = err as Error;
    reply = { ok: false, error: isWorkbenchError(err) ? { status: err.status, code: err.code, message: err.message, details: err.details, params: err.params } : { message: error.message ?? String(err) } };
  }
  parentPort?.postMessage(reply);
});
