import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { installFastBlockState } from '../server/domain/fastBlockState';

// The segmenter's markdown-it parses with a state built faster for long texts: the same state,
// and so the same tokens, as markdown-it's own, whatever the text.

const own = new MarkdownIt({ html: true });
const fast = new MarkdownIt({ html: true });

function blockTokens(md: MarkdownIt.MarkdownIt, src: string): unknown[] {
  const tokens: MarkdownIt.Token[] = [];
  md.block.parse(src, md, {}, tokens);
  // Own enumerable fields, in order, and the prototype (so the tokens have markdown-it's methods).
  return tokens.map((token) => [Object.getPrototypeOf(token) === Object.getPrototypeOf(tokens[0]), Object.entries(token)]);
}

describe('installFastBlockState', () => {
  it('installs itself on a markdown-it that builds its state the usual way', () => {
    expect(installFastBlockState(fast)).toBe(true);
    expect(fast.block.State).not.toBe(own.block.State);
  });

  it('gives the tokens markdown-it gives, on any text', () => {
    const piece = fc.constantFrom(
      '# ', '## ', '- ', '* ', '+ ', '1. ', '2) ', '> ', '    ', '  ', ' ', '\t', '```', '~~~', '---', '***', '___', '===',
      '| a | b |', '|---|---|', '<div>', '</div>', '<!-- c -->', '<pre>', '[x]: /u "t"', '[x]', '*', '_', '`', '\\', '&amp;',
      '\n', '\n', '\n\n', 'word', 'é', '𝔘', '\u00a0',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => {
        const src = parts.join('');
        expect(blockTokens(fast, src)).toEqual(blockTokens(own, src));
        // The state itself: the same line index.
        const a = new own.block.State(src, own, {}, []);
        const b = new fast.block.State(src, fast, {}, []);
        for (const field of ['bMarks', 'eMarks', 'tShift', 'sCount', 'bsCount', 'lineMax'] as const) expect(b[field]).toEqual(a[field]);
      }),
      { numRuns: 3000 },
    );
  });
});
