import { segmentDocument } from '../server/domain/segmentDocument';
import { segmentMarkdown, segmentPlainText } from '../server/domain/segmentMarkdown';

describe('segmentMarkdown', () => {
  it('cuts headings, paragraphs, list items and quotes, keeping inline markup as written', () => {
    const blocks = segmentMarkdown(
      ['# Title', '', 'A *first* paragraph with a [link](https://example.org)', 'on two lines.', '', '- one', '- two', '  - nested', '', '> quoted', '', '1. first', '', '   more of first'].join('\n'),
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Title', translatable: true },
      { kind: 'paragraph', text: 'A *first* paragraph with a [link](https://example.org)\non two lines.', translatable: true },
      { kind: 'list-item', level: 1, ordered: false, text: 'one', translatable: true },
      { kind: 'list-item', level: 1, ordered: false, text: 'two', translatable: true },
      { kind: 'list-item', level: 2, ordered: false, text: 'nested', translatable: true },
      { kind: 'quote', level: 1, text: 'quoted', translatable: true },
      { kind: 'list-item', level: 1, ordered: true, text: 'first', translatable: true },
      { kind: 'list-item', level: 1, ordered: true, continued: true, text: 'more of first', translatable: true },
    ]);
  });

  it('keeps code blocks, tables, HTML blocks and rules verbatim and not translatable', () => {
    const blocks = segmentMarkdown(['```', 'let x = 1;', '```', '', '| a | b |', '|---|---|', '| 1 | 2 |', '', '<div class="x">raw</div>', '', '---', '', 'After.'].join('\n'));
    expect(blocks.map((b) => [b.kind, b.translatable, b.text])).toEqual([
      ['code', false, '```\nlet x = 1;\n```'],
      ['table', false, '| a | b |\n|---|---|\n| 1 | 2 |'],
      ['html', false, '<div class="x">raw</div>'],
      ['rule', false, '---'],
      ['paragraph', true, 'After.'],
    ]);
  });

  it('cuts plain text at blank lines', () => {
    expect(segmentPlainText('One\nstill one\n\n\n  Two\r\n\r\nThree\n').map((b) => b.text)).toEqual(['One\nstill one', '  Two', 'Three']);
  });
});

describe('segmentDocument', () => {
  it('reads YAML front matter as metadata, not as paragraphs', () => {
    const doc = segmentDocument('d', '---\ntitle: A book\nauthors: [A, B]\ndate: 2016-05-09\nlanguage: en\n---\n\n# One\n\nText.\n', 'markdown');
    expect(doc.meta).toMatchObject({ title: 'A book', authors: ['A', 'B'], date: '2016-05-09', language: 'en' });
    expect(doc.segments.map((s) => s.text)).toEqual(['One', 'Text.']);
  });

  it('refuses front matter that is not YAML with a clear message', () => {
    expect(() => segmentDocument('d', '---\ntitle: [unclosed\n---\nText\n', 'markdown')).toThrow(/front matter is not valid YAML/);
  });
});
