import { createHash } from 'node:crypto';

/** A text a merge did not keep: a suggestion on its paragraph, credited to its author (one line of `<doc>.conflicts.jsonl`). */
export interface MergeSuggestion {
  id: string;
  document: string;
  lang: string;
  unit: string;
  text: string;
  author: string;
  at: string;
  /** Whose text the file kept. */
  keptAuthor?: string;
}

/** The suggestion id of a merge's other text: the same in every clone (its lines travel through git). */
export function mergeSuggestionId(s: Pick<MergeSuggestion, 'document' | 'lang' | 'unit' | 'text' | 'author'>): string {
  return `m${createHash('sha256').update(JSON.stringify([s.document, s.lang, s.unit, s.text, s.author])).digest('hex').slice(0, 15)}`;
}

/** Whether a suggestion's id is a merge suggestion's (see mergeSuggestionId; others are 16 hex digits). */
export const isMergeSuggestionId = (id: string): boolean => /^m[0-9a-f]{15}$/.test(id);
