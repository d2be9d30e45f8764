import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../scripts/workbench';
import { planImport } from '../server/domain/planImport';
import { readXliff } from '../server/formats/readXliff';
import { browserAgent, startLocale, useTestApp } from './helpers/app';

// Other tools' states and blank targets (issue 14, points 1 and 2). The files are small ones written
// here after the structure of each tool's format (namespaces and attributes as the tools write them).

const trados = (segs: string, target: string) => `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" version="1.2">
  <file original="a.docx" source-language="en-US" target-language="es-ES" datatype="x-sdlfilterframework2">
    <body><group><trans-unit id="u1">
      <source>First sentence. Second sentence.</source>
      <seg-source><mrk mtype="seg" mid="1">First sentence.</mrk> <mrk mtype="seg" mid="2">Second sentence.</mrk></seg-source>
      <target>${target}</target>
      <sdl:seg-defs>${segs}</sdl:seg-defs>
    </trans-unit></group></body>
  </file>
</xliff>`;

const memoq = (status: string, target: string) => `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff" version="1.2">
  <file original="a.docx" source-language="en" target-language="es" datatype="x-docx">
    <body><trans-unit id="1" mq:status="${status}"><source>A sentence.</source><target>${target}</target></trans-unit></body>
  </file>
</xliff>`;

const plain = (attributes: string, target: string) => `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="a" source-language="en" target-language="es" datatype="plaintext">
    <body><trans-unit id="1"${attributes}><source>A sentence.</source>${target}</trans-unit></body>
  </file>
</xliff>`;

const read = (xml: string) => readXliff(xml, { file: 'test.xlf' }).units[0];

describe('blank targets are never translations', () => {
  it('empty Trados segment markers, a memoQ <target> </target> and whitespace are untranslated, with no target', () => {
    const markers = read(trados('<sdl:seg id="1" conf="Translated"/><sdl:seg id="2" conf="Translated"/>', '<mrk mtype="seg" mid="1"/> <mrk mtype="seg" mid="2"/>'));
    expect(markers).toMatchObject({ status: 'untranslated' });
    expect(markers.target).toBeUndefined();
    const blank = read(memoq('ManuallyConfirmed', ' '));
    expect(blank).toMatchObject({ status: 'untranslated' });
    expect(blank.target).toBeUndefined();
    expect(read(plain(' approved="yes"', '<target state="final">\n\t\t</target>'))).toMatchObject({ status: 'untranslated' });
  });
});

describe("other tools' states", () => {
  it.each([
    ['Draft', 'needs-review'],
    ['Translated', 'translated'],
    ['RejectedTranslation', 'needs-review'],
    ['ApprovedTranslation', 'approved'],
    ['RejectedSignOff', 'needs-review'],
    ['ApprovedSignOff', 'approved'],
  ])('Trados conf="%s" is %s', (conf, status) => {
    expect(read(trados(`<sdl:seg id="1" conf="${conf}"/><sdl:seg id="2" conf="${conf}"/>`, '<mrk mtype="seg" mid="1">Primera.</mrk> <mrk mtype="seg" mid="2">Segunda.</mrk>')).status).toBe(status);
  });

  it('a Trados unit is as far as its least advanced segment; a segment with no level is not confirmed', () => {
    const target = '<mrk mtype="seg" mid="1">Primera.</mrk> <mrk mtype="seg" mid="2">Segunda.</mrk>';
    expect(read(trados('<sdl:seg id="1" conf="ApprovedSignOff"/><sdl:seg id="2" conf="Draft"/>', target)).status).toBe('needs-review');
    expect(read(trados('<sdl:seg id="1" conf="Translated"/><sdl:seg id="2"/>', target)).status).toBe('untranslated');
  });

  it.each([
    ['NotStarted', 'untranslated'],
    ['PartiallyEdited', 'needs-review'],
    ['Rejected', 'needs-review'],
    ['ManuallyConfirmed', 'translated'],
    ['Reviewer1Confirmed', 'approved'],
    ['Proofread', 'approved'],
  ])('memoQ mq:status="%s" is %s', (status, expected) => {
    expect(read(memoq(status, 'Una frase.')).status).toBe(expected);
  });

  it.each([
    [' approved="yes"', 'needs-translation', 'needs-review'],
    [' approved="yes"', 'needs-review-translation', 'needs-review'],
    [' approved="yes"', 'new', 'needs-review'],
    ['', 'x-needs-work', 'needs-review'],
    ['', 'x-rejected', 'needs-review'],
    [' approved="yes"', 'translated', 'approved'],
    ['', 'signed-off', 'approved'],
    ['', 'translated', 'translated'],
  ])('XLIFF 1.2%s with state="%s" is %s', (attributes, state, expected) => {
    expect(read(plain(attributes, `<target state="${state}">Una frase.</target>`)).status).toBe(expected);
  });
});

describe('a file of blank targets, imported', () => {
  const t = useTestApp();
  it('is refused as having nothing to import (422), naming the file; nothing is written', async () => {
    const [first] = await startLocale(t.api, 'es');
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff" version="1.2">
  <file original="small" source-language="en" target-language="es" datatype="plaintext">
    <body><trans-unit id="${first.id}" mq:status="ManuallyConfirmed"><source>${first.source}</source><target> </target></trans-unit></body>
  </file>
</xliff>`;
    const before = t.project.read('locales/es/small.xlf');
    const res = await t.api.post('/api/documents/small/locales/es/import?name=blank.mqxliff').set('Content-Type', 'application/xliff+xml').send(xml).expect(422);
    expect(res.body.error.code).toBe('nothing-to-import');
    expect(t.project.read('locales/es/small.xlf')).toBe(before);
  });
});

describe('matching by source with whitespace as other tools write it', () => {
  const t = useTestApp();
  it('matches a source with a trailing newline or indentation, and trims the target as its source was', async () => {
    const segments = await startLocale(t.api, 'es');
    const second = segments.find((s) => s.source === 'The second paragraph.') as { id: string; source: string };
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="other.docx" source-language="en" target-language="es" datatype="plaintext">
    <body>
      <trans-unit id="t7"><source>
        The   second paragraph.
      </source><target>
        El segundo párrafo.
      </target></trans-unit>
    </body>
  </file>
</xliff>`;
    const preview = await t.api.post('/api/documents/small/locales/es/import?dryRun=1&name=other.xlf').set('Content-Type', 'application/xliff+xml').send(xml).expect(200);
    expect(preview.body.unknown).toEqual([]);
    await t.api.post('/api/documents/small/locales/es/import?name=other.xlf').set('Content-Type', 'application/xliff+xml').send(xml).expect(200);
    const after = (await t.api.get('/api/documents/small/locales/es/segments').expect(200)).body.segments.find((s: { id: string }) => s.id === second.id);
    expect(after.target).toBe('El segundo párrafo.');
  });
});

describe('a file without its version attribute', () => {
  it('is read as the version its namespace names (as Weblate and OmegaT write them)', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1">
  <file original="po" source-language="en" target-language="es" datatype="po"><body>
    <trans-unit id="1"><source>A sentence.</source><target state="translated">Una frase.</target></trans-unit>
  </body></file>
</xliff>`;
    const file = readXliff(xml, { file: 'weblate.xlf' });
    expect(file.version).toBe('1.1');
    expect(file.units[0]).toMatchObject({ status: 'translated', target: 'Una frase.' });
    // With no namespace either, there is nothing to go by: refused, saying which version.
    expect(() => readXliff('<xliff><file source-language="en"><body/></file></xliff>', { file: 'bare.xlf' })).toThrow(/version "" is not supported/);
  });
});

const xliff2 = (segmentAttributes: string, target: string) => `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es">
  <file id="f1">
    <unit id="u1"><segment${segmentAttributes}><source>A sentence.</source><target>${target}</target></segment></unit>
  </file>
</xliff>`;

describe('XLIFF 2.0 subState', () => {
  it('a memoQ or Trados state in subState maps as in their 1.2 files and wins over state; another tool\'s is read by state and reported', () => {
    expect(read(xliff2(' state="translated" subState="memoq:Reviewer1Confirmed"', 'Una frase.')).status).toBe('approved');
    expect(read(xliff2(' state="final" subState="sdl:RejectedSignOff"', 'Una frase.')).status).toBe('needs-review');
    const other = readXliff(xliff2(' state="translated" subState="acme:qa-pending"', 'Una frase.'), { file: 'test.xlf' });
    expect(other.units[0].status).toBe('translated');
    expect(other.unmappedStates).toEqual([{ state: 'subState="acme:qa-pending"', units: 1, readAs: 'translated' }]);
    // A blank target says nothing of a state: untranslated, not reported.
    const blank = readXliff(xliff2(' state="translated" subState="acme:qa-pending"', ' '), { file: 'test.xlf' });
    expect(blank.units[0].status).toBe('untranslated');
    expect(blank.unmappedStates).toBeUndefined();
  });
});

describe('states without a meaning here', () => {
  it('are counted per state with how they were read: a memoQ status, a Trados level, a state of a tool\'s own', () => {
    expect(readXliff(memoq('SomeNewStatus', 'Una frase.'), { file: 'a.mqxliff' }).unmappedStates).toEqual([{ state: 'mq:status="SomeNewStatus"', units: 1, readAs: 'translated' }]);
    expect(readXliff(trados('<sdl:seg id="1" conf="Unspecified"/><sdl:seg id="2" conf="Translated"/>', 'Primera. Segunda.'), { file: 'a.sdlxliff' }).unmappedStates).toEqual([
      { state: 'sdl:seg conf="Unspecified"', units: 1, readAs: 'needs-review' },
    ]);
    expect(readXliff(plain('', '<target state="x-checked">Una frase.</target>'), { file: 'a.xlf' }).unmappedStates).toEqual([{ state: 'state="x-checked"', units: 1, readAs: 'translated' }]);
    // Every state the tables hold is not reported.
    expect(readXliff(plain(' approved="yes"', '<target state="needs-review-translation">Una frase.</target>'), { file: 'a.xlf' }).unmappedStates).toBeUndefined();
  });

  const t = useTestApp();
  it('are listed in the import preview: API, page and CLI', async () => {
    const segments = await startLocale(t.api, 'es');
    const second = segments.find((s) => s.source === 'The second paragraph.') as { id: string; source: string };
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff" version="1.2">
  <file original="other.docx" source-language="en" target-language="es" datatype="plaintext">
    <body><trans-unit id="t1" mq:status="SomeNewStatus"><source>The second paragraph.</source><target>El segundo párrafo.</target></trans-unit></body>
  </file>
</xliff>`;
    const preview = await t.api.post('/api/documents/small/locales/es/import?dryRun=1&name=other.mqxliff').set('Content-Type', 'application/xliff+xml').send(xml).expect(200);
    expect(preview.body.unmappedStates).toEqual([{ state: 'mq:status="SomeNewStatus"', units: 1, readAs: 'translated' }]);
    expect(preview.body.newTranslations).toEqual([expect.objectContaining({ segment: second.id })]);

    // The page a translator sees before confirming.
    const { agent, csrf } = await browserAgent(t.app, 'Admin');
    const page = await agent.post(`/documents/small/locales/es/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from(xml), 'other.mqxliff').expect(200);
    expect(page.text).toContain('id="unmapped-states"');
    expect(page.text).toMatch(/<code>mq:status=&#34;SomeNewStatus&#34;<\/code>: 1 unit, read as Translated/);

    // The CLI's dry run.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'workbench-states-')), 'other.mqxliff');
    writeFileSync(file, xml);
    let out = '';
    expect(await main(['import-xliff', file, '--doc', 'small', '--locale', 'es', '--dry-run', '--by', 'Admin'], { out: (s: string) => (out += s), err: (s: string) => (out += s), env: { WORKBENCH_DATA: t.project.dir } })).toBe(0);
    expect(out).toContain('state without a meaning here: mq:status="SomeNewStatus" (1 unit), read as translated');
  });
});

describe('inline formatting that Markdown holds', () => {
  const v12 = (source: string, target: string) => `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="a.html" source-language="en" target-language="es" datatype="html">
    <body><trans-unit id="1"><source>${source}</source><target>${target}</target></trans-unit></body>
  </file>
</xliff>`;

  it('1.2: <g ctype="bold">/italic become ** and *, spaces kept outside; a code holding a Markdown delimiter is that delimiter', () => {
    expect(read(v12('A <g id="1" ctype="bold">bold </g>word and <g id="2" ctype="x-html-em">this</g>.', 'Una <g id="1" ctype="bold">palabra</g>.'))).toMatchObject({
      source: 'A **bold** word and *this*.',
      target: 'Una **palabra**.',
    });
    expect(read(v12('Some <bpt id="1">**</bpt>strong<ept id="1">**</ept> text.', 'Un texto <bpt id="1">**</bpt>fuerte<ept id="1">**</ept>.')).target).toBe('Un texto **fuerte**.');
    // An HTML tag is not Markdown: the unit is still left out, the code named.
    const html = readXliff(v12('Some <bpt id="1">&lt;b&gt;</bpt>strong<ept id="1">&lt;/b&gt;</ept> text.', 'x'), { file: 'a.xlf' });
    expect(html.units).toEqual([]);
    expect(html.skipped[0].reason).toContain('inline code <bpt>');
  });

  it('2.0: <pc> by its Markdown original data (as Okapi\'s Markdown filter writes it) or its subType; <ph> of a link\'s brackets', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es">
  <file id="f1" original="small.md">
    <unit id="u1">
      <originalData><data id="d1">**</data><data id="d2">[</data><data id="d3">](https://example.org/a)</data></originalData>
      <segment state="translated">
        <source>The <pc id="1" dataRefStart="d1" dataRefEnd="d1">first</pc> paragraph, with a <ph id="2" dataRef="d2"/>link<ph id="3" dataRef="d3"/>.</source>
        <target>El <pc id="1" dataRefStart="d1" dataRefEnd="d1">primer</pc> párrafo, con un <ph id="2" dataRef="d2"/>enlace<ph id="3" dataRef="d3"/> y <pc id="4" subType="xlf:i">esto</pc>.</target>
      </segment>
    </unit>
  </file>
</xliff>`;
    expect(read(xml)).toMatchObject({
      source: 'The **first** paragraph, with a [link](https://example.org/a).',
      target: 'El **primer** párrafo, con un [enlace](https://example.org/a) y *esto*.',
    });
  });

  it('a unit nesting wrappers deeper than any tool does is left out, not a crash', () => {
    const deep = `${'<g id="1">'.repeat(200)}x${'</g>'.repeat(200)}`;
    const file = readXliff(v12(deep, 'y'), { file: 'a.xlf' });
    expect(file.units).toEqual([]);
    expect(file.skipped[0].reason).toContain('more than 64 deep');
  });

  const t = useTestApp();
  it('a paragraph with a link, through a tool that kept it as codes, imports by its source with the link in its translation', async () => {
    const segments = await startLocale(t.api, 'es');
    const first = segments.find((s) => s.source.startsWith('The first paragraph')) as { id: string; source: string };
    expect(first.source).toBe('The first paragraph, with a [link](https://example.org/a).');
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es">
  <file id="f1" original="small.md">
    <unit id="tu9">
      <originalData><data id="d2">[</data><data id="d3">](https://example.org/a)</data></originalData>
      <segment state="translated">
        <source>The first paragraph, with a <ph id="2" dataRef="d2"/>link<ph id="3" dataRef="d3"/>.</source>
        <target>El primer párrafo, con un <ph id="2" dataRef="d2"/>enlace<ph id="3" dataRef="d3"/>.</target>
      </segment>
    </unit>
  </file>
</xliff>`;
    await t.api.post('/api/documents/small/locales/es/import?name=okapi.xlf').set('Content-Type', 'application/xliff+xml').send(xml).expect(200);
    const after = (await t.api.get('/api/documents/small/locales/es/segments').expect(200)).body.segments.find((s: { id: string }) => s.id === first.id);
    expect(after.target).toBe('El primer párrafo, con un [enlace](https://example.org/a).');
  });
});

describe('Phrase (Memsource) .mxliff', () => {
  const mxliff = (confirmed: string, target: string) => `<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:m="http://www.memsource.com/mxlf/2.0" version="1.2" m:version="2.4" m:level="2">
  <file original="a.docx" source-language="en" target-language="es" datatype="x-undefined">
    <body><group id="0"><trans-unit id="0" xml:space="preserve" m:score="0.0" m:confirmed="${confirmed}" m:locked="false"><source>A sentence.</source><target>${target}</target></trans-unit></group></body>
  </file>
</xliff>`;
  it('m:confirmed="0" is a draft (needs work), a workflow step\'s confirmation is translated, an empty target untranslated', () => {
    expect(read(mxliff('0', 'Una frase.')).status).toBe('needs-review');
    expect(read(mxliff('1', 'Una frase.')).status).toBe('translated');
    expect(read(mxliff('2', 'Una frase.')).status).toBe('translated');
    expect(read(mxliff('2', '')).status).toBe('untranslated');
  });
});

describe('matching by source with the minor edits drift ignores', () => {
  const segments = [{ id: 'p1', kind: 'paragraph', text: 'The “Commune” — it lasted seventy-two days…', translatable: true }] as unknown as Parameters<typeof planImport>[0];
  const file = readXliff(plain('', '<target>La «Comuna» — duró setenta y dos días…</target>').replace('<source>A sentence.</source>', '<source>The "Commune" - it lasted seventy-two days...</source>'), { file: 'a.xlf' });

  it('matches a source that differs only in quotes, dashes or an ellipsis', () => {
    expect(planImport(segments, new Map(), file, 'doc').newTranslations.map((c) => [c.segment, c.matchedBy])).toEqual([['p1', 'source']]);
  });

  it('does not when the project counts those edits (minorEdits off in workbench.config.json)', () => {
    const plan = planImport(segments, new Map(), file, 'doc', { quotes: false, dashes: false, ellipsis: false });
    expect(plan.newTranslations).toEqual([]);
    expect(plan.unknown.map((u) => u.id)).toEqual(['1']);
  });
});
