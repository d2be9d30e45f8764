import type { ExportFormat } from '../domain/edition';

/** One export of a locale: what, of which source version, by whom, when. */
export interface ExportRecord {
  at: string;
  who: string;
  format: ExportFormat;
  sourceVersion: number;
  draft: boolean;
  /** Completeness when it was made. */
  percent: number;
}

/** A locale's edition settings and its last exports. */
export interface EditionRecord {
  /** The title in the locale's language. */
  title?: string;
  /** Newest first, at most EXPORTS_KEPT. */
  exports: ExportRecord[];
}

/** How many exports a record shows (newest). */
export const EXPORTS_KEPT = 50;

/** The edition record of each locale. */
export interface EditionRepository {
  read(document: string, lang: string): Promise<EditionRecord>;
  /** Sets the title in the locale's language; undefined goes back to the source's. */
  setTitle(document: string, lang: string, title: string | undefined): Promise<EditionRecord>;
  addExport(document: string, lang: string, record: ExportRecord): Promise<void>;
}
