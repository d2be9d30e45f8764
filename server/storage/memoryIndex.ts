/** The index of a project's translation memory: source texts searchable by their words, each with the translations known for it. */

/** Where a pair comes from: a paragraph of a locale of the project, or an imported memory. */
export type PairOrigin = { document: string; segment: string; locale: string } | { memory: string };

/** A source text and a translation of it, at paragraph or sentence level. */
export interface IndexedPair {
  source: string;
  target: string;
  level: 'paragraph' | 'sentence';
  /** 2: approved, 1: translated. */
  quality: number;
}

/** A pair found by a search: with its origin, and the id of its source text (the same for every pair of one text). */
export interface FoundPair extends IndexedPair {
  textId: number;
  origin: PairOrigin;
}

/** What the index holds for one paragraph of a locale: its pairs (none: the paragraph is not in the memory). */
export interface ParagraphPairs {
  segment: string;
  /** The paragraph's own pair (the first, at paragraph level) and its sentences'. */
  pairs: IndexedPair[];
}

export interface MemoryIndex {
  /** Replaces the pairs of these paragraphs of a document's locale, in one transaction. */
  putParagraphs(sourceLanguage: string, document: string, lang: string, paragraphs: readonly ParagraphPairs[]): void;
  /** The paragraph-level pairs indexed for a document's locale, by paragraph (what putParagraphs last put). */
  paragraphs(document: string, lang: string): Map<string, IndexedPair>;
  /** Indexes the pairs of an imported memory for a locale, once (false: it was indexed already). */
  putMemory(sourceLanguage: string, lang: string, memory: string, pairs: readonly IndexedPair[]): boolean;
  /** Whether a memory is indexed for a locale. */
  hasMemory(lang: string, memory: string): boolean;
  /**
   * Source texts (in `sourceLanguage`) with a translation into `lang` that are `exact`, or contain
   * any of `words` (lower-cased, diacritics taken off): the exact one first, then those with most
   * of the rarest words, at most `limit`.
   */
  candidates(sourceLanguage: string, lang: string, exact: string, words: readonly string[], limit: number): { textId: number; source: string }[];
  /** The translations into `lang` of these source texts (the best of each first, a few of each). */
  pairsOf(textIds: readonly number[], lang: string): FoundPair[];
  close(): void;
}
