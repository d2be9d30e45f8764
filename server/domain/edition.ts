import type { Segment } from './types';

/** Formats a finished edition is published in. */
/** `epub-bilingual` and `html-bilingual`: each paragraph of the source beside its translation. */
export const EDITION_FORMATS = ['epub', 'html', 'md', 'txt', 'epub-bilingual', 'html-bilingual'] as const;
export type EditionFormat = (typeof EDITION_FORMATS)[number];

/**
 * Formats a locale is traded in with other CAT tools. `original`: a document made from another
 * tool's XLIFF file, given back as that file with its translations (see xliffDocument).
 */
export const INTERCHANGE_FORMATS = ['xliff', 'xliff2', 'tmx', 'original'] as const;
export type InterchangeFormat = (typeof INTERCHANGE_FORMATS)[number];

export type ExportFormat = EditionFormat | InterchangeFormat;
export const EXPORT_FORMATS: readonly ExportFormat[] = [...EDITION_FORMATS, ...INTERCHANGE_FORMATS];

/** Why a block of a draft edition is not a finished translation (a complete edition has none). */
export type DraftMark = 'untranslated' | 'drifted' | 'unapproved';

/**
 * One block of an edition, in document order: the source's segment with `text` in the edition's
 * language. For translatable blocks that is the translation's inline Markdown (or the source text,
 * when a draft marks the block 'untranslated'); other blocks keep their raw Markdown (code, table,
 * HTML, rule).
 */
export interface EditionBlock extends Segment {
  /** Set only in drafts: the block is the source text, or a translation that is not current or not approved. */
  mark?: DraftMark;
  /**
   * Translatable blocks: the source's text (in-document links were written against a heading's;
   * a bilingual edition prints every block's beside its translation).
   */
  sourceText?: string;
}

/** A chapter: a top-level section (from one level-1 heading to the next), or the text before the first heading. */
export interface EditionChapter {
  /** 1-based position, for file names and anchors ("chapter-1"). */
  number: number;
  /** The level-1 heading that opens the chapter (inline Markdown), absent for the opening text. */
  title?: string;
  /** The chapter's blocks, its opening heading included. */
  blocks: EditionBlock[];
}

/** Completeness of a locale against its document. */
export interface Completeness {
  /** Translatable paragraphs. */
  total: number;
  /** Translated, approved (when review is required) and current. */
  done: number;
  /** Whole percent of `done` / `total`, rounded down (100 only when complete). */
  percent: number;
  untranslated: number;
  drifted: number;
  /** Translated (or sent back) but not approved. */
  unapproved: number;
}

/** Labels an edition prints, already in the edition's language (or English when it has no catalog). */
export interface EditionLabels {
  contents: string;
  provenance: string;
  opening: string;
  draft: string;
  /** e.g. "Draft: 62% complete". */
  draftNotice: string;
  markUntranslated: string;
  markDrifted: string;
  markUnapproved: string;
  sourceTitle: string;
  authors: string;
  sourceLanguage: string;
  sourceVersion: string;
  originalTranslation: string;
  translators: string;
  reviewers: string;
  completeness: string;
  license: string;
  exportedAt: string;
  /** e.g. "Made with the translation workbench from version 3 of the source." */
  madeWith: string;
}

/** Everything an edition renderer needs: metadata, provenance and the text. No I/O, no HTTP. */
export interface Edition {
  document: string;
  /** Title in the edition's language (the source title when no translated title is set). */
  title: string;
  sourceTitle: string;
  authors: string[];
  /** BCP 47 tags. */
  sourceLanguage: string;
  language: string;
  /** The language's own name ("español"), and the source language's name in the edition's language. */
  languageName: string;
  sourceLanguageName: string;
  dir: 'ltr' | 'rtl';
  /** The source language's direction (a bilingual edition lays out both). */
  sourceDir: 'ltr' | 'rtl';
  /** The source version the edition was made from, and when that version was recorded (ISO 8601). */
  sourceVersion: number;
  sourceVersionDate: string;
  /** Publication date of the source text (front matter), as written there. */
  sourceDate?: string;
  /** From a plain-text source: the blocks' texts are printed as written, never read as Markdown. */
  plainText?: boolean;
  /** The source's front-matter keys the workbench does not read, carried into the Markdown edition's front matter. */
  sourceMeta?: Record<string, unknown>;
  /** The source's own translation credit (front matter `translator`), e.g. the English translation of a Spanish original. */
  originalTranslator?: string;
  sourceUrl?: string;
  license?: string;
  /** People who saved translations / approved them, from the locale's history, in order of first contribution. */
  translators: string[];
  reviewers: string[];
  completeness: Completeness;
  draft: boolean;
  /** ISO 8601 date-time of the export. */
  exportedAt: string;
  /** Unique identifier of this export (urn:uuid:...), for EPUB's dc:identifier. */
  identifier: string;
  labels: EditionLabels;
  chapters: EditionChapter[];
}
