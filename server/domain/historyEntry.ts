/** One change to a paragraph's translation or state: who, when, why, and the text before and after. */
export interface HistoryEntry {
  at: string;
  who: string;
  segment: string;
  /** Why: save, still-correct, approve, reject, revert, suggestion-accepted, import, drift, split, remove... */
  action: string;
  before?: { target?: string; state?: string };
  after?: { target?: string; state?: string };
  /** Source version involved, when the source changed. */
  version?: number;
  /** Whose suggestion this change took (credited too). */
  suggestedBy?: string;
}
