/** What the credits of an edition are read from: a locale's history entries. */
export interface CreditEntry {
  who: string;
  action: string;
  suggestedBy?: string;
}

// Actions that put words into the translation, and actions that judge them. Source updates
// (drift, split, merge, remove) are the workbench's own doing and credit nobody.
const WRITING = new Set(['save', 'revert', 'still-correct', 'import']);
const REVIEWING = new Set(['approve', 'reject']);

/** Translators and reviewers of a locale, each in order of first contribution; "anonymous" is nobody. */
export function editionCredits(entries: readonly CreditEntry[], anonymous = 'anonymous'): { translators: string[]; reviewers: string[] } {
  const translators = new Set<string>();
  const reviewers = new Set<string>();
  const add = (set: Set<string>, who: string | undefined) => {
    if (who !== undefined && who !== '' && who !== anonymous) set.add(who);
  };
  for (const entry of entries) {
    if (WRITING.has(entry.action)) add(translators, entry.who);
    else if (REVIEWING.has(entry.action)) add(reviewers, entry.who);
    else if (entry.action === 'suggestion-accepted') {
      // The words are the suggester's; whoever took them in judged them.
      add(translators, entry.suggestedBy);
      add(reviewers, entry.who);
    }
  }
  return { translators: [...translators], reviewers: [...reviewers] };
}
