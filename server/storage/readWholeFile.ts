import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';

/**
 * A file's bytes from `from` (its start, unless said) to its end, read through `handle` with one
 * read of the size its stat gives (`size`, when the caller has that stat already), where
 * `FileHandle.readFile` reads half a megabyte at a time: a book's 17 MB locale file is 34 trips to
 * the thread pool and back, each waiting its turn on a server's busy event loop (about 120 ms
 * against 60 ms for one read, with the loop busy). Whatever the handle's position: a file changed
 * in place since its stat (a hand edit) is read as it is now, shorter or longer.
 */
export async function readWholeHandle(handle: FileHandle, size?: number, from = 0): Promise<Buffer> {
  const expected = Math.max(0, (size ?? (await handle.stat()).size) - from);
  const buffer = Buffer.allocUnsafe(expected);
  let filled = 0;
  while (filled < expected) {
    const { bytesRead } = await handle.read(buffer, filled, expected - filled, from + filled);
    if (bytesRead === 0) return buffer.subarray(0, filled);
    filled += bytesRead;
  }
  // Longer than its stat said: the rest, as readFile would read it.
  const rest: Buffer[] = [];
  let position = from + filled;
  for (;;) {
    const more = Buffer.allocUnsafe(64 * 1024);
    const { bytesRead } = await handle.read(more, 0, more.length, position);
    if (bytesRead === 0) break;
    rest.push(more.subarray(0, bytesRead));
    position += bytesRead;
  }
  return rest.length === 0 ? buffer : Buffer.concat([buffer, ...rest]);
}

/** The bytes of the file at `path` (see readWholeHandle); rejects as fs.readFile does (ENOENT, EISDIR…). */
export async function readWholeFile(path: string): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    return await readWholeHandle(handle);
  } finally {
    await handle.close();
  }
}
