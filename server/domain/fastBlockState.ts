/**
 * A faster state for markdown-it's block parser, for the size of books: the same state, made
 * differently. Segmenting a 7.5 MB text, markdown-it's own state spent most of its time in two
 * places that do not depend on Markdown at all:
 *
 * - the line index (where each line begins and ends, and its indentation), built with a loop over
 *   every character of the text: here only the indentation is read character by character, and the
 *   end of each line is found with `indexOf`;
 * - its tokens, whose fields are set one by one through `Object.defineProperty` (the way its build
 *   compiles class fields): here tokens are plain objects with the same fields, on the same
 *   prototype (so they have the same methods).
 *
 * The block rules, and so the tokens they produce, are markdown-it's. `installFastBlockState`
 * checks on a sample that the state is the same as markdown-it's own before putting it in place:
 * with a markdown-it that builds its state otherwise, the parser keeps its own.
 */
import type MarkdownIt from 'markdown-it';

type StateBlock = MarkdownIt.StateBlock;
type Token = MarkdownIt.Token;
type StateBlockClass = MarkdownIt.ParserBlock['State'];

/** Text whose line index and tokens exercise the cases: tabs, blank and space-only lines, nesting, no final newline. */
const SAMPLE = [
  '# Title',
  '',
  '\tindented by a tab',
  '  \t mixed indentation',
  '   ',
  '- item',
  '  - nested',
  '',
  '> quote',
  '> > deeper',
  '',
  '```js',
  'code',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '<div>',
  '',
  '</div>',
  '',
  '1. one',
  '',
  '   more',
  'Setext',
  '===',
  '[ref]: https://example.org "title"',
  '  trailing spaces, no newline  ',
].join('\n');

const LINE_FIELDS = ['bMarks', 'eMarks', 'tShift', 'sCount', 'bsCount'] as const;
const TOKEN_FIELDS = ['type', 'tag', 'attrs', 'map', 'nesting', 'level', 'children', 'content', 'markup', 'info', 'meta', 'block', 'hidden'] as const;

/** The fast state class for `md`'s block parser (its own state being `Base`). */
function fastStateClass(Base: StateBlockClass, TokenClass: new (type: string, tag: string, nesting: Token['nesting']) => Token): StateBlockClass {
  /** A token as markdown-it's Token constructor makes it, without a property definition per field. */
  function PlainToken(this: Token, type: string, tag: string, nesting: Token['nesting']): void {
    this.map = null;
    this.level = 0;
    this.children = null;
    this.content = '';
    this.markup = '';
    this.info = '';
    this.block = false;
    this.hidden = false;
    this.type = type;
    this.tag = tag;
    this.attrs = null;
    this.nesting = nesting;
    this.meta = null;
  }
  PlainToken.prototype = TokenClass.prototype;
  const makeToken = PlainToken as unknown as new (type: string, tag: string, nesting: Token['nesting']) => Token;

  class FastBlockState extends Base {
    constructor(src: string, md: MarkdownIt.MarkdownIt, env: MarkdownIt.Env, tokens: Token[]) {
      super('', md, env, tokens);
      this.src = src;
      const bMarks: number[] = [];
      const eMarks: number[] = [];
      const tShift: number[] = [];
      const sCount: number[] = [];
      const bsCount: number[] = [];
      const length = src.length;
      let start = 0;
      while (start < length) {
        let pos = start;
        let indent = 0;
        let offset = 0;
        for (; pos < length; pos++) {
          const ch = src.charCodeAt(pos);
          if (ch === 0x20) {
            indent++;
            offset++;
          } else if (ch === 0x09) {
            indent++;
            offset += 4 - (offset % 4);
          } else {
            break;
          }
        }
        // As in markdown-it: a last line of spaces and tabs only, without a newline, is no line.
        if (pos >= length) break;
        const newline = src.indexOf('\n', pos);
        const end = newline < 0 ? length : newline;
        bMarks.push(start);
        eMarks.push(end);
        tShift.push(indent);
        sCount.push(offset);
        bsCount.push(0);
        start = end + 1;
      }
      bMarks.push(length);
      eMarks.push(length);
      tShift.push(0);
      sCount.push(0);
      bsCount.push(0);
      this.bMarks = bMarks;
      this.eMarks = eMarks;
      this.tShift = tShift;
      this.sCount = sCount;
      this.bsCount = bsCount;
      this.lineMax = bMarks.length - 1;
    }

    override push(type: string, tag: string, nesting: Token['nesting']): Token {
      const token = new makeToken(type, tag, nesting);
      token.block = true;
      if (nesting < 0) this.level--;
      token.level = this.level;
      if (nesting > 0) this.level++;
      this.tokens.push(token);
      return token;
    }
  }
  return FastBlockState;
}

function sameState(a: StateBlock, b: StateBlock): boolean {
  if (a.src !== b.src || a.lineMax !== b.lineMax) return false;
  return LINE_FIELDS.every((field) => a[field].length === b[field].length && a[field].every((value, i) => value === b[field][i]));
}

function sameTokens(a: Token[], b: Token[]): boolean {
  return (
    a.length === b.length &&
    a.every((token, i) => {
      const other = b[i];
      return (
        Object.getPrototypeOf(token) === Object.getPrototypeOf(other) &&
        Object.keys(token).length === Object.keys(other).length &&
        TOKEN_FIELDS.every((field) => JSON.stringify(token[field]) === JSON.stringify(other[field]))
      );
    })
  );
}

/**
 * Puts the fast state in `md`'s block parser, when it builds, on a sample, the same line index and
 * the same tokens as the parser's own state. Returns whether it did.
 */
export function installFastBlockState(md: MarkdownIt.MarkdownIt): boolean {
  const Base = md.block.State;
  const TokenClass = new md.core.State('', md, {}).Token as unknown as new (type: string, tag: string, nesting: Token['nesting']) => Token;
  const Fast = fastStateClass(Base, TokenClass);
  try {
    for (const sample of [SAMPLE, `${SAMPLE}\n`, '', '\n', '   ', 'x', '\t\n \n']) {
      if (!sameState(new Base(sample, md, {}, []), new Fast(sample, md, {}, []))) return false;
      const own: Token[] = [];
      const fast: Token[] = [];
      md.block.parse(sample, md, {}, own);
      md.block.State = Fast;
      try {
        md.block.parse(sample, md, {}, fast);
      } finally {
        md.block.State = Base;
      }
      if (!sameTokens(own, fast)) return false;
    }
  } catch {
    return false;
  }
  md.block.State = Fast;
  return true;
}
