import type MarkdownIt from 'markdown-it';
import { markdownItFootnotePackage, markdownItPackage } from '../lazyPackages';
import { once } from '../once';
import { installFastBlockState } from './fastBlockState';
import type { SegmentKind } from './types';

/** A segment before it has an id. */
export interface Block {
  kind: SegmentKind;
  text: string;
  translatable: boolean;
  level?: number;
  ordered?: boolean;
  continued?: boolean;
  label?: string;
}

/** The segmenter's parser, made at its first use (markdown-it is loaded then, see lazyPackages). */
const parser = once((): MarkdownIt.MarkdownIt => {
  // One parser for all calls: markdown-it is stateless per parse. HTML blocks are recognised
  // (so they are kept verbatim, not translated); linkify is irrelevant to block structure.
  // Only the block structure is parsed: the core rules after `block` (inline parsing into child
  // tokens, linkify, typography, text joining) build what segmentation never reads. An `inline`
  // token's `content` (the text of a paragraph, heading or list item) is set by the block parser;
  // `normalize` stays, so line ends and NUL characters are handled as a full parse handles them.
  // Footnotes ("[^1]: …", markdown-it-footnote): their definitions are blocks of their own, where the
  // source has them (the plugin's rule that gathers them at the end is a core rule after `block`).
  const markdown = new (markdownItPackage())({ html: true }).use(markdownItFootnotePackage());
  markdown.core.ruler.enableOnly(['normalize', 'block']);
  // markdown-it's own normalization (CR LF and CR to LF, NUL to U+FFFD), with a look before each
  // replacement: the text usually needs neither, and each one copies a whole book.
  markdown.core.ruler.at('normalize', (state) => {
    if (state.src.includes('\r')) state.src = state.src.replace(/\r\n?/g, '\n');
    if (state.src.includes('\0')) state.src = state.src.replace(/\0/g, '\uFFFD');
  });
  // The same block parsing, with a state built faster for long texts (see fastBlockState).
  installFastBlockState(markdown);
  // Link reference definitions ("[label]: https://…") are read by markdown-it into its environment
  // and leave no token: without one, the segmenter never saw them and they were lost from the stored
  // document and every edition (each reference-style link broken). The rule is run as it is and, when
  // it reads definitions, leaves a token with their lines.
  const readReference = markdown.block.ruler.getRules('').find((rule) => rule.name === 'reference');
  if (!readReference) throw new Error('markdown-it has no reference rule');
  markdown.block.ruler.at('reference', (state, startLine, endLine, silent) => {
    const found = readReference(state, startLine, endLine, silent);
    if (found && !silent) state.push('reference_definition', '', 0).map = [startLine, state.line];
    return found;
  });
  return markdown;
});

interface Container {
  type: 'list' | 'item' | 'quote' | 'footnote';
  ordered?: boolean;
  paragraphs?: number;
  label?: string;
}

/** Cuts a Markdown body into blocks: headings, paragraphs, list items and quotes to translate; code, tables, HTML, rules and link reference definitions kept verbatim. */
export function segmentMarkdown(body: string): Block[] {
  let lines: string[] | undefined; // split only for the blocks kept verbatim
  const raw = (map: [number, number] | null | undefined): string => {
    lines ??= body.split('\n');
    return map ? lines.slice(map[0], map[1]).join('\n').replace(/\s+$/, '') : '';
  };
  const tokens = parser().parse(body, {});
  const blocks: Block[] = [];
  const stack: Container[] = [];
  let headingLevel = 0;
  let skipUntil = -1;
  let definitionLines: [number, number] | undefined;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (i < skipUntil) continue;
    switch (token.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        stack.push({ type: 'list', ordered: token.type === 'ordered_list_open' });
        break;
      case 'list_item_open':
        stack.push({ type: 'item', paragraphs: 0 });
        break;
      case 'blockquote_open':
        stack.push({ type: 'quote' });
        break;
      case 'footnote_reference_open':
        stack.push({ type: 'footnote', label: String((token.meta as { label?: unknown } | null)?.label ?? ''), paragraphs: 0 });
        break;
      case 'footnote_reference_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
      case 'blockquote_close':
        stack.pop();
        break;
      case 'heading_open':
        headingLevel = Number(token.tag.slice(1));
        break;
      case 'heading_close':
        headingLevel = 0;
        break;
      case 'inline':
        if (headingLevel > 0) blocks.push({ kind: 'heading', level: headingLevel, text: token.content, translatable: true });
        else blocks.push(proseBlock(token.content, stack));
        break;
      case 'fence':
      case 'code_block':
        blocks.push({ kind: 'code', text: raw(token.map), translatable: false });
        break;
      case 'reference_definition': {
        // One token per definition (markdown-it may run the rule twice on one): definitions on
        // consecutive lines are one block, as they were written.
        const map = token.map as [number, number];
        if (definitionLines && blocks[blocks.length - 1]?.kind === 'definition' && map[0] <= definitionLines[1]) {
          definitionLines = [definitionLines[0], Math.max(definitionLines[1], map[1])];
          blocks[blocks.length - 1].text = raw(definitionLines);
        } else {
          definitionLines = map;
          blocks.push({ kind: 'definition', text: raw(map), translatable: false });
        }
        break;
      }
      case 'html_block':
        blocks.push({ kind: 'html', text: token.content.replace(/\s+$/, ''), translatable: false });
        break;
      case 'hr':
        blocks.push({ kind: 'rule', text: raw(token.map), translatable: false });
        break;
      case 'table_open': {
        blocks.push({ kind: 'table', text: raw(token.map), translatable: false });
        skipUntil = tokens.findIndex((t, j) => j > i && t.type === 'table_close') + 1;
        break;
      }
      default:
        break;
    }
  }
  return blocks.filter((block) => block.text.trim() !== '');
}

function proseBlock(text: string, stack: Container[]): Block {
  // A footnote's paragraphs are the note's, whatever they hold (its lists and quotes are its text).
  const note = stack.find((container) => container.type === 'footnote');
  if (note) {
    const continued = (note.paragraphs ?? 0) > 0;
    note.paragraphs = (note.paragraphs ?? 0) + 1;
    return { kind: 'footnote', label: note.label, continued: continued || undefined, text, translatable: true };
  }
  // The innermost container decides the kind: a paragraph in a list item in a quote is a list item.
  for (let depth = stack.length - 1; depth >= 0; depth--) {
    const container = stack[depth];
    if (container.type === 'item') {
      const list = stack[depth - 1];
      const level = stack.slice(0, depth).filter((c) => c.type === 'list').length;
      const continued = (container.paragraphs ?? 0) > 0;
      container.paragraphs = (container.paragraphs ?? 0) + 1;
      return { kind: 'list-item', level, ordered: list?.ordered ?? false, continued: continued || undefined, text, translatable: true };
    }
    if (container.type === 'quote') {
      return { kind: 'quote', level: stack.filter((c) => c.type === 'quote').length, text, translatable: true };
    }
  }
  return { kind: 'paragraph', text, translatable: true };
}

/** A line that opens a part of a book (Project Gutenberg's "BOOK I.", "PART THE FIRST"…). */
const PART_LINE = /^(?:BOOK|Book|PART|Part|VOLUME|Volume)\s+(?:[IVXLCDM]+|\d+|THE\s+[A-Z]+|[A-Z][a-z]+|[A-Z]+)\b[^\n]{0,80}$/;
/** A line that opens a chapter ("CHAPTER I.", "Chapter 12: The Night", "ACT II", "LETTER IV"). */
const CHAPTER_LINE = /^(?:CHAPTER|Chapter|ACT|Act|LETTER|Letter|SECTION|Section|STAVE|Stave)\s+(?:[IVXLCDM]+|\d+|[A-Z][a-z]+|[A-Z]+)\b[^\n]{0,80}$/;
/** A line underlined with = (level 1) or - (level 2), as setext and many plain-text books mark titles. */
const UNDERLINED = /^([^\n]{1,120})\n(=+|-+)[ \t]*$/;

/**
 * Cuts plain text into paragraphs at blank lines. Its text is never read as Markdown (a backtick or
 * a star is a character of the text). Headings are found by one documented rule, so that a book
 * gets chapters: a paragraph of one line that opens a part (BOOK, PART, VOLUME + a number or name)
 * is a level-1 heading; one that opens a chapter (CHAPTER, ACT, LETTER, SECTION, STAVE + a number or
 * name) is level 1, or level 2 in a text that has parts; a line underlined with = or - (at least as
 * long as three characters) is a heading of level 1 or 2. Nothing else is taken for a heading.
 */
export function segmentPlainText(body: string): Block[] {
  const parts = body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((part) => part.replace(/^\n+|\s+$/g, ''))
    .filter((part) => part.trim() !== '');
  const hasParts = parts.some((part) => PART_LINE.test(part.trim()));
  return parts.map((text): Block => {
    const line = text.trim();
    if (PART_LINE.test(line)) return { kind: 'heading', level: 1, text: line, translatable: true };
    if (CHAPTER_LINE.test(line)) return { kind: 'heading', level: hasParts ? 2 : 1, text: line, translatable: true };
    const underlined = UNDERLINED.exec(line);
    if (underlined && underlined[2].length >= 3) return { kind: 'heading', level: underlined[2].startsWith('=') ? 1 : 2, text: underlined[1].trim(), translatable: true };
    return { kind: 'paragraph', text, translatable: true };
  });
}
