import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import { WorkbenchError } from '../errors';
import { serialQueue } from './serialQueue';
import { writeFileAtomic } from './writeFileAtomic';

/** A small JSON file per document and locale, beside the locale's XLIFF file. */
export interface LocaleJsonFiles<T> {
  read(document: string, lang: string): Promise<T>;
  /** Serialized read-modify-write, written atomically; `change` may throw to write nothing. */
  update<R>(document: string, lang: string, change: (value: T) => R): Promise<R>;
}

/**
 * JSON files `<dir>/<lang>/<document><suffix>`: a missing file reads as `empty()`, a broken one is
 * reported (error `invalidCode`) and left as it is, never overwritten.
 */
export function localeJsonFiles<T>(options: { dir: string; suffix: string; empty: () => T; fromJson: (data: Partial<T>) => T; invalidCode: string }): LocaleJsonFiles<T> {
  const queue = serialQueue();
  const fileOf = (document: string, lang: string): string => {
    // Both become path segments: only ids and tags that cannot name another folder.
    if (!isDocumentId(document) || !isLocaleTag(lang)) throw new WorkbenchError(400, 'invalid-locale-path', 'Invalid document or locale.');
    return path.join(options.dir, lang, `${document}${options.suffix}`);
  };
  async function load(file: string): Promise<T> {
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return options.empty();
      throw new Error(`Cannot read ${file}`, { cause: err });
    }
    try {
      return options.fromJson(JSON.parse(text) as Partial<T>);
    } catch (cause) {
      throw new WorkbenchError(500, options.invalidCode, `${path.basename(path.dirname(file))}/${path.basename(file)} is not valid JSON; it is left as it is.`, { cause });
    }
  }
  return {
    read: (document, lang) => load(fileOf(document, lang)),
    update(document, lang, change) {
      const file = fileOf(document, lang);
      return queue(file, async () => {
        const value = await load(file);
        const result = change(value);
        await fsp.mkdir(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`);
        return result;
      });
    },
  };
}
