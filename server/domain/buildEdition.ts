import type { CompletenessReport } from './completenessOf';
import type { Edition, EditionBlock, EditionChapter, EditionLabels } from './edition';
import type { SourceDocument, Unit } from './types';

/** What an edition is made of, gathered by the caller (no I/O in here). */
export interface EditionInput {
  document: SourceDocument;
  units: ReadonlyMap<string, Unit>;
  language: { code: string; nativeName: string; dir: 'ltr' | 'rtl' };
  /** The source language's direction. */
  sourceDir: 'ltr' | 'rtl';
  /** The source language's name in the edition's language. */
  sourceLanguageName: string;
  /** When the document's current version was recorded (ISO 8601). */
  versionDate: string;
  /** The title in the edition's language, when one has been set. */
  title?: string;
  credits: { translators: string[]; reviewers: string[] };
  labels: EditionLabels;
  draft: boolean;
  /** The locale's completeness (see completenessOf): its counts, and the mark of each paragraph not done. */
  completeness: CompletenessReport;
  exportedAt: Date;
  identifier: string;
}

/**
 * Builds an edition of a locale: the translation of every block in document order, cut into
 * chapters at the top-level headings, with its provenance. For a locale that is not complete (only
 * to be published as a draft) it carries the source text for untranslated paragraphs and marks
 * every paragraph that is not done.
 */
export function buildEdition(input: EditionInput): Edition {
  const { document, units } = input;
  const { completeness, marks } = input.completeness;
  const blocks: EditionBlock[] = document.segments.map((segment) => {
    const mark = marks.get(segment.id);
    const target = units.get(segment.id)?.target;
    const text = !segment.translatable || target === undefined || target === '' ? segment.text : target;
    // A translatable block keeps its source text: in-document links ("#the-heading") were written
    // against a heading's, and a bilingual edition prints it.
    return { ...segment, text, ...(mark !== undefined ? { mark } : {}), ...(segment.translatable ? { sourceText: segment.text } : {}) };
  });
  const edition: Edition = {
    document: document.id,
    title: input.title !== undefined && input.title.trim() !== '' ? input.title.trim() : document.meta.title,
    sourceTitle: document.meta.title,
    authors: document.meta.authors ?? [],
    sourceLanguage: document.meta.language,
    language: input.language.code,
    languageName: input.language.nativeName,
    sourceLanguageName: input.sourceLanguageName,
    dir: input.language.dir,
    sourceDir: input.sourceDir,
    sourceVersion: document.version,
    sourceVersionDate: input.versionDate,
    sourceDate: document.meta.date,
    ...(document.meta.extra ? { sourceMeta: document.meta.extra } : {}),
    ...(document.meta.plainText ? { plainText: true } : {}),
    originalTranslator: document.meta.translator,
    sourceUrl: document.meta.source,
    license: document.meta.license,
    translators: input.credits.translators,
    reviewers: input.credits.reviewers,
    completeness,
    draft: input.draft,
    exportedAt: input.exportedAt.toISOString(),
    identifier: input.identifier,
    labels: input.labels,
    chapters: chaptersOf(blocks),
  };
  return edition;
}

/** Cuts blocks into chapters at the highest heading level the document uses (1 in most books). */
export function chaptersOf(blocks: EditionBlock[]): EditionChapter[] {
  const levels = blocks.filter((b) => b.kind === 'heading').map((b) => b.level ?? 1);
  const top = levels.reduce((least, level) => Math.min(least, level), Number.POSITIVE_INFINITY);
  const chapters: EditionChapter[] = [];
  let current: EditionChapter | undefined;
  for (const block of blocks) {
    if (block.kind === 'heading' && (block.level ?? 1) === top) {
      current = { number: chapters.length + 1, title: block.text, blocks: [] };
      chapters.push(current);
    } else if (!current) {
      current = { number: chapters.length + 1, blocks: [] };
      chapters.push(current);
    }
    current.blocks.push(block);
  }
  return chapters;
}
