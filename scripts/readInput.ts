import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../server/errors';

/** Reads a file named on the command line; a file that cannot be read is a clear 400, not a stack trace. */
export async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new WorkbenchError(400, 'file-unreadable', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}
