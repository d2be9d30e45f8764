import { rmSync } from 'node:fs';

/**
 * Removes a folder and what is in it. A snapshot a project's stores keep in the background
 * (.cache/) may land while the folder is removed (a file opened or a folder made by a write
 * already under way): the folder is then not empty, and Node's own retries only try the last
 * rmdir again, never what landed in it. So the whole removal is done again, a little later each
 * time.
 */
export function removeFolder(dir: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt === 10) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * attempt);
    }
  }
}
