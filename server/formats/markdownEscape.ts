/**
 * Escapes for writing translations back into Markdown. A translation is inline Markdown that a
 * translator typed into one box: its emphasis and links are kept, but a line that Markdown would
 * read as the start of another block (a "1984. …" read as a list, a "# …" as a heading) is made
 * text, so that the written document has the edition's blocks. Each rule is markdown-it's (the
 * parser that segments documents); texts that came out of a Markdown source never match one.
 */

// Types 1 to 6 of HTML blocks (markdown-it's html_block rule): the ones that interrupt a paragraph.
const HTML_BLOCK_NAMES =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
const HTML_BLOCK = new RegExp(`^(?:<(?:script|pre|style|textarea)(?=\\s|>|$)|<!--|<\\?|<![A-Za-z]|<!\\[CDATA\\[|</?(?:${HTML_BLOCK_NAMES})(?=\\s|/?>|$))`, 'i');
// Type 7: a line holding only one complete tag starts an HTML block, but cannot interrupt a paragraph.
const OPEN_TAG = `<[A-Za-z][A-Za-z0-9-]*(?:\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*(?:[^"'=<>\`\\x00-\\x20]+|'[^']*'|"[^"]*"))?)*\\s*/?>`;
const LONE_TAG = new RegExp(`^(?:${OPEN_TAG}|</[A-Za-z][A-Za-z0-9-]*\\s*>)\\s*$`);

const HEADING = /^#{1,6}(?=[ \t]|$)/;
const FENCE = /^(?:`{3,}|~{3,})/;
const THEMATIC_BREAK = /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const SETEXT_UNDERLINE = /^(?:=+|-+)[ \t]*$/;
const BULLET = /^[-+*](?=[ \t]|$)/;
const BULLET_WITH_TEXT = /^[-+*][ \t]+\S/;
const ORDERED = /^\d{1,9}(?=[.)](?:[ \t]|$))/;
// Only a list that starts at 1 and has text may interrupt a paragraph.
const ORDERED_ONE_WITH_TEXT = /^0{0,8}1(?=[.)][ \t]+\S)/;
const REFERENCE = /^\[[^\]]*\]:/;
const MAY_START_BLOCK = /^[#>`~*\-_+=<[0-9|:]/;

// A table's delimiter row ("|---|:--:|") under a line with pipes turns a paragraph into a table.
const TABLE_DELIMITER_ROW = /^(?=[^\n]*\|)[|:-][-:| \t]*$/;

/** Where a backslash goes to make a line that starts a block into text (-1: it does not start one). */
function blockStart(line: string, first: boolean): number {
  if (!MAY_START_BLOCK.test(line)) return -1;
  if (HEADING.test(line) || line.startsWith('>') || FENCE.test(line) || THEMATIC_BREAK.test(line) || HTML_BLOCK.test(line)) return 0;
  if (first) {
    if (BULLET.test(line) || REFERENCE.test(line) || LONE_TAG.test(line)) return 0;
    const ordered = ORDERED.exec(line);
    return ordered ? ordered[0].length : -1;
  }
  if (SETEXT_UNDERLINE.test(line) || BULLET_WITH_TEXT.test(line) || TABLE_DELIMITER_ROW.test(line)) return 0;
  const one = ORDERED_ONE_WITH_TEXT.exec(line);
  return one ? one[0].length : -1;
}

/**
 * Makes a block's inline Markdown safe to write as one block: a further line that would start
 * another block is joined to the line before (a line break and a space read the same in inline
 * Markdown, even in a code span, where a backslash would be printed), a first line that would is
 * escaped with a backslash; blank lines (which would end the block) and the first line's indentation (which would
 * make it code) are dropped. `marker` is the list marker the first line follows, if any.
 */
export function escapeBlockStarts(text: string, { marker = '' }: { marker?: string } = {}): string {
  const lines = text.replace(/^\s+|\s+$/g, '').split(/\n(?:[ \t]*\n)*/);
  const out: string[] = [];
  for (const raw of lines) {
    // A tab's width depends on the column it is written at (after a list marker, a quote's "> "):
    // a further line's leading tabs are written as spaces, so it stays as far in as it looks here.
    out.push(out.length > 0 && /^ *\t/.test(raw) ? raw.replace(/^[ \t]+/, (lead) => lead.replace(/\t/g, '    ')) : raw);
    // A joined line may start a block in its turn ("*" and "* x" make "* * x"): checked again.
    for (;;) {
      const k = out.length - 1;
      const line = out[k];
      const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
      // Four columns in, a further line is part of the paragraph whatever it starts with.
      let at = k > 0 && indent.length >= 4 ? -1 : blockStart(line.slice(indent.length), k === 0);
      // "- " and "-- " make "- --", a rule, not an item.
      if (k === 0 && at < 0 && marker !== '' && THEMATIC_BREAK.test(`${marker.trim()} ${line}`)) at = 0;
      if (at < 0) break;
      if (k === 0) {
        out[k] = `${indent}${line.slice(indent.length, indent.length + at)}\\${line.slice(indent.length + at)}`;
        break;
      }
      // After a hard break (two spaces, a backslash), which joining would lose, the line goes four
      // columns in instead: it then continues the paragraph, and inline Markdown ignores the spaces.
      if (/(?: {2}|\\)$/.test(out[k - 1])) {
        out[k] = `    ${line.trimStart()}`;
        break;
      }
      out.pop();
      out[k - 1] += ` ${line.trimStart()}`;
    }
  }
  return out.join('\n');
}

/** Escapes a heading's text for an ATX heading: one line (no block starts in it), a closing run of #s kept as text. */
export function escapeHeading(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ').replace(/(^|[ \t])(#+[ \t]*)$/, '$1\\$2');
}

/** Escapes plain text (a label, a name) so that Markdown prints it as it is. */
export function escapeMarkdownText(text: string): string {
  return escapeBlockStarts(text.replace(/[\\`*_[\]<>!&~|#]/g, '\\$&'));
}
