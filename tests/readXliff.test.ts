import { planImport } from '../server/domain/planImport';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { segmentDocument } from '../server/domain/segmentDocument';
import type { LocaleFile, SourceDocument, Unit, WorkflowState } from '../server/domain/types';
import { workflowState } from '../server/domain/workflowState';
import { readXliff, type InterchangeStatus, type InterchangeUnit } from '../server/formats/readXliff';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { createLocaleFile } from './helpers/xliff12Files';
import { buildXliff20 } from '../server/formats/xliff20';
import { SMALL_DOC } from './helpers/project';
import { makeTempDir, type TempDir } from './helpers/tempDir';
import { catchWorkbenchError } from './helpers/catchWorkbenchError';

const FIXTURES = join(__dirname, 'fixtures', 'interchange');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const everyState = JSON.parse(fixture('small.every-state.fr.json')) as { units: Array<Pick<Unit, 'id' | 'source'> & Partial<Unit>> };

/** What an import should make of each workflow state the workbench writes. */
const STATUS_OF: Record<WorkflowState, InterchangeStatus> = {
  untranslated: 'untranslated',
  translated: 'translated',
  approved: 'approved',
  drifted: 'needs-review',
  'needs-work': 'needs-review',
};

function smallDocument(): SourceDocument {
  return { ...segmentDocument('small', SMALL_DOC, 'markdown'), version: 1 };
}

function everyStateLocale(): LocaleFile {
  return createLocaleFile('small', 'en', 'fr', everyState.units);
}

/** The fields of units a round trip must keep. */
const essentials = (units: InterchangeUnit[]) => units.map(({ id, source, target, status, revision }) => ({ id, source, target, status, revision }));

describe('readXliff reads back what the workbench writes', () => {
  it('XLIFF 1.2 (buildXliff12): same ids, sources, targets, statuses and revisions', () => {
    const document = smallDocument();
    const file = everyStateLocale();
    const xml = buildXliff12(file, { file: 'small.fr.xlf' }).xml;
    const read = readXliff(xml, { file: 'small.fr.xlf' });
    expect(read).toMatchObject({ version: '1.2', sourceLanguage: 'en', targetLanguage: 'fr', original: 'small', skipped: [] });
    const segments = new Map(document.segments.map((s) => [s.id, s]));
    expect(essentials(read.units)).toEqual(
      file.units.map((unit) => ({
        id: unit.id,
        source: unit.source,
        target: unit.target,
        status: STATUS_OF[workflowState(segments.get(unit.id)!, unit)],
        // The 1.2 writer has no revision count before a unit's first save: its own files read 0 then.
        revision: unit.revision,
      })),
    );
    expect(read.units.find((u) => u.id === 's9634654b')?.notes).toEqual(['« Second » reads better here: there are only two.']);
    expect(read.units.find((u) => u.id === 's17485a63')?.rawState).toBe('needs-review-translation');
    expect(read.units.map((u) => u.line)).toEqual(file.units.map((u) => xml.split('\n').findIndex((line) => line.includes(`<trans-unit id="${u.id}"`)) + 1));
  });

  it('XLIFF 2.0 (buildXliff20): same ids, sources, targets, statuses and revisions', () => {
    const document = smallDocument();
    const file = everyStateLocale();
    const read = readXliff(buildXliff20({ document, file }), { file: 'small.fr.xlf' });
    expect(read).toMatchObject({ version: '2.0', sourceLanguage: 'en', targetLanguage: 'fr', skipped: [] });
    const units = new Map(file.units.map((u) => [u.id, u]));
    expect(essentials(read.units)).toEqual(
      document.segments
        .filter((s) => s.translatable)
        .map((segment) => {
          const unit = units.get(segment.id);
          const state = workflowState(segment, unit);
          return { id: segment.id, source: segment.text, target: state === 'untranslated' ? undefined : unit?.target, status: STATUS_OF[state], revision: unit?.revision };
        }),
    );
    const drifted = read.units.find((u) => u.id === 's17485a63');
    expect(drifted?.rawState).toBe('initial');
    expect(drifted?.notes).toEqual([expect.stringMatching(/^The source text has changed since this was translated.*\nA sub-section$/s)]);
    expect(read.units.find((u) => u.id === 's9634654b')?.notes).toEqual(['« Second » reads better here: there are only two.']);
  });

  it('keeps tricky text exactly in both versions: markup characters, spaces, line ends, CR, non-BMP, control characters (2.0 <cp>)', () => {
    const texts = ['<b>"x" & \'y\'</b> ]]>', '  spaced  \n\nand a trailing newline\n', 'CR LF\r\nlone CR\r.', 'non-BMP 𝔘 😀 and RTL مرحبا', 'line separator \u2028 next line \u0085'];
    const document: SourceDocument = {
      id: 'tricky',
      meta: { title: 'Tricky', language: 'en' },
      version: 1,
      segments: texts.map((text, i) => ({ id: `p${i + 1}`, kind: 'paragraph', text, translatable: true })),
    };
    const file = createLocaleFile('tricky', 'en', 'ar', texts.map((text, i) => ({ id: `p${i + 1}`, source: text, target: `→ ${text}`, state: 'translated' as const, revision: i + 1 })));
    for (const xml of [buildXliff12(file, { file: 'tricky.xlf' }).xml, buildXliff20({ document, file })]) {
      const read = readXliff(xml, { file: 'tricky.xlf' });
      expect(read.units.map((u) => [u.source, u.target])).toEqual(texts.map((t) => [t, `→ ${t}`]));
    }
    const bell: SourceDocument = { ...document, segments: [{ id: 'p1', kind: 'paragraph', text: 'bell \u0007!', translatable: true }] };
    const read = readXliff(buildXliff20({ document: bell, file: createLocaleFile('tricky', 'en', 'ar', [{ id: 'p1', source: 'bell \u0007!', target: 'جرس \u0007!', state: 'translated' }]) }), { file: 'bell.xlf' });
    expect(read.units[0]).toMatchObject({ source: 'bell \u0007!', target: 'جرس \u0007!' });
  });
});

describe('readXliff reads other tools’ files', () => {
  it('XLIFF 1.2 from an HTML extraction: nested groups, two <file>s, inline <g>/<mrk>, codes skipped, translate="no" skipped', () => {
    const read = readXliff(fixture('rainbow-html.fr.xlf'), { file: 'rainbow-html.fr.xlf' });
    expect(read).toMatchObject({ version: '1.2', sourceLanguage: 'en-GB', targetLanguage: 'fr-FR', original: 'about.html' });
    expect(read.units.map(({ id, resname, source, target, status, rawState }) => ({ id, resname, source, target, status, rawState }))).toEqual([
      { id: 'tu-title', resname: 'title', source: 'About the Communards', target: 'À propos des Communards', status: 'approved', rawState: 'signed-off' },
      // <g ctype="bold"> is Markdown's bold.
      { id: 'tu-p1', resname: 'p1', source: 'The **Commune** lasted seventy-two days.', target: 'La **Commune** a duré soixante-douze jours.', status: 'translated', rawState: 'translated' },
      {
        id: 'tu-p3',
        resname: 'p3',
        source: 'Barricades went up in Belleville first.',
        target: "Les barricades se dressèrent d'abord à Belleville.",
        status: 'needs-review',
        rawState: 'needs-review-translation',
      },
      { id: 'tu-footer', resname: 'footer', source: 'Texts under an open licence.', target: 'Texts under an open licence.', status: 'needs-review', rawState: 'new' },
      { id: 'tu-mt', resname: 'mt', source: 'Contact us', target: 'Contactez-nous', status: 'needs-review', rawState: undefined },
      { id: 'tu-empty', resname: undefined, source: 'Last updated', target: undefined, status: 'untranslated', rawState: undefined },
      // Ids are unique per <file>: the second file's tu-p1 is a unit of its own.
      { id: 'tu-p1', resname: undefined, source: 'A second unit with an id already used in the first file.', target: undefined, status: 'untranslated', rawState: undefined },
    ]);
    expect(read.units.map((u) => u.original)).toEqual(['about.html', 'about.html', 'about.html', 'footer.html', 'footer.html', 'footer.html', 'footer.html']);
    const p1 = read.units.find((u) => u.id === 'tu-p1');
    expect(p1?.notes).toEqual(['Keep « soixante-douze » in letters.']);
    expect(p1?.contexts).toEqual(['element: p', 'x-path: /html/body/section[1]/p[1]']);
    expect(p1?.line).toBe(17);
    expect(p1?.revision).toBeUndefined();
    expect(read.skipped).toEqual([
      { id: 'tu-p2', reason: expect.stringContaining('inline code <x>') },
      { id: 'tu-p4', reason: expect.stringContaining('inline code <bpt>') },
      { id: 'tu-code', reason: 'marked translate="no"' },
      { id: 'tu-caption', reason: 'marked translate="no"' },
      { id: 'bin-map', reason: expect.stringContaining('binary unit') },
    ]);
    expect(read.skipped[0].reason).toContain('the workbench stores plain text and Markdown and cannot keep codes');
  });

  it('XLIFF 1.0 without a namespace: final → approved, x-fuzzy → needs-review, no state → translated, no target → untranslated', () => {
    const read = readXliff(fixture('heartsome-1.0.de.xlf'), { file: 'heartsome-1.0.de.xlf' });
    expect(read).toMatchObject({ version: '1.0', sourceLanguage: 'en', targetLanguage: 'de', original: 'leaflet.txt', skipped: [] });
    expect(read.units.map((u) => [u.id, u.status, u.target])).toEqual([
      ['1', 'approved', 'Proletarier aller Länder, vereinigt euch!'],
      ['2', 'needs-review', 'Die Versammlung beginnt um acht.'],
      ['3', 'translated', 'Bringt einen Freund mit.'],
      ['4', 'untranslated', undefined],
    ]);
    expect(read.units[1].notes).toEqual(['95% match from the leaflet memory.']);
  });

  it('XLIFF 2.0 with several segments, ignorables, target order, <pc>/<mrk>/<sm>/<cp>, groups, and a <ph> skipped', () => {
    const read = readXliff(fixture('okapi-2.0.es.xlf'), { file: 'okapi-2.0.es.xlf' });
    expect(read).toMatchObject({ version: '2.0', sourceLanguage: 'en', targetLanguage: 'es', original: 'manifesto.md' });
    expect(read.units.map(({ id, resname, source, target, status, rawState }) => ({ id, resname, source, target, status, rawState }))).toEqual([
      {
        id: 'u1',
        resname: 'intro',
        source: 'The Commune was proclaimed. Paris was free.',
        target: 'Se proclamó la Comuna. París era libre.',
        status: 'approved',
        rawState: 'final reviewed',
      },
      { id: 'u2', resname: undefined, source: 'A barricade in Montmartre.', target: 'Una barricada en Montmartre.', status: 'translated', rawState: 'translated' },
      { id: 'u3', resname: undefined, source: 'Tab\tand bell\u0007.', target: 'Tabulador\ty campana\u0007.', status: 'needs-review', rawState: 'initial' },
      // Translated in part: the untranslated segment leaves a gap a person has to fill.
      { id: 'u4', resname: undefined, source: 'First. Second.', target: 'Primero. ', status: 'needs-review', rawState: 'translated initial' },
      { id: 'u7', resname: undefined, source: 'One. Two.', target: 'Dos. Uno.', status: 'translated', rawState: 'translated' },
      { id: 'u8', resname: undefined, source: 'Nothing translated yet.', target: undefined, status: 'untranslated', rawState: 'final' },
    ]);
    expect(read.units[0].notes).toEqual(['Commune: «la Comuna».', 'Two sentences, two segments.']);
    expect(read.skipped).toEqual([
      { id: 'u5', reason: expect.stringContaining('inline code <ph>') },
      { id: 'u6', reason: 'marked translate="no"' },
    ]);
  });

  it('skips a unit whose <cp> is no Unicode character, and one without id', () => {
    const xml = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr"><file id="f">
<unit id="half"><segment><source>a<cp hex="D800"/></source></segment></unit>
<unit><segment><source>no id</source></segment></unit>
<unit id="ok"><segment state="translated"><source>yes</source><target>oui</target></segment></unit>
</file></xliff>`;
    const read = readXliff(xml, { file: 'cp.xlf' });
    expect(read.units.map((u) => u.id)).toEqual(['ok']);
    expect(read.skipped).toEqual([
      { id: 'half', reason: expect.stringContaining('<cp hex="D800">, which is not a Unicode character') },
      { id: '', reason: 'a <unit> without id (line 3)' },
    ]);
  });

  it('reads several <file>s that agree on their languages, and refuses (422) ones that do not, naming both', () => {
    const two = (second: string) => `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a.md" source-language="en" target-language="fr" datatype="plaintext"><body><trans-unit id="a"><source>One</source><target>Un</target></trans-unit></body></file>
  <file original="b.md" ${second} datatype="plaintext"><body><trans-unit id="b"><source>Two</source><target>Deux</target></trans-unit></body></file>
</xliff>`;
    expect(readXliff(two('source-language="EN" target-language="fr"'), { file: 'two.xlf' }).units.map((u) => u.id)).toEqual(['a', 'b']);
    const err = catchWorkbenchError(() => readXliff(two('source-language="en" target-language="de"'), { file: 'two.xlf' }));
    expect(err).toMatchObject({ status: 422, code: 'xliff-languages-differ' });
    expect(err.message).toBe('two.xlf: its <file> elements disagree on the target language: "fr" (line 2) and "de" (line 3)');
  });
});

describe('unit ids scoped as XLIFF scopes them', () => {
  /** Units in the structure Passolo writes: a <group> per resource, ids counted again in each. */
  const PASSOLO_LIKE = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="Strings.rc" source-language="en-US" target-language="fr-FR" datatype="winres">
    <body>
      <group id="menu" restype="menu">
        <trans-unit id="1"><source>Open</source><target state="translated">Ouvrir</target></trans-unit>
        <trans-unit id="2"><source>Save</source><target state="translated">Enregistrer</target></trans-unit>
      </group>
      <group id="dialog" restype="dialog">
        <trans-unit id="1"><source>Cancel</source><target state="translated">Annuler</target></trans-unit>
        <trans-unit id="2"><source>Close</source><target state="translated">Fermer</target></trans-unit>
        <trans-unit id="2"><source>Twice in one group</source><target state="translated">Deux fois</target></trans-unit>
      </group>
    </body>
  </file>
  <file original="Other.rc" source-language="en-US" target-language="fr-FR" datatype="winres">
    <body>
      <trans-unit id="1"><source>Help</source><target state="translated">Aide</target></trans-unit>
    </body>
  </file>
</xliff>
`;

  it('reads the same id in two groups, in two <file>s, and (another tool\'s file) twice in one group, as different units', () => {
    const read = readXliff(PASSOLO_LIKE, { file: 'strings.fr.xlf' });
    expect(read.units.map((u) => [u.original, u.id, u.source, u.target])).toEqual([
      ['Strings.rc', '1', 'Open', 'Ouvrir'],
      ['Strings.rc', '2', 'Save', 'Enregistrer'],
      ['Strings.rc', '1', 'Cancel', 'Annuler'],
      ['Strings.rc', '2', 'Close', 'Fermer'],
      // Passolo repeats ids within a group: another tool's ids are never matched here, its units are all read.
      ['Strings.rc', '2', 'Twice in one group', 'Deux fois'],
      ['Other.rc', '1', 'Help', 'Aide'],
    ]);
    expect(read.skipped).toEqual([]);
  });

  it('skips a second unit with the same id in one group of a file the workbench wrote, where ids are paragraphs', () => {
    const ours = PASSOLO_LIKE.replace('<body>', '<header><tool tool-id="translation-workbench" tool-name="Translation workbench"/></header><body>');
    const read = readXliff(ours, { file: 'ours.xlf' });
    expect(read.units.map((u) => u.source)).not.toContain('Twice in one group');
    expect(read.skipped).toEqual([{ id: '2', reason: expect.stringMatching(/second unit with this id \(line 12\)/) }]);
  });

  it('matches a unit by id only in the <file> of the document (else by its source)', () => {
    const segments = [
      { id: 'p-open', kind: 'paragraph', text: 'Open', translatable: true },
      { id: '1', kind: 'paragraph', text: 'Something else', translatable: true },
    ] as unknown as Parameters<typeof planImport>[0];
    const read = readXliff(PASSOLO_LIKE, { file: 'strings.fr.xlf' });
    const plan = planImport(segments, new Map(), read, 'manifesto');
    // Unit "1" of a file of several is not paragraph "1" of this document: it is matched by its source.
    expect(plan.newTranslations.map((c) => [c.segment, c.matchedBy, c.target])).toEqual([['p-open', 'source', 'Ouvrir']]);
    // In the document's own <file>, by id: "Open" goes to paragraph "1", and the next "1" of that file is shown as a second one for it.
    const own = planImport(segments, new Map(), read, 'Strings.rc');
    expect(own.newTranslations.map((c) => [c.segment, c.matchedBy, c.target])).toEqual([['1', 'id', 'Ouvrir']]);
    expect(own.conflicts.map((c) => [c.segment, c.reason, c.theirs])).toEqual([['1', 'twice-in-file', 'Annuler']]);
  });
});

describe('readXliff refuses unsafe and broken input', () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = makeTempDir('read-xliff-test');
  });
  afterAll(() => tmp.cleanup());

  const unit = (text: string) => `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a" source-language="en" target-language="fr" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>${text}</source></trans-unit>
    </body>
  </file>
</xliff>`;

  it('a DOCTYPE → 400 xml-doctype-forbidden, with its line and column', () => {
    const err = catchWorkbenchError(() => readXliff(`<?xml version="1.0"?>\n<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "http://www.oasis-open.org/committees/xliff/documents/xliff.dtd">\n${unit('x')}`, { file: 'dtd.xlf' }));
    expect(err).toMatchObject({ status: 400, code: 'xml-doctype-forbidden', details: { file: 'dtd.xlf', line: 2, column: 1 } });
  });

  it('billion laughs (nested internal entities) → refused before any expansion', () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE xliff [',
      '  <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']>',
      unit('&lol9;'),
    ].join('\n');
    const started = Date.now();
    const err = catchWorkbenchError(() => readXliff(laughs, { file: 'laughs.xlf' }));
    expect(err).toMatchObject({ status: 400, code: 'xml-doctype-forbidden' });
    expect(err.message).not.toContain('lollol');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('XXE (an external entity naming a local file) → refused, and the file’s content appears nowhere', () => {
    const secret = `secret-${Math.random().toString(36).slice(2)}`;
    const path = join(tmp.dir, 'passwords.txt');
    writeFileSync(path, secret);
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE xliff [\n  <!ENTITY xxe SYSTEM "file://${path}">\n]>\n${unit('&xxe;')}`;
    const err = catchWorkbenchError(() => readXliff(xxe, { file: 'xxe.xlf' }));
    expect(err).toMatchObject({ status: 400, code: 'xml-doctype-forbidden' });
    expect(JSON.stringify({ message: err.message, details: err.details, stack: err.stack })).not.toContain(secret);
  });

  it('malformed XML → 422 xliff-malformed naming the line and column', () => {
    const err = catchWorkbenchError(() => readXliff(unit('Bread & roses'), { file: 'bad.xlf' }));
    expect(err).toMatchObject({ status: 422, code: 'xliff-malformed', details: { file: 'bad.xlf', line: 4, column: 40 } });
    expect(err.message).toBe('bad.xlf: line 4, column 40: a bare "&" must be written as &amp;');
  });

  it('a root that is not <xliff>, or an unsupported version or namespace → 422 xliff-unsupported', () => {
    const cases: [string, string][] = [
      ['<html><body><p>Hello</p></body></html>', 'not an XLIFF file: the root element is <html>, not <xliff>'],
      [unit('x').replace('version="1.2"', 'version="1.3"'), 'XLIFF version "1.3" is not supported (1.0, 1.1, 1.2, 2.0 and 2.1 are)'],
      ['<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="3.0" srcLang="en"/>', 'XLIFF version "3.0" is not supported in namespace urn:oasis:names:tc:xliff:document:2.0 (only 2.0 and 2.1)'],
      [unit('x').replace('version="1.2"', 'version="2.0"'), 'XLIFF version "2.0" is not supported (1.0, 1.1, 1.2, 2.0 and 2.1 are)'],
      ['<xliff xmlns="urn:example:not-xliff" version="1.2"/>', 'unknown XLIFF namespace urn:example:not-xliff'],
    ];
    for (const [xml, message] of cases) {
      const err = catchWorkbenchError(() => readXliff(xml, { file: 'odd.xlf' }));
      expect(err).toMatchObject({ status: 422, code: 'xliff-unsupported' });
      expect(err.message).toContain(`odd.xlf: ${message}`);
    }
  });
});
