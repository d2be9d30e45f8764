import MarkdownIt from 'markdown-it';
import type { SegmentKind } from './types';

/** A segment before it has an id. */
export interface Block {
  kind: SegmentKind;
  text: string;
  translatable: boolean;
  level?: number;
  ordered?: boolean;
  continued?: boolean;
}

// One parser for all calls: markdown-it is stateless per parse. HTML blocks are recognised
// (so they are kept verbatim, not translated); linkify is irrelevant to block structure.
const markdown = new MarkdownIt({ html: true });

interface Container {
  type: 'list' | 'item' | 'quote';
  ordered?: boolean;
  paragraphs?: number;
}

/** Cuts a Markdown body into blocks: headings, paragraphs, list items and quotes to translate; code, tables, HTML and rules kept verbatim. */
export function segmentMarkdown(body: string): Block[] {
  const lines = body.split('\n');
  const raw = (map: [number, number] | null | undefined): string =>
    map ? lines.slice(map[0], map[1]).join('\n').replace(/\s+$/, '') : '';
  const tokens = markdown.parse(body, {});
  const blocks: Block[] = [];
  const stack: Container[] = [];
  let headingLevel = 0;
  let skipUntil = -1;

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

/** Cuts plain text into paragraphs at blank lines. */
export function segmentPlainText(body: string): Block[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((part) => part.replace(/^\n+|\s+$/g, ''))
    .filter((part) => part.trim() !== '')
    .map((text) => ({ kind: 'paragraph' as const, text, translatable: true }));
}
