/** A check dismissed for a paragraph's translation: it stays dismissed while the translation is the text it was dismissed for. */
export interface CheckDismissal {
  segment: string;
  check: string;
  /** The translation it was dismissed for (a changed translation is checked again). */
  target: string;
  who: string;
  at: string;
}

/** The checks people dismissed, by document and locale. */
export interface CheckDismissalRepository {
  /** Records a dismissal (replacing an earlier one of the same check of the paragraph). */
  put(document: string, lang: string, dismissal: CheckDismissal): Promise<void>;
  /** The dismissals of a locale, by paragraph. */
  list(document: string, lang: string): Promise<Map<string, CheckDismissal[]>>;
}
