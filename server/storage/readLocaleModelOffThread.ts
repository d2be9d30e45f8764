import type { LocaleFile } from '../domain/types';
import { builtWorkerScript } from '../builtWorkerScript';
import { replyOfThread } from '../replyOfThread';
import type { ModelReply, ModelRequest } from './localeModelWorker';

/** A locale file's model read on another thread, and the stamp of the file it was read from (see fileStamp). */
export interface ModelReadAhead {
  stamp: string;
  model: LocaleFile;
  written: boolean[];
}

/**
 * The model of the locale file at `path`, read by the streaming reader on a thread of its own,
 * or undefined when that reader leaves the file to the DOM reader, or the file cannot be read, or
 * the thread fails: the caller then reads the file itself, as it always does (and says why it
 * cannot). For a server's start: a book's file takes half a second to read, the thread does it
 * while the server's own thread segments the documents, and the model's copy back costs the
 * server's thread half of what the read would have.
 */
export async function readLocaleModelOffThread(path: string): Promise<ModelReadAhead | undefined> {
  const request: ModelRequest = { path };
  try {
    const reply = await replyOfThread<ModelReply>(builtWorkerScript(__dirname, 'localeModelWorker', 'locale reading thread'), request, {
      maxOldGenerationSizeMb: 2048,
      failed: (err) => err,
      stopped: (code) => new Error(`The locale reading thread stopped (${code}).`),
    });
    return reply.stamp !== undefined && reply.model && reply.written ? { stamp: reply.stamp, model: reply.model, written: reply.written } : undefined;
  } catch {
    return undefined;
  }
}
