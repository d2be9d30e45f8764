import { randomBytes } from 'node:crypto';
import { localeJsonFiles } from './localeJsonFiles';

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
  return localeJsonFiles<Discussion>({
    dir: options.dir,
    suffix: '.discussion.json',
    empty: () => ({ suggestions: [], threads: [] }),
    fromJson: (data) => ({ suggestions: data.suggestions ?? [], threads: data.threads ?? [] }),
    invalidCode: 'discussion-invalid',
  });
}
