/** The messages between the main thread and the file writer thread (see writerThread.ts, writerWorker.ts). */
import type { FileIdentity } from './fileIdentity';

/** What the file's stat says of a written file (a rename keeps them). */
export type FileStamp = FileIdentity;

/** A file's content: texts (as UTF-8) one after the other, or bytes as they are. */
export type ThreadData = { texts: readonly string[] } | { bytes: Uint8Array };

/** A file to create (it must not exist), and the folder to make first, if any. */
export interface NewFile {
  path: string;
  dir?: string;
}

/**
 * One operation of a sequence:
 * - `write`: creates each file with the same content and fsyncs it (a file of a failed sequence
 *   is removed, unless a later `rename` of the sequence moved it); with `hash`, first gives the
 *   SHA-256 (hex) of the content to `onSignal`;
 * - `rename`: renames a file (over any file at `to`);
 * - `syncDir`: fsyncs a folder, so that the renames into it are durable (a system that does not
 *   fsync folders is tolerated);
 * - `signal`: calls the sequence's `onSignal` (on the main thread, as soon as it is free).
 */
export type Step =
  | { op: 'write'; files: readonly NewFile[]; data: ThreadData; hash?: boolean }
  | { op: 'rename'; from: string; to: string }
  | { op: 'syncDir'; dir: string }
  | { op: 'signal' };

/** The worker's answer to a sequence: a signal on the way, the stamps of the files written, or the error that stopped it. */
export interface Reply {
  id: number;
  signal?: boolean;
  value?: string;
  stamps?: FileStamp[];
  error?: { message: string; code?: string; syscall?: string; path?: string };
}
