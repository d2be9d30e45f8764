import type { HistoryEntry } from '../domain/historyEntry';

export type { HistoryEntry };

/** How many changes of each kind one person made in a locale. */
export interface Contribution {
  who: string;
  actions: Record<string, number>;
}

/** The history of each locale's translations. Appends only: an entry is never changed or removed. */
export interface HistoryRepository {
  append(document: string, lang: string, entries: HistoryEntry[]): Promise<void>;
  /** Entries oldest first: the locale's, or one paragraph's. */
  list(document: string, lang: string, segment?: string): Promise<HistoryEntry[]>;
  /** A paragraph's newest entry whose action is one of `actions` (any action when not given). */
  last(document: string, lang: string, segment: string, actions?: readonly string[]): Promise<HistoryEntry | undefined>;
  /** A locale's newest entries first, optionally one person's. */
  recent(document: string, lang: string, options: { who?: string; limit: number }): Promise<HistoryEntry[]>;
  /** Per person, how many entries of each action they made, and how many of their suggestions were taken (`suggested`). */
  contributions(document: string, lang: string): Promise<Contribution[]>;
}
