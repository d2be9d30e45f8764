import type { GlossaryTerm } from '../domain/glossaryTerm';

/** A file sent to import into a glossary, kept between its preview and its confirmation. */
export interface StagedGlossaryImport {
  id: string;
  lang: string;
  name: string;
  sourceLanguage: string;
  who: string;
  at: string;
  content: Uint8Array;
}

/** The glossaries of a project, one per target language. */
export interface GlossaryRepository {
  /** A glossary's terms, by source term. */
  list(lang: string): Promise<GlossaryTerm[]>;
  get(lang: string, id: string): Promise<GlossaryTerm | undefined>;
  /** The glossary's revision: it changes whenever a term does (0 for none). */
  revision(lang: string): Promise<number>;
  /**
   * Writes terms in one transaction: each new one added, each existing one (by id) replaced when
   * its stored revision is `term.revision - 1`. Returns the ids of the terms refused: a stale
   * revision, or a source another term of the glossary has; when any is refused, none is written.
   */
  write(lang: string, terms: GlossaryTerm[]): Promise<{ stale: string[]; taken: string[] }>;
  /** Removes a term at the given revision; false when it was changed meanwhile or is gone. */
  remove(lang: string, id: string, revision: number): Promise<boolean>;
  stage(file: StagedGlossaryImport): Promise<void>;
  staged(lang: string, id: string): Promise<StagedGlossaryImport | undefined>;
  unstage(id: string): Promise<void>;
}
