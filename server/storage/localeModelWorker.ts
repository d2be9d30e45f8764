/* The thread that reads a locale file's model ahead of the server's first page (see readLocaleModelOffThread). */
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import type { LocaleFile } from '../domain/types';
import { streamModel } from '../formats/streamXliff12';
import { fileStamp } from './fileIdentity';
import { readWholeHandle } from './readWholeFile';

export interface ModelRequest {
  path: string;
}

/**
 * The model of the file as it was at `stamp` (see fileStamp), with which of its units are written
 * as read; `model` undefined when the streaming reader leaves the file to the DOM reader (another
 * tool's file, a malformed one) or it cannot be read: the caller reads it as it always does.
 */
export type ModelReply = { stamp: string; model?: LocaleFile; written?: boolean[] } | { stamp?: undefined };

async function read(request: ModelRequest): Promise<ModelReply> {
  const handle = await open(request.path, 'r');
  try {
    // Stat and read through the same handle: the model is of the bytes the stamp names.
    const stats = await handle.stat();
    const read = streamModel(await readWholeHandle(handle));
    return read ? { stamp: fileStamp(stats), model: read.model, written: read.written } : { stamp: fileStamp(stats) };
  } finally {
    await handle.close();
  }
}

parentPort?.once('message', (request: ModelRequest) => {
  read(request).then(
    (reply) => parentPort?.postMessage(reply),
    () => parentPort?.postMessage({} satisfies ModelReply),
  );
});
