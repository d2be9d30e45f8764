import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { buildTmx, readTmx, type TmxInput } from '../server/formats/tmx';
import { XML_NS } from '../server/formats/xmlSafety';
import { makeTempDir, type TempDir } from './helpers/tempDir';
import { catchWorkbenchError } from './helpers/catchWorkbenchError';

const FIXTURES = join(__dirname, 'fixtures', 'interchange');

const TRICKY = [
  'Bread & roses',
  '<b>not markup</b> < > &amp; literally',
  `"double" and 'single' quotes`,
  'ends with a newline\n',
  '  leading and trailing spaces  ',
  'CR LF\r\nand a lone CR\r.',
  'non-BMP 𝔘 😀 and RTL שלום',
];

function manifestoInput(): TmxInput {
  return {
    sourceLanguage: 'en',
    targetLanguage: 'fr-CA',
    creationTool: 'translation-workbench',
    creationToolVersion: '0.1.0',
    pairs: [
      { id: 's81848e09', source: 'First part', target: 'Première partie', changedAt: '2024-05-06T18:40:12.345+02:00', changedBy: 'translator-fr' },
      { id: 'sc90b0265', source: 'The first paragraph, with a [link](https://example.org/a).', target: 'Le premier paragraphe, avec un [lien](https://example.org/a).' },
      ...TRICKY.map((text, i) => ({ id: `t${i + 1}`, source: text, target: `FR ${text}` })),
    ],
  };
}

describe('buildTmx', () => {
  it('writes a TMX 1.4b header with the tool, paragraph segmentation and the source language', () => {
    const xml = buildTmx(manifestoInput());
    expect(xml.split('\n').slice(0, 3)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<tmx version="1.4">',
      '  <header creationtool="translation-workbench" creationtoolversion="0.1.0" segtype="paragraph" o-tmf="workbench" adminlang="en" srclang="en" datatype="plaintext"/>',
    ]);
  });

  it('writes a <tu tuid> per pair with a <tuv xml:lang><seg> for each language, and the change date and author in TMX form', () => {
    const doc = new DOMParser().parseFromString(buildTmx(manifestoInput()), 'application/xml');
    const tus = doc.getElementsByTagName('tu');
    expect(tus.length).toBe(2 + TRICKY.length);
    const first = tus[0];
    expect(first.getAttribute('tuid')).toBe('s81848e09');
    expect(first.getAttribute('changedate')).toBe('20240506T164012Z');
    expect(first.getAttribute('changeid')).toBe('translator-fr');
    const tuvs = first.getElementsByTagName('tuv');
    expect([0, 1].map((i) => [tuvs[i].getAttributeNS(XML_NS, 'lang'), tuvs[i].getElementsByTagName('seg')[0].textContent])).toEqual([
      ['en', 'First part'],
      ['fr-CA', 'Première partie'],
    ]);
    expect(tus[1].hasAttribute('changedate')).toBe(false);
    expect(tus[1].hasAttribute('changeid')).toBe(false);
  });

  it('escapes &, < and > in text and keeps quotes and a trailing newline as they are', () => {
    const xml = buildTmx(manifestoInput());
    expect(xml).toContain('<seg>Bread &amp; roses</seg>');
    expect(xml).toContain('<seg>&lt;b&gt;not markup&lt;/b&gt; &lt; &gt; &amp;amp; literally</seg>');
    expect(xml).toContain(`<seg>"double" and 'single' quotes</seg>`);
    expect(xml).toContain('<seg>ends with a newline\n</seg>');
    expect(xml).toContain('<seg>CR LF&#13;\nand a lone CR&#13;.</seg>');
  });

  it('escapes quotes and ampersands in attributes (tuid, changeid)', () => {
    const changedBy = `A "quoted" O'Name & co`;
    const xml = buildTmx({ ...manifestoInput(), pairs: [{ id: 'a&"b"', source: 'x', target: 'y', changedBy }] });
    expect(xml).toContain(`<tu tuid="a&amp;&quot;b&quot;" changeid="A &quot;quoted&quot; O'Name &amp; co">`);
    const tu = new DOMParser().parseFromString(xml, 'application/xml').getElementsByTagName('tu')[0];
    expect(tu.getAttribute('changeid')).toBe(changedBy);
    expect(readTmx(xml, { file: 'quotes.tmx' }).units[0].tuid).toBe('a&"b"');
  });

  it('refuses what TMX cannot hold or say: a control character, a date that is no date, a missing language', () => {
    const input = manifestoInput();
    expect(catchWorkbenchError(() => buildTmx({ ...input, pairs: [{ id: 'bell', source: 'bell \u0007', target: 'cloche' }] }))).toMatchObject({
      status: 400,
      code: 'xml-invalid-char',
      message: 'the source of pair "bell" contains U+0007, which XML cannot hold',
    });
    expect(catchWorkbenchError(() => buildTmx({ ...input, pairs: [{ source: 'a', target: 'b', changedAt: 'yesterday' }] }))).toMatchObject({ status: 400, code: 'tmx-invalid-model' });
    expect(catchWorkbenchError(() => buildTmx({ ...input, targetLanguage: '' }))).toMatchObject({ status: 400, code: 'tmx-invalid-model' });
  });
});

describe('readTmx', () => {
  it('reads back what buildTmx writes: ids, languages and every text exactly', () => {
    const input = manifestoInput();
    const read = readTmx(buildTmx(input), { file: 'memory.tmx' });
    expect(read).toEqual({
      sourceLanguage: 'en',
      skipped: 0,
      units: input.pairs.map((pair) => ({
        tuid: pair.id,
        variants: [
          { lang: 'en', text: pair.source },
          { lang: 'fr-CA', text: pair.target },
        ],
      })),
    });
  });

  it("reads another tool's memory: inline codes dropped, <hi> and <sub> text kept, a <tu> without variants counted as skipped", () => {
    const read = readTmx(readFileSync(join(FIXTURES, 'omegat-project.tmx'), 'utf8'), { file: 'omegat-project.tmx' });
    expect(read.sourceLanguage).toBe('en');
    expect(read.skipped).toBe(1);
    expect(read.units).toEqual([
      {
        tuid: 'manifesto-1',
        variants: [
          { lang: 'en', text: 'The Commune was proclaimed on 28 March.' },
          { lang: 'fr', text: 'La Commune fut proclamée le 28 mars.' },
        ],
      },
      {
        variants: [
          { lang: 'en', text: 'Read the notes first.' },
          { lang: 'fr', text: "Lisez d'abord les notes." },
        ],
      },
      {
        variants: [
          { lang: 'en', text: 'A map Paris in 1871 of the barricades.' },
          { lang: 'fr', text: 'Une carte Paris en 1871 des barricades.' },
          { lang: 'de', text: 'Eine Karte Paris im Jahr 1871 der Barrikaden.' },
        ],
      },
      {
        variants: [
          { lang: 'en', text: 'Line one\nline two\n' },
          { lang: 'fr', text: 'Ligne un\nligne deux\n' },
        ],
      },
    ]);
  });

  it('reads the `lang` attribute of TMX 1.1 to 1.3, and no source language for srclang="*all*"', () => {
    const read = readTmx('<tmx version="1.3"><header srclang="*all*"/><body><tu><tuv lang="EN-US"><seg>Hello</seg></tuv><tuv lang="DE-DE"><seg>Hallo</seg></tuv></tu></body></tmx>', { file: 'old.tmx' });
    expect(read).toEqual({ skipped: 0, units: [{ variants: [{ lang: 'EN-US', text: 'Hello' }, { lang: 'DE-DE', text: 'Hallo' }] }] });
  });

  describe('refuses unsafe and broken input', () => {
    let tmp: TempDir;
    beforeAll(() => {
      tmp = makeTempDir('tmx-test');
    });
    afterAll(() => tmp.cleanup());

    it('a DOCTYPE, and an XXE naming a local file → 400 xml-doctype-forbidden, the file’s content nowhere', () => {
      const secret = `secret-${Math.random().toString(36).slice(2)}`;
      const path = join(tmp.dir, 'secret.txt');
      writeFileSync(path, secret);
      const xxe = `<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://${path}">]>\n<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv></tu></body></tmx>`;
      const err = catchWorkbenchError(() => readTmx(xxe, { file: 'xxe.tmx' }));
      expect(err).toMatchObject({ status: 400, code: 'xml-doctype-forbidden', details: { file: 'xxe.tmx', line: 2, column: 1 } });
      expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain(secret);
    });

    it('malformed XML → 422 tmx-malformed naming the line and column', () => {
      const err = catchWorkbenchError(() => readTmx('<tmx version="1.4">\n  <body>\n    <tu><tuv xml:lang="en"><seg>a</tuv></tu>\n  </body>\n</tmx>\n', { file: 'bad.tmx' }));
      expect(err).toMatchObject({ status: 422, code: 'tmx-malformed', details: { file: 'bad.tmx', line: 3 } });
      expect(err.message).toMatch(/^bad\.tmx: line 3, column \d+: /);
    });

    it('a root that is not <tmx>, or a version that is not 1.x → 422 tmx-unsupported', () => {
      expect(catchWorkbenchError(() => readTmx('<xliff version="1.2"/>', { file: 'a.tmx' }))).toMatchObject({
        status: 422,
        code: 'tmx-unsupported',
        message: 'a.tmx: not a TMX file: the root element is <xliff>, not <tmx>',
      });
      expect(catchWorkbenchError(() => readTmx('<tmx version="2.0"><body/></tmx>', { file: 'b.tmx' }))).toMatchObject({ status: 422, code: 'tmx-unsupported' });
    });
  });
});
