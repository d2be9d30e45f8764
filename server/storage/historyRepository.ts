import type { HistoryEntry } from '../domain/historyEntry';
import type { CreditEntry } from '../domain/editionCredits';
import type { Unit } from '../domain/types';
import type { JournalMark } from './unitJournal';

export type { HistoryEntry };

/** How many changes of each kind one person made in a locale. */
export interface Contribution {
  who: string;
  actions: Record<string, number>;
  /** Saves made from a machine's suggestion, with the characters changed of how many (post-editing effort). */
  machine?: { saves: number; edits: number; length: number };
}

/** Entries made durable ahead of the locale file write they record: see HistoryRepository.stage. */
export interface StagedHistory {
  /** The batch's name, as leftStaged and settle know it. */
  batch: string;
  /** The entries join the history (after the file write). */
  confirm(): Promise<void>;
  /** The entries are forgotten (the file write did not happen). */
  cancel(): Promise<void>;
}

/** A staged entry left behind by a process stopped between its file write and the confirmation. */
export interface LeftStagedEntry {
  batch: string;
  document: string;
  lang: string;
  entry: HistoryEntry;
  /** Staged by this process and not yet confirmed or cancelled: a write under way, not to be settled by others. */
  live: boolean;
}

/**
 * The history of each locale's translations. Appends only: an entry is never changed or removed.
 * A change of a locale file and its entries have one commit point: the entries are staged
 * (durable, but not yet history) before the file is replaced, and confirmed after it; whatever a
 * crash leaves staged is settled against the file at the next start (see settleStagedHistory).
 */
export interface HistoryRepository {
  append(document: string, lang: string, entries: HistoryEntry[]): Promise<void>;
  /**
   * Appends `entries` and journals `units` (the units of the locale file they changed, see
   * UnitJournal) in one durable transaction: the commit point of a save whose file is written
   * behind it. Returns where it left the journal, which the file's write names when it is done.
   */
  appendJournaled(document: string, lang: string, entries: HistoryEntry[], units: readonly Unit[]): Promise<JournalMark>;
  /** Writes `entries` durably apart from the history, to be confirmed or cancelled. */
  stage(document: string, lang: string, entries: HistoryEntry[]): Promise<StagedHistory>;
  /** Every staged entry, oldest first (those of writes still under way included). */
  leftStaged(): Promise<LeftStagedEntry[]>;
  /** Confirms a staged batch's entries in `keep` (their positions in the batch) and forgets the rest. */
  settle(batch: string, keep: readonly number[]): Promise<void>;
  /** Entries oldest first: the locale's, or one paragraph's. */
  list(document: string, lang: string, segment?: string): Promise<HistoryEntry[]>;
  /** How many entries a locale has, and when the newest was made: what an edition's state needs of the history (see Editions). */
  tally(document: string, lang: string): Promise<{ count: number; lastAt?: string }>;
  /** A paragraph's newest entry whose action is one of `actions` (any action when not given). */
  last(document: string, lang: string, segment: string, actions?: readonly string[]): Promise<HistoryEntry | undefined>;
  /** A locale's newest entries first, optionally one person's. */
  recent(document: string, lang: string, options: { who?: string; limit: number }): Promise<HistoryEntry[]>;
  /**
   * One entry per person, action and suggester, each the first of its kind, oldest first: all that
   * an edition's credits read (see editionCredits), without reading a book's whole history.
   */
  creditEntries(document: string, lang: string): Promise<CreditEntry[]>;
  /** Per person, how many entries of each action they made, and how many of their suggestions were taken (`suggested`). */
  contributions(document: string, lang: string): Promise<Contribution[]>;
  /**
   * Entries of every locale after the entry numbered `after` (0: all), oldest first, at most
   * `limit`, each with its number, document and language: what a batch of git commits credits
   * (see GitCommits). `newest` is the number of the newest entry (0 when there is none).
   */
  since(after: number, limit: number): Promise<{ entries: NumberedEntry[]; newest: number }>;
}

/** A history entry with where it belongs and its number (the order entries were made in). */
export interface NumberedEntry {
  id: number;
  document: string;
  lang: string;
  entry: HistoryEntry;
}
