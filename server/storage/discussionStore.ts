import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import { WorkbenchError } from '../errors';
import { serialQueue } from './serialQueue';
import { writeFileAtomic } from './writeFileAtomic';

/** Another wording proposed for a paragraph's translation. */
export interface Suggestion {
  id: string;
  segment: string;
  author: string;
  text: string;
  createdAt: string;
  status: 'open' | 'accepted' | 'declined';
  decidedBy?: string;
  decidedAt?: string;
}

/** A conversation about a paragraph: a question, its answers, and whether it is settled. */
export interface Thread {
  id: string;
  segment: string;
  createdAt: string;
  resolved: boolean;
  resolvedBy?: string;
  messages: { author: string; text: string; at: string }[];
}

interface Discussion {
  suggestions: Suggestion[];
  threads: Thread[];
}

/** Suggestions and comment threads of a locale, beside its XLIFF file. */
export interface DiscussionStore {
  read(document: string, lang: string): Promise<Discussion>;
  /** Serialized read-modify-write; `change` may throw to write nothing. */
  update<T>(document: string, lang: string, change: (discussion: Discussion) => T): Promise<T>;
}

/** A new random id for a suggestion or a thread. */
export const newDiscussionId = (): string => randomBytes(8).toString('hex');

/** The discussion of each locale in `<dir>/<lang>/<document>.discussion.json`, written atomically, one writer at a time. */
export function createFileDiscussionStore(options: { dir: string }): DiscussionStore {
  const queue = serialQueue();
  const fileOf = (document: string, lang: string): string => {
    // Both become path segments: only ids and tags that cannot name another folder.
    if (!isDocumentId(document) || !isLocaleTag(lang)) throw new WorkbenchError(400, 'invalid-discussion-path', 'Invalid document or locale.');
    return path.join(options.dir, lang, `${document}.discussion.json`);
  };
  async function load(file: string): Promise<Discussion> {
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { suggestions: [], threads: [] };
      throw new Error(`Cannot read ${file}`, { cause: err });
    }
    try {
      const data = JSON.parse(text) as Partial<Discussion>;
      return { suggestions: data.suggestions ?? [], threads: data.threads ?? [] };
    } catch (cause) {
      throw new WorkbenchError(500, 'discussion-invalid', `${path.basename(path.dirname(file))}/${path.basename(file)} is not valid JSON; it is left as it is.`, { cause });
    }
  }
  return {
    read: (document, lang) => load(fileOf(document, lang)),
    update(document, lang, change) {
      const file = fileOf(document, lang);
      const task = async () => {
        const discussion = await load(file);
        const result = change(discussion);
        await fsp.mkdir(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, `${JSON.stringify(discussion, null, 1)}\n`);
        return result;
      };
      return queue(file, task);
    },
  };
}
