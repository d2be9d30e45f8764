import type { DraftMark, Edition, EditionBlock } from '../domain/edition';
import { codeBlockContent, inlineText } from './editionInline';
import { listMarkers, type ListItemPlace } from './editionListMarkers';
import { editionProvenance } from './editionProvenance';

/**
 * Renders an edition as plain text: a title page, the chapters (headings underlined, lists with
 * bullets and numbers, quotes and code indented, inline Markdown removed, link addresses kept) and
 * the provenance. Paragraphs are not wrapped: one line each, for the reader's screen to wrap (a
 * fixed width is wrong for proportional, right-to-left and CJK text alike).
 */
export function renderEditionText(edition: Edition): string {
  const { labels } = edition;
  const markLabels: Record<DraftMark, string> = { untranslated: labels.markUntranslated, drifted: labels.markDrifted, unapproved: labels.markUnapproved };
  let out = titlePage(edition);
  const lists = listMarkers('•');
  // A note mark ("[^1]") is printed as books print it in text: "[1]".
  const noteLabels = new Set(edition.chapters.flatMap((chapter) => chapter.blocks.filter((block) => block.kind === 'footnote').map((block) => block.label ?? '')));
  const markNotes = (text: string): string => (noteLabels.size === 0 ? text : text.replace(/\[\^([^\]\s]+)\]/g, (mark, label: string) => (noteLabels.has(label) ? `[${label}]` : mark)));
  for (const chapter of edition.chapters) {
    let previous: EditionBlock | undefined;
    for (const block of chapter.blocks) {
      if (block.kind !== 'list-item') lists.reset();
      const text = block.translatable && !edition.plainText ? markNotes(inlineText(block.text, { withUrls: true }).trim()) : block.text;
      const marked = block.mark ? `[${markLabels[block.mark]}] ${text}` : text;
      // Chapters are set apart by three blank lines, blocks by one; the items of a list follow each other.
      const place = block.kind === 'list-item' ? lists.item(block) : undefined;
      const tight = previous?.kind === 'list-item' && place !== undefined && !block.continued && !place.newList;
      out += (previous === undefined ? '\n\n\n\n' : tight ? '\n' : '\n\n') + (place ? listItem(marked, place) : textBlock(block, marked));
      previous = block;
    }
  }
  return `${out}\n\n\n\n${provenance(edition)}\n`;
}

/** A list item's text after its marker, its further lines under its first word. */
function listItem(text: string, place: ListItemPlace): string {
  const [first, ...rest] = text.split('\n');
  return [`${place.lead}${first}`, ...rest.map((line) => `${' '.repeat(place.indent)}${line}`)].join('\n');
}

/** Any block but a list item. */
function textBlock(block: EditionBlock, text: string): string {
  switch (block.kind) {
    case 'heading':
      return underlined(text.replace(/\s*\n\s*/g, ' '), (block.level ?? 1) <= 1 ? '=' : block.level === 2 ? '-' : '~');
    case 'paragraph':
      return text;
    case 'quote':
      return indentLines(text, '    '.repeat(Math.max(1, block.level ?? 1)));
    case 'footnote':
      // A note as books print them: its mark, then its text; a further paragraph under it.
      return block.continued ? indentLines(text, '    ') : `[${block.label ?? ''}] ${text}`;
    case 'code':
      return indentLines(codeBlockContent(block.text), '    ');
    case 'rule':
      return '* * *';
    default:
      // Tables and HTML read well enough as they are written.
      return block.text;
  }
}

function titlePage(edition: Edition): string {
  const { labels } = edition;
  const lines = [framed(edition.title), ''];
  if (edition.authors.length > 0) lines.push(new Intl.ListFormat(edition.language, { type: 'conjunction' }).format(edition.authors));
  lines.push(edition.languageName);
  if (edition.draft) lines.push('', `[${labels.draft}] ${labels.draftNotice}`);
  return lines.join('\n');
}

function provenance(edition: Edition): string {
  const { rows, madeWith } = editionProvenance(edition);
  const lines = rows.map((row) => {
    if (row.value === undefined) return row.label;
    return `${row.label}: ${row.value}${row.url ? ` <${row.url}>` : ''}`;
  });
  return [underlined(edition.labels.provenance, '='), lines.join('\n'), madeWith].join('\n\n');
}

/** Characters as a reader counts them: a letter with its accents is one (Intl.Segmenter is exact, but slow for thousands of headings). */
function width(text: string): number {
  return Array.from(text.replace(/\p{M}/gu, '')).length;
}

function underlined(text: string, char: string): string {
  return `${text}\n${char.repeat(Math.max(3, width(text)))}`;
}

function framed(title: string): string {
  const rule = '='.repeat(Math.max(3, width(title)));
  return `${rule}\n${title}\n${rule}`;
}

function indentLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}
