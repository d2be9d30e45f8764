import type { HistoryEntry } from '../historyEntry';

/** The history actions that give a translation its author. */
export const AUTHOR_ACTIONS = ['save', 'revert', 'suggestion-accepted'] as const;

/** Who wrote a translation, from the newest of its history entries whose action is one of AUTHOR_ACTIONS. */
export function authorOf(entry: HistoryEntry | undefined): string | undefined {
  if (!entry) return undefined;
  return entry.action === 'suggestion-accepted' ? entry.suggestedBy : entry.who;
}
