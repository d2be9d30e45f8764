import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeFolder } from './removeFolder';

export interface TempDir {
  /** Absolute path of a fresh, empty directory. */
  dir: string;
  /** Removes the directory and everything in it. */
  cleanup: () => void;
}

/** Creates a fresh directory under os.tmpdir(), e.g. `makeTempDir('locale-store')` → /tmp/locale-store-XXXXXX. */
export function makeTempDir(prefix: string): TempDir {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_-]/g, '-') || 'test';
  const dir = mkdtempSync(join(tmpdir(), `${safePrefix}-`));
  return { dir, cleanup: () => removeFolder(dir) };
}
