import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The edition templates as this process writes editions with them (`views/edition/`, each file's
 * name, size and times, hashed), for the key an edition is kept under: a template changed by hand,
 * or by an update of the workbench that was not built again, makes new editions. Looked at once per
 * process, as the templates are read and compiled once (see renderEditionTemplate): a server takes
 * changed templates at its next start.
 */
export function editionTemplatesStamp(appRoot: string): Promise<string> {
  let known = stamps.get(appRoot);
  if (!known) {
    known = stampOf(path.join(appRoot, 'views', 'edition'));
    stamps.set(appRoot, known);
  }
  return known;
}

const stamps = new Map<string, Promise<string>>();

async function stampOf(dir: string): Promise<string> {
  const hash = createHash('sha256');
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return 'none'; // no templates: the writers say so when they need one
  }
  for (const name of names) {
    const stats = await stat(path.join(dir, name)).catch(() => undefined);
    hash.update(`${name}\0${stats ? `${stats.size} ${stats.mtimeMs} ${stats.ctimeMs}` : '-'}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}
