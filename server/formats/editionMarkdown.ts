import { yamlPackage } from '../lazyPackages';
import type { DraftMark, Edition, EditionBlock } from '../domain/edition';
import { codeBlockContent } from './editionInline';
import { listMarkers } from './editionListMarkers';
import { editionProvenance } from './editionProvenance';
import { escapeBlockStarts, escapeHeading, escapeMarkdownText } from './markdownEscape';

/**
 * Renders an edition as Markdown with the source's structure: YAML front matter (metadata), the
 * translated blocks, and a provenance section. The front matter uses the source documents' keys
 * (title, authors, language, source, license) so that the file can itself be imported as a source.
 */
export function renderEditionMarkdown(edition: Edition): string {
  const { labels } = edition;
  const markLabels: Record<DraftMark, string> = { untranslated: labels.markUntranslated, drifted: labels.markDrifted, unapproved: labels.markUnapproved };
  let out = frontMatter(edition);
  const lists = listMarkers('-');
  let previous: EditionBlock | undefined;
  for (const chapter of edition.chapters) {
    for (const block of chapter.blocks) {
      // A draft says which blocks are not finished, in words, before their text.
      // A plain-text source's text is escaped: the Markdown edition shows it as written (a `*` stays a star).
      const own = edition.plainText && block.translatable ? escapeMarkdownText(block.text) : block.text;
      const text = block.mark ? `[${escapeMarkdownText(markLabels[block.mark])}] ${own}` : own;
      if (block.kind !== 'list-item') lists.reset();
      out += separator(previous, block) + markdownBlock(block, text, lists, previous);
      previous = block;
    }
  }
  return `${out}\n\n${provenanceSection(edition)}\n`;
}

/**
 * A blank line between blocks; none between the items of a list (a tight list, as sources write
 * them); between quotes, a blank line of the quote, as the HTML renders them (one quote, nested).
 */
function separator(previous: EditionBlock | undefined, block: EditionBlock): string {
  if (previous?.kind === 'list-item' && block.kind === 'list-item' && tight(previous, block)) return '\n';
  if (previous?.kind !== 'quote' || block.kind !== 'quote') return '\n\n';
  const level = Math.max(1, Math.min(previous.level ?? 1, block.level ?? 1));
  return `\n${'> '.repeat(level).trimEnd()}\n`;
}

/**
 * Whether an item follows the one before without a blank line: not a further paragraph, the same
 * kind of list, and at most one level deeper (skipped levels are written as empty items, and an
 * empty item right under a line of text would be read as a heading underline).
 */
function tight(previous: EditionBlock, block: EditionBlock): boolean {
  return !block.continued && !previous.continued && previous.ordered === block.ordered && (block.level ?? 1) <= (previous.level ?? 1) + 1;
}

function markdownBlock(block: EditionBlock, text: string, lists: ReturnType<typeof listMarkers>, previous: EditionBlock | undefined): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(Math.min(6, Math.max(1, block.level ?? 1)))} ${escapeHeading(text)}`;
    case 'paragraph':
      return escapeBlockStarts(text);
    case 'quote':
      return prefixLines(escapeBlockStarts(text), '> '.repeat(Math.max(1, block.level ?? 1)));
    case 'footnote': {
      // "[^label]: " then the note's lines, and its further paragraphs, indented under it.
      const lines = escapeBlockStarts(text).split('\n').map((line, i) => (i === 0 && !block.continued ? line : line === '' ? line : `    ${line}`));
      return block.continued ? lines.join('\n') : `[^${block.label ?? ''}]: ${lines.join('\n')}`;
    }
    case 'list-item': {
      const place = lists.item(block);
      const [first, ...rest] = escapeBlockStarts(text, { marker: place.lead }).split('\n');
      const further = rest.map((line) => (line === '' ? line : `${' '.repeat(place.indent)}${line}`));
      return [...place.skipped, `${place.lead}${first}`, ...further].join('\n');
    }
    default:
      // Indented code right after a list item would be read as a paragraph of that item: fenced instead.
      if (block.kind === 'code' && previous?.kind === 'list-item' && /^(?: {4}|\t)/.test(block.text)) return fenced(codeBlockContent(block.text));
      return block.text;
  }
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function fenced(code: string): string {
  const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}\n${code}\n${fence}`;
}

function frontMatter(edition: Edition): string {
  const data = {
    // The source's own keys first, as it wrote them; the edition's keys win where both have one.
    ...edition.sourceMeta,
    title: edition.title,
    authors: edition.authors,
    language: edition.language,
    translators: edition.translators,
    reviewers: edition.reviewers,
    license: edition.license,
    draft: edition.draft,
    ...(edition.draft ? { draftNotice: edition.labels.draftNotice } : {}),
    completeness: edition.completeness.percent,
    sourceTitle: edition.sourceTitle,
    sourceLanguage: edition.sourceLanguage,
    sourceVersion: edition.sourceVersion,
    sourceVersionDate: edition.sourceVersionDate,
    sourceDate: edition.sourceDate,
    originalTranslator: edition.originalTranslator,
    source: edition.sourceUrl,
    exportedAt: edition.exportedAt,
    identifier: edition.identifier,
  };
  return `---\n${yamlPackage().stringify(data, { lineWidth: 0 })}---`;
}

function provenanceSection(edition: Edition): string {
  const { rows, madeWith } = editionProvenance(edition);
  const items = rows.map((row) => {
    if (row.value === undefined) return `- ${escapeMarkdownText(row.label)}`;
    const value = escapeMarkdownText(row.value);
    const url = row.url?.replace(/[<>]/g, encodeURIComponent);
    return `- **${escapeMarkdownText(row.label)}:** ${url ? `[${value}](<${url}>)` : value}`;
  });
  return [`# ${escapeHeading(escapeMarkdownText(edition.labels.provenance))}`, items.join('\n'), escapeMarkdownText(madeWith)].join('\n\n');
}
