import type { HistoryEntry } from '../historyEntry';

/**
 * The history actions that give a translation its author: every way a text gets into a paragraph
 * (a save, a revert, a suggestion taken, a file imported), so that nobody approves their own text
 * by bringing it in another way.
 */
export const AUTHOR_ACTIONS = ['save', 'revert', 'suggestion-accepted', 'import', 'propagate', 'replace'] as const;

/** Who wrote a translation, from the newest of its history entries whose action is one of AUTHOR_ACTIONS. */
export function authorOf(entry: HistoryEntry | undefined): string | undefined {
  if (!entry) return undefined;
  return entry.action === 'suggestion-accepted' ? entry.suggestedBy : entry.who;
}
