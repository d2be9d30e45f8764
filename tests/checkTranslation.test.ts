import { checkTranslation, extractLinks } from '../server/domain/checkTranslation';

// The quality checks beside each translation: the same links as the source, as many emphasised
// or code spans. The source's side is worked out once per text and kept.

describe('checkTranslation', () => {
  const source = 'See the *first* [page](https://example.org/a), <https://example.org/b> and `code`, or https://example.org/c.';

  it('finds the links of a text: Markdown links, autolinks and bare addresses', () => {
    expect(extractLinks(source)).toEqual(['https://example.org/a', 'https://example.org/b', 'https://example.org/c']);
  });

  it('passes a translation with the same links and marks, whatever their order', () => {
    const target = 'Véase `code`, https://example.org/c, <https://example.org/b> y la *primera* [página](https://example.org/a).';
    expect(checkTranslation(source, target)).toEqual([]);
    expect(checkTranslation(source, target)).toEqual([]); // the source's facts now kept: the same answer
  });

  it('names the links lost and added, and the marks counted on each side', () => {
    const target = 'Véase la primera [página](https://example.org/otra), <https://example.org/b> y `code`, o https://example.org/c.';
    expect(checkTranslation(source, target)).toEqual([
      { code: 'links-differ', message: 'checks.linksDiffer', values: { missing: 'https://example.org/a', extra: 'https://example.org/otra' } },
      { code: 'markup-differs', message: 'checks.markupDiffers', values: { source: '2', target: '1' } },
    ]);
  });

  it('says nothing of an empty translation', () => {
    expect(checkTranslation(source, '')).toEqual([]);
  });
});

describe('an autolink', () => {
  it('is one link, the same as a Markdown link to the same address', () => {
    expect(extractLinks('Go to <https://example.org/x>.')).toEqual(['https://example.org/x']);
    expect(checkTranslation('Go to <https://example.org/x>.', 'Ve a [la página](https://example.org/x).')).toEqual([]);
  });
});
