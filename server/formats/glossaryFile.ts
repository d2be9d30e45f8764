import type { GlossaryTerm, TermInput } from '../domain/glossaryTerm';

/** A term as a glossary file (TBX, CSV) gives it, with the line it is on. */
export interface GlossaryFileTerm extends TermInput {
  line?: number;
}

/** What a glossary file holds for a pair of languages. */
export interface GlossaryFile {
  terms: GlossaryFileTerm[];
  /** Entries without a term in one of the two languages. */
  skipped: number;
}

/** What the writers of a glossary file are given. */
export interface GlossaryWriteInput {
  title: string;
  tool: string;
  sourceLanguage: string;
  targetLanguage: string;
  terms: readonly GlossaryTerm[];
}
