import { createRequire } from 'node:module';
import { isWorkbenchError } from '../server/errors';
import { parseXmlSafely } from '../server/formats/xmlSafety';
import { cacheXmldomExpressions } from '../server/formats/xmldomExpressionCache';

// xmldom builds the expression for an end tag's name at every end tag; the workbench keeps the one
// it made (see cacheXmldomExpressions). Documents read and refuse as before.

const grammar = createRequire(__filename)('@xmldom/xmldom/lib/grammar') as { reg(...parts: (RegExp | string)[]): RegExp; QName_group: RegExp; S_OPT: RegExp };
const options = { file: 'test.xml', malformedCode: 'xml-malformed' };

describe("xmldom's end-tag expression", () => {
  it('is made once and then reused: the same object for the same parts, another for other parts', () => {
    cacheXmldomExpressions();
    const first = grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$');
    expect(grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$')).toBe(first);
    expect(grammar.reg('^', grammar.QName_group)).not.toBe(first);
    expect(first.test('trans-unit')).toBe(true);
    expect(first.test('trans unit')).toBe(false);
  });

  it('leaves what the reader accepts and refuses as it was: end tags are still checked', () => {
    const doc = parseXmlSafely('<xliff><file><body><trans-unit id="a"><source>x</source></trans-unit></body></file></xliff>', options);
    expect(doc.getElementsByTagName('trans-unit')).toHaveLength(1);
    for (const bad of ['<a><b></b c></a>', '<a></ a>', '<a><b></a></b>', '<a></a-></a>']) {
      let refused: unknown;
      try {
        parseXmlSafely(bad, options);
      } catch (err) {
        refused = err;
      }
      expect({ bad, refused: isWorkbenchError(refused) && refused.status }).toEqual({ bad, refused: 422 });
    }
  });
});
