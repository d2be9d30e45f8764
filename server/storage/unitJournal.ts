import type { Unit } from '../domain/types';

/**
 * The units of locale files changed by saves and not yet written into their files: the commit
 * point of a save (see HistoryRepository.appendJournaled), durable before it is acknowledged,
 * while the file itself is written a moment later with the saves that came meanwhile (see
 * LocaleStore's deferred writes). Whatever a stopped process left here is written into the file
 * by the next process that reads it, before it is read: an acknowledged save is never lost.
 */
export interface UnitJournal {
  /** The units journaled for a locale file, oldest first, and the number of the newest row; undefined when none. */
  pending(document: string, lang: string): { units: Unit[]; upTo: number } | undefined;
  /** How many rows a locale file has: a process that holds fewer than that has not read another's saves. */
  count(document: string, lang: string): number;
  /**
   * A number that changes whenever another process may have changed the journal: while it stays
   * the same, the rows of a file are the ones this process wrote and has not forgotten.
   */
  othersWrote(): number;
  /** Forgets the rows of a locale file up to `upTo`, durably: the file holds their units. Returns how many were forgotten. */
  written(document: string, lang: string, upTo: number): number;
  /** The locale files with units journaled. */
  locales(): { document: string; lang: string }[];
}

/** Where a commit left the journal of a file: its newest row, and how many rows it added. */
export interface JournalMark {
  upTo: number;
  rows: number;
}
