import type { ExportFormat } from '../domain/edition';
import { localeJsonFiles, type LocaleJsonFiles } from './localeJsonFiles';

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
  exports: ExportRecord[];
}

/** How many exports the record keeps (newest). */
export const EXPORTS_KEPT = 50;

export type EditionStore = LocaleJsonFiles<EditionRecord>;

/** Edition records in `<dir>/<lang>/<document>.edition.json`. */
export function createFileEditionStore(options: { dir: string }): EditionStore {
  return localeJsonFiles<EditionRecord>({
    dir: options.dir,
    suffix: '.edition.json',
    empty: () => ({ exports: [] }),
    fromJson: (data) => ({ ...(typeof data.title === 'string' ? { title: data.title } : {}), exports: Array.isArray(data.exports) ? data.exports : [] }),
    invalidCode: 'edition-record-invalid',
  });
}
