import type { Edition } from '../domain/edition';
import { inlineText as markdownText } from './editionInline';

/** A table-of-contents entry: a chapter, or a section of one. */
export interface TocEntry {
  /** Plain text: a contents entry is a link and cannot hold the heading's own links. */
  label: string;
  /** The chapter's number (its file and anchor: chapter-N). */
  chapter: number;
  /** The source's text of the heading (a bilingual edition's contents show it beside), when it differs. */
  sourceLabel?: string;
  /** The heading's block id; absent for a chapter, which is linked to as a whole. */
  blockId?: string;
  sections: TocEntry[];
}

/** The contents of an edition: its chapters and, under each, the headings one level below the chapter headings. */
export function editionToc(edition: Edition): TocEntry[] {
  // Chapters open at the highest heading level the document uses (1 in most books).
  let top = 7;
  for (const chapter of edition.chapters) {
    for (const block of chapter.blocks) if (block.kind === 'heading') top = Math.min(top, block.level ?? 1);
  }
  const number = new Intl.NumberFormat(edition.language);
  // A plain-text source's headings are text as written; a Markdown one's are inline Markdown.
  const inlineText = edition.plainText ? (text: string) => text : markdownText;
  return edition.chapters.map((chapter) => {
    const title = chapter.title === undefined ? '' : inlineText(chapter.title).trim();
    const opening = chapter.blocks[0];
    const sourceTitle = chapter.title !== undefined && opening?.kind === 'heading' && opening.sourceText !== undefined ? inlineText(opening.sourceText).trim() : undefined;
    // A heading with no words (an image without alt text) still needs a name to be chosen by.
    const label = chapter.title === undefined ? edition.labels.opening : title || number.format(chapter.number);
    const sections = chapter.blocks
      .filter((block) => block.kind === 'heading' && (block.level ?? 1) === top + 1)
      .map((block) => ({ label: inlineText(block.text).trim(), ...sourceOf(block.sourceText, inlineText(block.text).trim(), inlineText), chapter: chapter.number, blockId: block.id, sections: [] }))
      .filter((section) => section.label !== '');
    return { label, ...sourceOf(sourceTitle, label, (text) => text), chapter: chapter.number, sections };
  });
}

/** A heading's source label, when there is one that differs from its translation. */
function sourceOf(sourceText: string | undefined, label: string, inlineText: (text: string) => string): { sourceLabel?: string } {
  if (sourceText === undefined) return {};
  const sourceLabel = inlineText(sourceText).trim();
  return sourceLabel && sourceLabel !== label ? { sourceLabel } : {};
}
