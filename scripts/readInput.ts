import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../server/errors';

/** What a system error code says of a file that cannot be read, as the context of the message `errorDetails.file-unreadable`. */
const REASONS: Record<string, { context: string; english: string }> = {
  ENOENT: { context: 'missing', english: 'there is no such file' },
  EACCES: { context: 'denied', english: 'permission denied' },
  EPERM: { context: 'denied', english: 'permission denied' },
  EISDIR: { context: 'folder', english: 'it is a folder' },
};

/** Reads a file named on the command line; a file that cannot be read is a clear 400, not a stack trace. */
export async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const reason = REASONS[code];
    throw new WorkbenchError(400, 'file-unreadable', `Cannot read ${file}: ${reason ? `${reason.english} (${code})` : code}.`, {
      params: { file, reason: code, ...(reason ? { context: reason.context } : {}) },
    });
  }
}
