import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import { WorkbenchError } from '../errors';
import { serialQueue } from './serialQueue';

/** One change to a paragraph's translation or state. */
export interface HistoryEntry {
  at: string;
  who: string;
  segment: string;
  /** Why: save, still-correct, drift, split, merge, remove, import... */
  action: string;
  before?: { target?: string; state?: string };
  after?: { target?: string; state?: string };
  /** Source version involved, when the source changed. */
  version?: number;
  /** Whose suggestion this change took (credited too). */
  suggestedBy?: string;
}

/** The history of a locale's translations, kept beside its XLIFF file. */
export interface HistoryStore {
  append(document: string, lang: string, entries: HistoryEntry[]): Promise<void>;
  list(document: string, lang: string, segment?: string): Promise<HistoryEntry[]>;
}

/** History as JSON lines in `<dir>/<lang>/<document>.history.jsonl`: appended and fsynced, one writer at a time per file. */
export function createFileHistoryStore(options: { dir: string }): HistoryStore {
  const queue = serialQueue();
  const fileOf = (document: string, lang: string): string => {
    // Both become path segments: only ids and tags that cannot name another folder.
    if (!isDocumentId(document) || !isLocaleTag(lang)) throw new WorkbenchError(400, 'invalid-history-path', 'Invalid document or locale for history.');
    return path.join(options.dir, lang, `${document}.history.jsonl`);
  };
  return {
    append(document, lang, entries) {
      const file = fileOf(document, lang);
      if (entries.length === 0) return Promise.resolve();
      const task = async () => {
        await fsp.mkdir(path.dirname(file), { recursive: true });
        const handle = await fsp.open(file, 'a');
        try {
          await handle.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
          await handle.sync();
        } finally {
          await handle.close();
        }
      };
      return queue(file, task);
    },
    async list(document, lang, segment) {
      let content: string;
      try {
        content = await fsp.readFile(fileOf(document, lang), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const entries: HistoryEntry[] = [];
      for (const line of content.split('\n')) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as HistoryEntry;
          if (segment === undefined || entry.segment === segment) entries.push(entry);
        } catch {
          // A torn last line (a crash mid-append) is skipped, never fatal.
        }
      }
      return entries;
    },
  };
}
