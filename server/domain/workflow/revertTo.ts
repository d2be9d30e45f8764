import { WorkbenchError } from '../../errors';
import type { HistoryEntry } from '../historyEntry';
import { currentTranslation, transitionResult, type TransitionInput, type TransitionResult } from './transition';

/** The translation a history entry recorded, to go back to; 404 when the entry has none. */
export function revertTarget(entry: HistoryEntry | undefined): string {
  const target = entry?.after?.target;
  if (target === undefined) throw new WorkbenchError(404, 'history-entry-not-found', 'There is no such version of this translation to go back to.');
  return target;
}

/** Puts back the translation a history entry recorded, as a current translation to review again. */
export function revertTo(input: TransitionInput, entry: HistoryEntry | undefined): TransitionResult {
  return transitionResult(input, 'revert', currentTranslation(input, revertTarget(entry)));
}
