import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { inlineText, renderInline, renderPlain } from '../server/formats/editionInline';

describe('renderInline', () => {
  it('renders a text without inline syntax as itself, escaped, "[1]" note marks included', () => {
    expect(renderInline('[1] The dilemma "of" our time <now>', 'html')).toBe('[1] The dilemma &quot;of&quot; our time &lt;now&gt;');
  });

  it('escapes a text without syntax as markdown-it does, without loading it', () => {
    const md = new MarkdownIt();
    // Texts of letters, spaces, quotes, ">" and brackets, of one to three bytes in UTF-8, and no
    // "](" (a link): no syntax.
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', "'", '>', '[', ']', '(', ')', 'é', '—', '¿', '1'), maxLength: 40 }).filter((t) => !t.includes(']('));
    fc.assert(
      fc.property(text, (t) => {
        expect(renderInline(t, 'html')).toBe(md.utils.escapeHtml(t));
        expect(renderPlain(t, 'html')).toBe(md.utils.escapeHtml(t));
      }),
    );
    jest.isolateModules(() => {
      jest.doMock('markdown-it', () => {
        throw new Error('markdown-it was loaded');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module, with markdown-it unloadable
      const fresh = require('../server/formats/editionInline') as typeof import('../server/formats/editionInline');
      expect(fresh.renderInline('[1] The dilemma "of" our time > now', 'html')).toBe('[1] The dilemma &quot;of&quot; our time &gt; now');
      expect(fresh.renderPlain('a <b> & "c"', 'epub')).toBe('a &lt;b&gt; &amp; &quot;c&quot;');
      // A text with syntax does need it.
      expect(() => fresh.renderInline('*this*', 'html')).toThrow('markdown-it was loaded');
    });
  });

  it('still renders links, emphasis and code, and drops script links', () => {
    expect(renderInline('See [the site](https://example.org) and *this* `code`', 'html')).toBe(
      'See <a href="https://example.org">the site</a> and <em>this</em> <code>code</code>',
    );
    expect(renderInline('[x](javascript:alert(1))', 'html')).not.toContain('href');
    expect(inlineText('[1] a [link](https://example.org)')).toBe('[1] a link');
  });
});
