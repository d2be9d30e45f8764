import { inlineText, renderInline } from '../server/formats/editionInline';

describe('renderInline', () => {
  it('renders a text without inline syntax as itself, escaped, "[1]" note marks included', () => {
    expect(renderInline('[1] The dilemma "of" our time <now>', 'html')).toBe('[1] The dilemma &quot;of&quot; our time &lt;now&gt;');
  });

  it('still renders links, emphasis and code, and drops script links', () => {
    expect(renderInline('See [the site](https://example.org) and *this* `code`', 'html')).toBe(
      'See <a href="https://example.org">the site</a> and <em>this</em> <code>code</code>',
    );
    expect(renderInline('[x](javascript:alert(1))', 'html')).not.toContain('href');
    expect(inlineText('[1] a [link](https://example.org)')).toBe('[1] a link');
  });
});
