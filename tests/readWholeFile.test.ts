/**
 * Reading a file in one read of its stat's size (readWholeHandle): the same bytes as fs.readFile,
 * from an offset, and a file changed in place between the stat and the read read as it is now.
 */
import { mkdtempSync, promises, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readWholeFile, readWholeHandle } from '../server/storage/readWholeFile';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('reads what fs.readFile reads, in one read of the whole size', async () => {
  const file = path.join(dir, 'big.bin');
  // Larger than readFile's half megabyte, not a multiple of anything.
  const bytes = Buffer.from(Array.from({ length: 1_300_001 }, (_, i) => (i * 7919) % 251));
  writeFileSync(file, bytes);
  const handle = await promises.open(file, 'r');
  const reads = jest.spyOn(handle, 'read');
  try {
    expect((await readWholeHandle(handle)).equals(bytes)).toBe(true);
    // One read of the whole, and one more that finds the end.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
    expect((await readWholeHandle(handle, bytes.length, 1_000_000)).equals(bytes.subarray(1_000_000))).toBe(true);
  } finally {
    await handle.close();
  }
  expect((await readWholeFile(file)).equals(readFileSync(file))).toBe(true);
  writeFileSync(file, '');
  expect(await readWholeFile(file)).toEqual(Buffer.alloc(0));
});

test('a file longer or shorter than the size it was told is read as it is now', async () => {
  const file = path.join(dir, 'changed.txt');
  writeFileSync(file, 'x'.repeat(100_000));
  const handle = await promises.open(file, 'r');
  try {
    // Grown since its stat (written in place): all of it, past the size told.
    expect((await readWholeHandle(handle, 10)).toString()).toBe('x'.repeat(100_000));
    // Shorter than told: what there is.
    expect((await readWholeHandle(handle, 200_000)).toString()).toBe('x'.repeat(100_000));
    expect((await readWholeHandle(handle, 200_000, 99_990)).toString()).toBe('x'.repeat(10));
  } finally {
    await handle.close();
  }
});

test('a missing file or a folder is refused as fs.readFile refuses it', async () => {
  await expect(readWholeFile(path.join(dir, 'none'))).rejects.toMatchObject({ code: 'ENOENT' });
  await expect(readWholeFile(dir)).rejects.toMatchObject({ code: 'EISDIR' });
});
