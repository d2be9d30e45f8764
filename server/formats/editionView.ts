import type { DraftMark, Edition } from '../domain/edition';
import { editionBlockLayout } from './editionBlockLayout';
import { footnoteId, headingSlug, referencesOf, renderInline, renderMarkdownBlock, renderPlain, type InlineTarget } from './editionInline';
import { editionProvenance } from './editionProvenance';
import { editionToc } from './editionToc';
import { listMarkers } from './editionListMarkers';

/** The file of an EPUB's chapter, by its number. */
export const chapterFile = (number: number): string => `chapter-${number}.xhtml`;

/** What the HTML and EPUB templates are given: the edition, laid out, with renderers for its Markdown. */
export function editionView(edition: Edition, target: InlineTarget, options: { bilingual?: boolean } = {}) {
  const { labels } = edition;
  const markLabels: Record<DraftMark, string> = { untranslated: labels.markUntranslated, drifted: labels.markDrifted, unapproved: labels.markUnapproved };
  // Where an anchor of a chapter is: in the page, or in the EPUB the chapter's file.
  const placeIn = (chapter: number, id: string): string => (target === 'epub' ? `${chapterFile(chapter)}#${id}` : `#${id}`);
  // Reference-style links anywhere in the book resolve to the document's definitions.
  const references = referencesOf(edition.chapters.flatMap((chapter) => chapter.blocks.filter((block) => block.kind === 'definition').map((block) => block.text)));
  // Each footnote's place: an anchor in the page, or in the EPUB the chapter file it is printed in.
  const noteChapters = new Map<string, number>();
  for (const chapter of edition.chapters) {
    for (const block of chapter.blocks) if (block.kind === 'footnote' && !block.continued && block.label !== undefined && !noteChapters.has(block.label)) noteChapters.set(block.label, chapter.number);
  }
  const notes = {
    labels: [...noteChapters.keys()],
    href: (label: string): string | undefined => {
      const chapter = noteChapters.get(label);
      return chapter === undefined ? undefined : placeIn(chapter, footnoteId(label));
    },
  };
  // Each heading by the names in-document links give it: its source text's, then its translation's
  // (the first heading of a name wins, as on GitHub). Made at the first such link: a book without
  // one does not name its thousands of headings.
  let headings: Map<string, string> | undefined;
  const headingsByName = (): Map<string, string> => {
    if (headings) return headings;
    headings = new Map<string, string>();
    for (const chapter of edition.chapters) {
      for (const block of chapter.blocks) {
        if (block.kind !== 'heading') continue;
        const href = placeIn(chapter.number, `b-${block.id}`);
        for (const slug of [headingSlug(block.sourceText ?? block.text), headingSlug(block.text)]) if (!headings.has(slug)) headings.set(slug, href);
      }
    }
    return headings;
  };
  const anchorHref = (fragment: string): string | undefined => headingsByName().get(fragment.toLowerCase());
  // A bilingual edition prints each list item as a pair of paragraphs: its marker ("3.", "•") and depth, worked out as lists count.
  const listItems = new Map<string, { marker: string; level: number }>();
  if (options.bilingual) {
    const markers = listMarkers('•');
    for (const chapter of edition.chapters) {
      for (const block of chapter.blocks) {
        if (block.kind !== 'list-item') {
          markers.reset();
          continue;
        }
        const place = markers.item(block);
        listItems.set(block.id, { marker: block.continued ? '' : place.lead.trim(), level: Math.max(1, block.level ?? 1) });
      }
    }
  }
  return {
    edition,
    authors: edition.authors.length > 0 ? new Intl.ListFormat(edition.language, { type: 'conjunction' }).format(edition.authors) : '',
    toc: editionToc(edition),
    chapters: edition.chapters.map((chapter) => ({ number: chapter.number, title: chapter.title, layout: editionBlockLayout(chapter.blocks) })),
    provenance: editionProvenance(edition),
    inline: (text: string) => (edition.plainText ? renderPlain(text, target) : renderInline(text, target, references, notes, anchorHref)),
    footnoteId,
    markdownBlock: (markdown: string) => renderMarkdownBlock(markdown, target),
    markLabels,
    /** A bilingual edition: each block's source text beside its translation (see _bilingual-blocks). */
    bilingual: options.bilingual ?? false,
    listItem: (id: string) => listItems.get(id),
  };
}
