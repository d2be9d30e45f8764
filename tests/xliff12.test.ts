import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import type { Node } from '@xmldom/xmldom';
import type { LocaleFile } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { parseXliff12 } from '../server/formats/parseXliff12';
import { updateXliff12 } from '../server/formats/updateXliff12';
import type { ParsedXliff12 } from '../server/formats/xliff12Model';
import type { HeldXliff12 } from '../server/formats/xliff12Spans';
import { createLocaleFile, domHeld, serializeXliff12 } from './helpers/xliff12Files';
import { useXliff12SchemaCheck } from './helpers/xliff12SchemaCheck';
import { requireXmllint } from './helpers/xmllint';
import { catchWorkbenchError } from './helpers/catchWorkbenchError';

const { expectSchemaValid, tempDir } = useXliff12SchemaCheck('xliff12-test');

/** Runs `fn`, expecting a WorkbenchError, and returns it. */
const TRICKY = [
  '&amp; is literal text, not an entity',
  '<script>alert("x & y")</script>',
  `"double" and 'single' quotes`,
  'ends with a newline\n',
  '   leading and trailing spaces   ',
  '\ttabs\tand\n\nblank lines\n',
  'non-BMP: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 𠜎',
  'RTL: مرحبا بالعالم — שלום עולם \u200F!',
  'CR LF\r\nand a lone CR\r.',
  'line separator \u2028 paragraph separator \u2029 next line \u0085',
  'CDATA end ]]> and > alone',
  'replacement character \uFFFD is content too',
];

function trickyModel(): LocaleFile {
  return createLocaleFile(
    'tricky',
    'en',
    'fr',
    TRICKY.map((text, i) => ({
      id: `s${i + 1}`,
      source: text,
      target: `→ ${text}`,
      state: 'translated' as const,
      revision: i,
    })),
  );
}

describe('xmllint', () => {
  it('is installed (install libxml2-utils otherwise)', () => {
    expect(requireXmllint).not.toThrow();
  });
});

describe('serializeXliff12 (new document) + parseXliff12', () => {
  it('round-trips tricky text exactly', () => {
    const model = trickyModel();
    const xml = serializeXliff12(model);
    expect(parseXliff12(xml, { file: 'tricky.xlf' }).model).toEqual(model);
    expect(xml).toContain('&amp;amp; is literal text');
    expect(xml).toContain('&lt;script>'.replace('>', '&gt;'));
    expect(xml).toContain('<source>ends with a newline\n</source>');
    expect(xml).toContain('<source>   leading and trailing spaces   </source>');
    expect(xml).toContain('CR LF&#13;\nand a lone CR&#13;.');
    expectSchemaValid(xml);
  });

  it('writes the documented skeleton, pretty but without whitespace inside text', () => {
    const model = createLocaleFile('doc', 'en', 'de', [{ id: 'p1', source: 'One', target: 'Eins', state: 'translated' }]);
    const xml = serializeXliff12(model);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">',
        '  <file original="doc" source-language="en" target-language="de" datatype="plaintext" xml:space="preserve">',
        '    <header>',
        '      <tool tool-id="translation-workbench" tool-name="Translation workbench"/>',
        '    </header>',
        '    <body>',
        '      <trans-unit id="p1" xml:space="preserve">',
        '        <source>One</source>',
        '        <target state="translated">Eins</target>',
        '      </trans-unit>',
        '    </body>',
        '  </file>',
        '</xliff>',
        '',
      ].join('\n'),
    );
    expectSchemaValid(xml);
  });

  it('writes untranslated units as an empty target with state="needs-translation" and reads them back untranslated', () => {
    const model = createLocaleFile('doc', 'en', 'es', [
      { id: 'a', source: 'Not yet' },
      { id: 'b', source: 'Empty on purpose', target: '', state: 'translated' },
    ]);
    const xml = serializeXliff12(model);
    expect(xml).toContain('<target state="needs-translation"/>');
    const parsed = parseXliff12(xml, { file: 'doc.xlf' }).model;
    expect(parsed.units[0]).toEqual({ id: 'a', source: 'Not yet', state: 'needs-translation', approved: false, revision: 0, notes: [] });
    expect(parsed.units[0].target).toBeUndefined();
    expect(parsed.units[1].target).toBe('');
    expectSchemaValid(xml);
  });

  it('round-trips notes, approval, states and revisions', () => {
    const model = createLocaleFile('doc', 'en', 'es', [
      {
        id: 'a',
        source: 'Source',
        target: 'Fuente',
        state: 'signed-off',
        approved: true,
        revision: 12,
        notes: [
          { text: 'Check the term.', from: 'reviewer', priority: 2, annotates: 'target' },
          { text: 'Plain note' },
          { text: '  spaced <note> & "quoted"\n' },
        ],
      },
      { id: 'b', source: 'No revision', target: 'Sin revisión', state: 'needs-review-translation' },
    ]);
    const xml = serializeXliff12(model);
    expect(xml).toContain('<trans-unit id="a" xml:space="preserve" approved="yes">');
    expect(xml).toContain('<note from="reviewer" priority="2" annotates="target">Check the term.</note>');
    expect(xml).toContain('<count-group name="workbench:a">');
    expect(xml).toContain('<count count-type="x-revision" unit="x-edit">12</count>');
    // No count-group for revision 0.
    expect(xml.match(/<count-group/g)).toHaveLength(1);
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model).toEqual(model);
    expectSchemaValid(xml);
  });

  it('writes an empty document that validates', () => {
    const xml = serializeXliff12(createLocaleFile('empty', 'en', 'pt-BR', []));
    expect(parseXliff12(xml, { file: 'empty.xlf' }).model.units).toEqual([]);
    expectSchemaValid(xml);
  });

  it('refuses text XML cannot hold instead of writing a broken file', () => {
    const bad = createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'ok', target: 'NUL \u0000 here', state: 'translated' }]);
    const err = catchWorkbenchError(() => serializeXliff12(bad));
    expect(err.status).toBe(400);
    expect(err.code).toBe('xml-invalid-char');
    const lone = createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'lone surrogate \uD800' }]);
    expect(catchWorkbenchError(() => serializeXliff12(lone)).code).toBe('xml-invalid-char');
    const dup = createLocaleFile('doc', 'en', 'es', [
      { id: 'a', source: 'one' },
      { id: 'a', source: 'two' },
    ]);
    expect(catchWorkbenchError(() => serializeXliff12(dup)).code).toBe('xliff-invalid-model');
  });
});

const HAND_EDITED = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Exported by SomeTool 3.1, then edited by hand -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:example">
  <file original="handbook" source-language="en" target-language="es" datatype="plaintext" xml:space="preserve" product-name="Handbook">
    <header>
      <tool tool-id="sometool" tool-name="SomeTool" tool-version="3.1"/>
      <note>Header note kept as is</note>
    </header>
    <body>
      <!-- first chapter -->
      <trans-unit id="intro" resname="chapter-1-intro" x:flag="keep-me" maxwidth="80">
        <source>Welcome to <g id="1">the</g> handbook.</source>
        <target state="needs-review-translation" state-qualifier="leveraged-tm" xml:lang="es">Bienvenido al manual.</target>
        <context-group purpose="location" name="ctx">
          <context context-type="sourcefile">handbook.md</context>
        </context-group>
        <alt-trans match-quality="87%" origin="tm">
          <source>Welcome to the guide.</source>
          <target>Bienvenido a la guía.</target>
        </alt-trans>
        <note xml:lang="en" from="pm">Keep it short.</note>
        <x:meta kind="custom">foreign payload</x:meta>
      </trans-unit>
      <group id="g1" resname="chapter-2">
        <note>Group note</note>
        <trans-unit id="grouped">
          <source>Inside a group.</source>
          <target state="translated">Dentro de un grupo.</target>
        </trans-unit>
      </group>
      <trans-unit id="legacy" translate="no">
        <source>Only in the file.</source>
      </trans-unit>
      <bin-unit id="logo" mime-type="image/png">
        <bin-source><external-file href="logo.png"/></bin-source>
      </bin-unit>
    </body>
  </file>
</xliff>
`;

describe('serializeXliff12 (existing document): lossless update in place', () => {
  it('reads a hand-edited file: groups, inline markup as text, missing target, notes', () => {
    const { model } = parseXliff12(HAND_EDITED, { file: 'handbook.xlf' });
    expect(model.document).toBe('handbook');
    expect(model.sourceLanguage).toBe('en');
    expect(model.targetLanguage).toBe('es');
    expect(model.units.map((u) => u.id)).toEqual(['intro', 'grouped', 'legacy']);
    expect(model.units[0]).toEqual({
      id: 'intro',
      source: 'Welcome to the handbook.',
      target: 'Bienvenido al manual.',
      state: 'needs-review-translation',
      approved: false,
      revision: 0,
      notes: [{ text: 'Keep it short.', from: 'pm' }],
    });
    expect(model.units[2]).toEqual({ id: 'legacy', source: 'Only in the file.', approved: false, revision: 0, notes: [] });
  });

  it('is byte-stable: re-serializing an unchanged model reproduces the file exactly', () => {
    const { model, dom } = parseXliff12(HAND_EDITED, { file: 'handbook.xlf' });
    // The first write gives each unit xml:space="preserve" (Translate Toolkit reads it per unit), and changes nothing else.
    const first = serializeXliff12(model, dom);
    expect(first).toBe(HAND_EDITED.replace(/(<trans-unit [^>]*?)(\/?>)/g, '$1 xml:space="preserve"$2'));
    const read = parseXliff12(first, { file: 'handbook.xlf' });
    expect(serializeXliff12(read.model, read.dom)).toBe(first);
    const fresh = serializeXliff12(trickyModel());
    const again = parseXliff12(fresh, { file: 't.xlf' });
    expect(serializeXliff12(again.model, again.dom)).toBe(fresh);
  });

  it('keeps unknown elements, attributes, comments and units while applying the model', () => {
    const { model, dom } = parseXliff12(HAND_EDITED, { file: 'handbook.xlf' });
    const intro = model.units[0];
    intro.target = 'Te damos la bienvenida al manual.';
    intro.state = 'translated';
    intro.approved = true;
    intro.revision = 4;
    intro.notes = [{ text: 'Reworded.', from: 'translator' }];
    model.units[1].target = 'Dentro de un grupo (revisado).';
    model.units[1].revision = 1;
    // "legacy" is not in the model any more: it must be kept, not dropped.
    model.units = [
      createLocaleFile('handbook', 'en', 'es', [{ id: 'preface', source: 'Preface.' }]).units[0],
      intro,
      model.units[1],
      createLocaleFile('handbook', 'en', 'es', [{ id: 'grouped-2', source: 'Also grouped.', target: 'También.', state: 'translated' }]).units[0],
    ];

    const xml = serializeXliff12(model, dom);

    for (const kept of [
      '<!-- Exported by SomeTool 3.1, then edited by hand -->',
      '<!-- first chapter -->',
      'product-name="Handbook"',
      '<tool tool-id="sometool" tool-name="SomeTool" tool-version="3.1"/>',
      '<note>Header note kept as is</note>',
      'resname="chapter-1-intro" x:flag="keep-me" maxwidth="80"',
      'state-qualifier="leveraged-tm" xml:lang="es"',
      '<context context-type="sourcefile">handbook.md</context>',
      '<alt-trans match-quality="87%" origin="tm">',
      '<target>Bienvenido a la guía.</target>',
      '<x:meta kind="custom">foreign payload</x:meta>',
      '<group id="g1" resname="chapter-2">',
      '<note>Group note</note>',
      '<trans-unit id="legacy" translate="no">',
      '<bin-source><external-file href="logo.png"/></bin-source>',
      // Unchanged source keeps its inline markup.
      '<source>Welcome to <g id="1">the</g> handbook.</source>',
    ]) {
      expect(xml).toContain(kept);
    }
    expect(xml).toContain('<trans-unit id="intro" resname="chapter-1-intro" x:flag="keep-me" maxwidth="80" xml:space="preserve" approved="yes">');
    expect(xml).toContain('<target state="translated" state-qualifier="leveraged-tm" xml:lang="es">Te damos la bienvenida al manual.</target>');
    expect(xml).not.toContain('Keep it short.');
    expect(xml).toContain('<note from="translator">Reworded.</note>');

    const reread = parseXliff12(xml, { file: 'handbook.xlf' }).model;
    // New units: "preface" first in <body>, "grouped-2" right after "grouped" inside the group.
    expect(reread.units.map((u) => u.id)).toEqual(['preface', 'intro', 'grouped', 'grouped-2', 'legacy']);
    expect(reread.units[1]).toEqual(intro);
    expect(reread.units[2].target).toBe('Dentro de un grupo (revisado).');
    expect(reread.units[2].revision).toBe(1);
    expect(reread.units[3]).toMatchObject({ id: 'grouped-2', target: 'También.', state: 'translated' });
    expect(reread.units[4]).toEqual({ id: 'legacy', source: 'Only in the file.', approved: false, revision: 0, notes: [] });
    expect(xml).toMatch(/<group id="g1" resname="chapter-2">[\s\S]*id="grouped"[\s\S]*id="grouped-2"[\s\S]*<\/group>/);
    // Schema order inside the updated unit: source, target, then the rest, foreign elements last.
    expect(xml).toMatch(/<source>Welcome[\s\S]*<target [\s\S]*<context-group[\s\S]*<alt-trans[\s\S]*<note from="translator">[\s\S]*<count-group name="workbench:intro">[\s\S]*<x:meta/);
  });

  it('keeps an updated file valid against the strict schema', () => {
    const base = serializeXliff12(
      createLocaleFile('doc', 'en', 'es', [
        { id: 'a', source: 'A', target: 'A1', state: 'translated', notes: [{ text: 'old' }] },
        { id: 'b', source: 'B' },
      ]),
    );
    const { model, dom } = parseXliff12(base, { file: 'doc.xlf' });
    model.units[0].notes = [{ text: 'new', from: 'me', priority: 1 }, { text: 'second' }];
    model.units[0].revision = 2;
    model.units[1].target = 'B1';
    model.units[1].state = 'translated';
    model.units.push(...createLocaleFile('doc', 'en', 'es', [{ id: 'c', source: 'C', revision: 1 }]).units);
    const xml = serializeXliff12(model, dom);
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model).toEqual(model);
    expectSchemaValid(xml);
  });

  it('reads a shared count-group name "workbench" and writes a schema-valid unique name back', () => {
    const legacy = serializeXliff12(
      createLocaleFile('doc', 'en', 'es', [
        { id: 'a', source: 'A', target: 'A1', state: 'translated', revision: 3 },
        { id: 'b', source: 'B', target: 'B1', state: 'translated', revision: 5 },
      ]),
    ).replace(/name="workbench:[ab]"/g, 'name="workbench"');
    const { model, dom } = parseXliff12(legacy, { file: 'doc.xlf' });
    expect(model.units.map((u) => u.revision)).toEqual([3, 5]);
    model.units[0].revision = 4;
    const xml = serializeXliff12(model, dom);
    expect(xml).toContain('<count-group name="workbench:a">');
    expect(xml).toContain('<count-group name="workbench:b">');
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model.units.map((u) => u.revision)).toEqual([4, 5]);
    expectSchemaValid(xml);
  });

  it('leaves a unit without <target> without one while it stays untranslated', () => {
    const { model, dom } = parseXliff12(HAND_EDITED, { file: 'handbook.xlf' });
    const xml = serializeXliff12(model, dom);
    expect(xml).toMatch(/<trans-unit id="legacy" translate="no" xml:space="preserve">\s*<source>Only in the file.<\/source>\s*<\/trans-unit>/);
  });
});

describe('parseXliff12: hostile and broken input', () => {
  it('refuses a DOCTYPE before xmldom sees it', () => {
    const spy = jest.spyOn(DOMParser.prototype, 'parseFromString');
    try {
      const err = catchWorkbenchError(() =>
        parseXliff12('<?xml version="1.0"?>\n<!DOCTYPE xliff>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>', { file: 'd.xlf' }),
      );
      expect(err.status).toBe(400);
      expect(err.code).toBe('xml-doctype-forbidden');
      expect(err.message).toContain('d.xlf');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    ['lower-case doctype', '<!doctype xliff>\n<xliff/>'],
    ['after a BOM, comment and PI', '\uFEFF<?xml version="1.0"?><!-- hi --><?pi x?>\n<!DOCTYPE xliff SYSTEM "x.dtd"><xliff/>'],
    ['after the root element', '<xliff/>\n<!DOCTYPE xliff>'],
    ['inside the root element', '<xliff><!DOCTYPE xliff></xliff>'],
  ])('refuses a DOCTYPE %s', (_name, content) => {
    const err = catchWorkbenchError(() => parseXliff12(content, { file: 'd.xlf' }));
    expect(err.code).toBe('xml-doctype-forbidden');
    expect(err.status).toBe(400);
  });

  it('refuses billion laughs quickly', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']>',
      '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="en" target-language="es" datatype="plaintext"><body><trans-unit id="a"><source>&lol9;</source></trans-unit></body></file></xliff>',
    ].join('\n');
    const started = Date.now();
    const err = catchWorkbenchError(() => parseXliff12(lol, { file: 'lol.xlf' }));
    expect(err.code).toBe('xml-doctype-forbidden');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses XXE and never reads the referenced file', () => {
    const secretPath = join(tempDir(), 'secret.txt');
    const secret = `TOP-SECRET-${Math.random().toString(36).slice(2)}`;
    writeFileSync(secretPath, secret);
    const xxe = [
      '<?xml version="1.0"?>',
      `<!DOCTYPE xliff [ <!ENTITY xxe SYSTEM "file://${secretPath}"> ]>`,
      '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="en" target-language="es" datatype="plaintext"><body><trans-unit id="a"><source>&xxe;</source><target>&xxe;</target></trans-unit></body></file></xliff>',
    ].join('\n');
    const err = catchWorkbenchError(() => parseXliff12(xxe, { file: 'xxe.xlf' }));
    expect(err.code).toBe('xml-doctype-forbidden');
    const everything = JSON.stringify({ message: err.message, details: err.details, stack: err.stack, cause: String(err.cause) });
    expect(everything).not.toContain(secret);
  });

  it('does not mistake a DOCTYPE mentioned in a comment or CDATA for one', () => {
    const xml = serializeXliff12(createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: '<!DOCTYPE html> is how HTML starts', target: 'x', state: 'translated' }]));
    const withComment = xml.replace('<body>', '<body><!-- <!DOCTYPE not really> -->');
    const withCdata = withComment.replace('<target state="translated">x</target>', '<target state="translated"><![CDATA[<!DOCTYPE x>]]></target>');
    const { model } = parseXliff12(withCdata, { file: 'doc.xlf' });
    expect(model.units[0].source).toBe('<!DOCTYPE html> is how HTML starts');
    expect(model.units[0].target).toBe('<!DOCTYPE x>');
  });

  const BROKEN = [
    '<?xml version="1.0" encoding="UTF-8"?>', // 1
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">', // 2
    '  <file original="doc" source-language="en" target-language="es" datatype="plaintext">', // 3
    '    <body>', // 4
    '      <trans-unit id="a">', // 5
    '        <source>Fine</source>', // 6
    '        <target state="translated">Broken</targte>', // 7
    '      </trans-unit>', // 8
    '    </body>', // 9
    '  </file>', // 10
    '</xliff>', // 11
    '',
  ].join('\n');

  it('reports a mismatched end tag at the right line and column', () => {
    const err = catchWorkbenchError(() => parseXliff12(BROKEN, { file: 'locales/es/doc.xlf' }));
    expect(err.status).toBe(422);
    expect(err.code).toBe('xliff-malformed');
    expect(err.details).toEqual({ file: 'locales/es/doc.xlf', line: 7, column: 42 });
    expect(err.message).toMatch(/^locales\/es\/doc\.xlf: line 7, column 42: .*<\/targte>.*<target>/);
  });

  it.each([
    ['a bare ampersand', BROKEN.replace('Broken</targte>', 'Salt & pepper</target>'), 7, 41],
    ['an undefined entity', BROKEN.replace('Broken</targte>', 'x &nbsp; y</target>'), 7, 38],
    ['a "<" in text', BROKEN.replace('Broken</targte>', '1 < 2</target>'), 7, 38],
    ['a duplicate attribute', BROKEN.replace('Broken</targte>', 'x</target>').replace('<trans-unit id="a">', '<trans-unit id="a" id="b">'), 5, 26],
    ['an unquoted attribute', BROKEN.replace('Broken</targte>', 'x</target>').replace('id="a"', 'id=a'), 5, 22],
    ['an unclosed element', BROKEN.replace('Broken</targte>', 'x</target>').replace('</xliff>', ''), 12, 1],
    ['text after the root', `${BROKEN.replace('Broken</targte>', 'x</target>')}junk`, 12, 1],
    ['a control character', BROKEN.replace('Broken</targte>', 'bell \u0007</target>'), 7, 41],
    ['an unbound namespace prefix', BROKEN.replace('Broken</targte>', 'x</target><y:z/>'), 7, 46],
  ])('reports %s with its position', (_name, content, line, column) => {
    const err = catchWorkbenchError(() => parseXliff12(content, { file: 'doc.xlf' }));
    expect(err.code).toBe('xliff-malformed');
    expect(err.status).toBe(422);
    expect(err.details).toEqual({ file: 'doc.xlf', line, column });
    expect(err.message.startsWith(`doc.xlf: line ${line}, column ${column}: `)).toBe(true);
  });

  it('says which prefix is undeclared, on an element or an attribute, instead of the DOM library\'s NamespaceError', () => {
    const onElement = catchWorkbenchError(() => parseXliff12(BROKEN.replace('Broken</targte>', 'x</target><sdl:seg-defs/>'), { file: 'doc.sdlxliff' }));
    expect(onElement.message).toMatch(/^doc\.sdlxliff: line 7, column \d+: the prefix "sdl" of "sdl:seg-defs" is not declared: the file has no xmlns:sdl="…" for it/);
    expect(onElement.message).not.toContain('NamespaceError');
    const onAttribute = catchWorkbenchError(() => parseXliff12(BROKEN.replace('Broken</targte>', 'x</target>').replace('<trans-unit id="a">', '<trans-unit id="a" mq:status="Confirmed">'), { file: 'doc.mqxliff' }));
    expect(onAttribute.message).toMatch(/line \d+, column \d+: the prefix "mq" of "mq:status" is not declared/);
  });

  it.each([
    ['a wrong root element', '<xliffx version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>'],
    ['a missing namespace', '<xliff version="1.2"><file original="a" source-language="en" target-language="es" datatype="plaintext"><body/></file></xliff>'],
    ['XLIFF 2.0', '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"><file id="f"/></xliff>'],
    ['a wrong version', '<xliff version="1.1" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="en" target-language="es" datatype="plaintext"><body/></file></xliff>'],
    ['no <file>', '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>'],
    ['no target-language', '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="en" datatype="plaintext"><body/></file></xliff>'],
    [
      'a duplicate unit id',
      '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="en" target-language="es" datatype="plaintext"><body><trans-unit id="x"><source/></trans-unit><trans-unit id="x"><source/></trans-unit></body></file></xliff>',
    ],
  ])('rejects %s as xliff-invalid, naming the file', (_name, content) => {
    const err = catchWorkbenchError(() => parseXliff12(content, { file: 'locales/es/odd.xlf' }));
    expect(err.status).toBe(422);
    expect(err.code).toBe('xliff-invalid');
    expect(err.message).toContain('locales/es/odd.xlf');
  });
});

describe('drift: previous version, source versions', () => {
  /** Every unit drifted: its previous source is tricky text, half of them with a previous translation. */
  function driftedModel(): LocaleFile {
    const model = createLocaleFile(
      'drift',
      'en',
      'fr',
      TRICKY.map((text, i) => ({
        id: `s${i + 1}`,
        source: `New: ${text}`,
        target: `→ ${text}`,
        state: 'needs-review-translation' as const,
        revision: i % 3,
        sourceVersion: i + 1,
        previous: i % 2 === 0 ? { source: text, target: `→ ${text}` } : { source: text },
        notes: i === 3 ? [{ text: 'a note', from: 'me' }] : [],
      })),
    );
    model.sourceVersion = 42;
    return model;
  }

  it('round-trips previous (with and without previous target, tricky text) and source versions, schema-valid', () => {
    const model = driftedModel();
    const xml = serializeXliff12(model);
    const parsed = parseXliff12(xml, { file: 'drift.xlf' });
    expect(parsed.model).toEqual(model);
    expect(parsed.model.units[1].previous).toEqual({ source: TRICKY[1] });
    expect(parsed.model.units[1].previous).not.toHaveProperty('target');
    expect(parsed.model.sourceVersion).toBe(42);
    expect(xml).toContain('<alt-trans alttranstype="previous-version">');
    // The schema makes <target> mandatory in <alt-trans>: no previous translation is an empty one.
    expect(xml).toMatch(/<alt-trans alttranstype="previous-version">\s*<source>&lt;script&gt;alert\("x &amp; y"\)&lt;\/script&gt;<\/source>\s*<target\/>\s*<\/alt-trans>/);
    expect(xml).toContain('<count count-type="x-source-version" unit="x-version">1</count>');
    expect(xml).toMatch(/<header>\s*<tool [^>]*\/>\s*<count-group name="workbench:file">\s*<count count-type="x-source-version" unit="x-version">42<\/count>\s*<\/count-group>\s*<\/header>/);
    // Byte-stable when nothing changes.
    expect(serializeXliff12(parsed.model, parsed.dom)).toBe(xml);
    expectSchemaValid(xml);
  });

  it('puts the source version next to the revision in the unit\'s own count-group', () => {
    const xml = serializeXliff12(createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'A', target: 'A1', state: 'translated', revision: 3, sourceVersion: 2 }]));
    expect(xml).toMatch(
      /<count-group name="workbench:a">\s*<count count-type="x-revision" unit="x-edit">3<\/count>\s*<count count-type="x-source-version" unit="x-version">2<\/count>\s*<\/count-group>/,
    );
    expect(xml.match(/<count-group/g)).toHaveLength(1);
    expectSchemaValid(xml);
  });

  it('reads an empty previous target back as none (and writes an empty one as empty)', () => {
    const model = createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'A', previous: { source: 'old', target: '' } }]);
    const xml = serializeXliff12(model);
    expect(xml).toMatch(/<source>old<\/source>\s*<target\/>/);
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model.units[0].previous).toEqual({ source: 'old' });
  });

  const WITH_OTHER_ALT_TRANS = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="doc" source-language="en" target-language="es" datatype="plaintext" xml:space="preserve">
    <header>
      <tool tool-id="othertool" tool-name="Other tool"/>
      <note>Hand-written header note</note>
    </header>
    <body>
      <trans-unit id="a" xml:space="preserve">
        <source>New text.</source>
        <target state="needs-review-translation">Texto viejo.</target>
        <alt-trans alttranstype="proposal" origin="tm" match-quality="80">
          <source>Newer text.</source>
          <target>Texto más nuevo.</target>
        </alt-trans>
        <alt-trans origin="mt">
          <target>Texto nuevo.</target>
        </alt-trans>
        <alt-trans alttranstype="previous-version" tool-id="othertool">
          <source>Old text.</source>
          <target>Texto viejo.</target>
          <note>kept inside</note>
        </alt-trans>
        <alt-trans alttranstype="rejected">
          <target>Rechazado.</target>
        </alt-trans>
        <note from="pm">Unit note</note>
      </trans-unit>
    </body>
  </file>
</xliff>
`;

  it('reads the first previous-version alt-trans, and updates only its texts', () => {
    expectSchemaValid(WITH_OTHER_ALT_TRANS);
    const { model, dom } = parseXliff12(WITH_OTHER_ALT_TRANS, { file: 'doc.xlf' });
    expect(model.units[0].previous).toEqual({ source: 'Old text.', target: 'Texto viejo.' });
    expect(serializeXliff12(model, dom)).toBe(WITH_OTHER_ALT_TRANS);
    model.units[0].previous = { source: 'Older text.', target: 'Texto viejo.' };
    const xml = serializeXliff12(model, dom);
    expect(xml).toBe(WITH_OTHER_ALT_TRANS.replace('<source>Old text.</source>', '<source>Older text.</source>'));
    expectSchemaValid(xml);
  });

  it('reads another tool\'s previous-version without <source> as an empty previous source, and leaves it so', () => {
    const noSource = WITH_OTHER_ALT_TRANS.replace('<source>Old text.</source>\n          ', '');
    const { model, dom } = parseXliff12(noSource, { file: 'doc.xlf' });
    expect(model.units[0].previous).toEqual({ source: '', target: 'Texto viejo.' });
    model.units[0].revision = 1;
    const xml = serializeXliff12(model, dom);
    expect(xml).toMatch(/<alt-trans alttranstype="previous-version" tool-id="othertool">\s*<target>Texto viejo.<\/target>/);
    expectSchemaValid(xml);
  });

  it('removing previous removes only the previous-version alt-trans; proposals and other tools\' alt-trans stay', () => {
    const { model, dom } = parseXliff12(WITH_OTHER_ALT_TRANS, { file: 'doc.xlf' });
    delete model.units[0].previous;
    model.units[0].state = 'translated';
    const xml = serializeXliff12(model, dom);
    expect(xml).not.toContain('previous-version');
    expect(xml).not.toContain('Old text.');
    expect(xml).not.toContain('kept inside');
    for (const kept of [
      '<alt-trans alttranstype="proposal" origin="tm" match-quality="80">',
      '<target>Texto más nuevo.</target>',
      '<alt-trans origin="mt">',
      '<alt-trans alttranstype="rejected">',
      '<target>Rechazado.</target>',
      '<note from="pm">Unit note</note>',
    ]) {
      expect(xml).toContain(kept);
    }
    expect(xml.match(/<alt-trans/g)).toHaveLength(3);
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model.units[0].previous).toBeUndefined();
    expectSchemaValid(xml);
  });

  it('adds previous right after the target, next to another tool\'s alt-trans, schema-valid', () => {
    const withoutPrevious = WITH_OTHER_ALT_TRANS.replace(/\n {8}<alt-trans alttranstype="previous-version"[\s\S]*?<\/alt-trans>/, '');
    const { model, dom } = parseXliff12(withoutPrevious, { file: 'doc.xlf' });
    expect(model.units[0].previous).toBeUndefined();
    model.units[0].previous = { source: 'Before & after <b>', target: '  Antes  ' };
    model.units[0].sourceVersion = 5;
    const xml = serializeXliff12(model, dom);
    expect(xml).toMatch(
      /<target state="needs-review-translation">Texto viejo.<\/target>\s*<alt-trans alttranstype="previous-version">\s*<source>Before &amp; after &lt;b&gt;<\/source>\s*<target> {2}Antes {2}<\/target>\s*<\/alt-trans>\s*<alt-trans alttranstype="proposal"/,
    );
    expect(xml).toMatch(/<note from="pm">Unit note<\/note>\s*<count-group name="workbench:a">\s*<count count-type="x-source-version" unit="x-version">5<\/count>/);
    const reread = parseXliff12(xml, { file: 'doc.xlf' }).model;
    expect(reread.units[0]).toEqual(model.units[0]);
    expectSchemaValid(xml);
  });

  it('removes the source-version count when undefined, and the group once empty', () => {
    const model = createLocaleFile('doc', 'en', 'es', [
      { id: 'a', source: 'A', target: 'A1', state: 'translated', sourceVersion: 1 },
      { id: 'b', source: 'B', target: 'B1', state: 'translated', revision: 2, sourceVersion: 1 },
    ]);
    const { model: read, dom } = parseXliff12(serializeXliff12(model), { file: 'doc.xlf' });
    delete read.units[0].sourceVersion;
    delete read.units[1].sourceVersion;
    const xml = serializeXliff12(read, dom);
    expect(xml).not.toContain('x-source-version');
    expect(xml).not.toContain('workbench:a');
    expect(xml).toMatch(/<count-group name="workbench:b">\s*<count count-type="x-revision" unit="x-edit">2<\/count>\s*<\/count-group>/);
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model).toEqual(read);
    expectSchemaValid(xml);
  });

  it('keeps the header\'s hand-written <tool> and <note> next to the file\'s source version, and removes only its count', () => {
    const { model, dom } = parseXliff12(WITH_OTHER_ALT_TRANS, { file: 'doc.xlf' });
    expect(model.sourceVersion).toBeUndefined();
    model.sourceVersion = 3;
    const xml = serializeXliff12(model, dom);
    expect(xml).toContain(
      [
        '    <header>',
        '      <tool tool-id="othertool" tool-name="Other tool"/>',
        '      <note>Hand-written header note</note>',
        '      <count-group name="workbench:file">',
        '        <count count-type="x-source-version" unit="x-version">3</count>',
        '      </count-group>',
        '    </header>',
      ].join('\n'),
    );
    expectSchemaValid(xml);
    const again = parseXliff12(xml, { file: 'doc.xlf' });
    expect(again.model.sourceVersion).toBe(3);
    again.model.sourceVersion = 4;
    expect(serializeXliff12(again.model, again.dom)).toBe(xml.replace('unit="x-version">3<', 'unit="x-version">4<'));
    delete again.model.sourceVersion;
    // Back to the original file: the count and its (then empty) group go, the rest of the header stays.
    expect(serializeXliff12(again.model, again.dom)).toBe(WITH_OTHER_ALT_TRANS);
  });

  it('creates a missing header first in <file>, and puts the group before foreign header elements', () => {
    // (Without the header's <tool>, an alt-trans tool-id would break the schema's KR_alt-trans_tool-id keyref.)
    const noHeader = WITH_OTHER_ALT_TRANS.replace(/ {4}<header>[\s\S]*?<\/header>\n/, '').replace(' tool-id="othertool"', '');
    const { model, dom } = parseXliff12(noHeader, { file: 'doc.xlf' });
    model.sourceVersion = 1;
    const xml = serializeXliff12(model, dom);
    expect(xml).toMatch(/xml:space="preserve">\n {4}<header>\n {6}<count-group name="workbench:file">\n {8}<count count-type="x-source-version" unit="x-version">1<\/count>\n {6}<\/count-group>\n {4}<\/header>\n {4}<body>/);
    expectSchemaValid(xml);

    const foreign = WITH_OTHER_ALT_TRANS.replace('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">', '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:example">').replace(
      '<note>Hand-written header note</note>',
      '<note>Hand-written header note</note>\n      <x:info>foreign</x:info>',
    );
    const parsed = parseXliff12(foreign, { file: 'doc.xlf' });
    parsed.model.sourceVersion = 2;
    expect(serializeXliff12(parsed.model, parsed.dom)).toMatch(/<note>Hand-written header note<\/note>\s*<count-group name="workbench:file">[\s\S]*<\/count-group>\s*<x:info>foreign<\/x:info>\s*<\/header>/);
  });

  it('updateXliff12 writes a unit whose only change is previous or sourceVersion, and the file-level version', () => {
    const model = createLocaleFile('doc', 'en', 'es', [
      { id: 'a', source: 'A', target: 'A1', state: 'translated' },
      { id: 'b', source: 'B', target: 'B1', state: 'translated' },
    ]);
    const built = buildXliff12(model, { file: 'doc.xlf' });

    const drifted = structuredClone(built.parsed.model);
    drifted.units[0].previous = { source: 'Old A', target: 'A0' };
    const first = updateXliff12(built.parsed, drifted, { file: 'doc.xlf' });
    expect(first.xml).toContain('<source>Old A</source>');
    expect(first.parsed.model.units[0].previous).toEqual({ source: 'Old A', target: 'A0' });
    expect(parseXliff12(first.xml, { file: 'doc.xlf' }).model).toEqual(first.parsed.model);

    const changedTarget = structuredClone(first.parsed.model);
    changedTarget.units[0].previous = { source: 'Old A' };
    const second = updateXliff12(first.parsed, changedTarget, { file: 'doc.xlf' });
    expect(second.xml).toMatch(/<source>Old A<\/source>\s*<target\/>/);

    const versioned = structuredClone(second.parsed.model);
    versioned.units[1].sourceVersion = 7;
    const third = updateXliff12(second.parsed, versioned, { file: 'doc.xlf' });
    expect(third.xml).toContain('<count count-type="x-source-version" unit="x-version">7</count>');
    expect(third.parsed.model.units[1].sourceVersion).toBe(7);

    const fileLevel = structuredClone(third.parsed.model);
    fileLevel.sourceVersion = 9;
    const fourth = updateXliff12(third.parsed, fileLevel, { file: 'doc.xlf' });
    expect(fourth.xml).toContain('<count-group name="workbench:file">');
    expect(fourth.parsed.model.sourceVersion).toBe(9);

    const cleared = structuredClone(fourth.parsed.model);
    delete cleared.units[0].previous;
    delete cleared.units[1].sourceVersion;
    delete cleared.sourceVersion;
    const fifth = updateXliff12(fourth.parsed, cleared, { file: 'doc.xlf' });
    expect(fifth.xml).toBe(built.xml);
    expect(parseXliff12(fifth.xml, { file: 'doc.xlf' }).model).toEqual(fifth.parsed.model);
    expectSchemaValid(fourth.xml);
  });

  it('refuses bad drift values in the model (400) and bad counts in a file (422)', () => {
    const badChar = createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'A', previous: { source: 'old \u0000' } }]);
    expect(catchWorkbenchError(() => serializeXliff12(badChar))).toMatchObject({ status: 400, code: 'xml-invalid-char' });
    const badTarget = createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'A', previous: { source: 'old', target: 'x \uD800' } }]);
    expect(catchWorkbenchError(() => serializeXliff12(badTarget)).code).toBe('xml-invalid-char');
    for (const sourceVersion of [-1, 1.5, Number.NaN]) {
      const unitLevel = createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'A', sourceVersion }]);
      expect(catchWorkbenchError(() => serializeXliff12(unitLevel))).toMatchObject({ status: 400, code: 'xliff-invalid-model' });
      const fileLevel = { ...createLocaleFile('doc', 'en', 'es', []), sourceVersion };
      expect(catchWorkbenchError(() => serializeXliff12(fileLevel))).toMatchObject({ status: 400, code: 'xliff-invalid-model' });
    }
    const noSource = createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'A' }]);
    (noSource.units[0] as { previous?: unknown }).previous = { target: 'x' };
    expect(catchWorkbenchError(() => serializeXliff12(noSource)).code).toBe('xliff-invalid-model');

    const xml = serializeXliff12({ ...createLocaleFile('doc', 'en', 'es', [{ id: 'a', source: 'A', sourceVersion: 1 }]), sourceVersion: 1 });
    const badUnit = xml.replace('unit="x-version">1</count>\n        </count-group>\n      </trans-unit>', 'unit="x-version">one</count>\n        </count-group>\n      </trans-unit>');
    expect(badUnit).not.toBe(xml);
    expect(catchWorkbenchError(() => parseXliff12(badUnit, { file: 'doc.xlf' }))).toMatchObject({ status: 422, code: 'xliff-invalid' });
    const badFile = xml.replace('unit="x-version">1</count>', 'unit="x-version">-1</count>');
    expect(catchWorkbenchError(() => parseXliff12(badFile, { file: 'doc.xlf' }))).toMatchObject({ status: 422, code: 'xliff-invalid' });
  });
});

describe('removeUnits: taking units out of the file', () => {
  const GROUPED = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="doc" source-language="en" target-language="es" datatype="plaintext" xml:space="preserve">
    <header>
      <tool tool-id="othertool" tool-name="Other tool"/>
    </header>
    <body>
      <!-- chapter 1 -->
      <trans-unit id="a" xml:space="preserve">
        <source>A</source>
        <target state="translated">A1</target>
      </trans-unit>
      <trans-unit id="b" xml:space="preserve">
        <source>B</source>
        <target state="translated">B1</target>
      </trans-unit>
      <group id="g1" resname="chapter-2">
        <note>Group note</note>
        <trans-unit id="c" xml:space="preserve">
          <source>C</source>
          <target state="translated">C1</target>
        </trans-unit>
        <trans-unit id="d" xml:space="preserve">
          <source>D</source>
          <target state="translated">D1</target>
        </trans-unit>
      </group>
      <group id="g2">
        <trans-unit id="e" xml:space="preserve">
          <source>E</source>
          <target state="translated">E1</target>
        </trans-unit>
      </group>
      <trans-unit id="other-tool">
        <source>Added by another tool.</source>
      </trans-unit>
      <trans-unit id="f" xml:space="preserve">
        <source>F</source>
        <target state="translated">F1</target>
      </trans-unit>
    </body>
  </file>
</xliff>
`;

  const grouped = (): ParsedXliff12 => parseXliff12(GROUPED, { file: 'doc.xlf' });

  /** A copy of `model` without the units `ids` (and `left`, which are just left out), asking for `ids` to be taken out of the file. */
  function removing(model: LocaleFile, ids: string[], left: string[] = []): LocaleFile {
    const copy = structuredClone(model);
    return { ...copy, units: copy.units.filter((unit) => !ids.includes(unit.id) && !left.includes(unit.id)), removeUnits: ids };
  }

  /** The workbench's view of GROUPED: every unit but the one another tool added. */
  const OTHER = ['other-tool'];

  /** The index agrees with the model, and the DOM's child lists with its sibling chains (see removeElements). */
  function expectConsistent(held: HeldXliff12): void {
    const parsed = domHeld(held);
    expect(parsed.unitIndex.size).toBe(parsed.model.units.length);
    for (const [id, slot] of parsed.unitIndex) {
      expect(parsed.model.units[slot.position]?.id).toBe(id);
      expect(slot.element.getAttribute('id')).toBe(id);
      expect(slot.element.parentNode).not.toBeNull();
    }
    const check = (node: Node): void => {
      let i = 0;
      for (let child = node.firstChild; child; child = child.nextSibling, i++) {
        expect(node.childNodes.item(i)).toBe(child);
        expect(child.parentNode).toBe(node);
        check(child);
      }
      expect(node.childNodes.length).toBe(i);
    };
    check(parsed.dom);
  }

  it('takes the listed units out of the file, keeps units only absent from the model, and stays schema-valid', () => {
    expectSchemaValid(GROUPED);
    const current = grouped();
    const model = removing(current.model, ['b', 'd'], OTHER);
    const { xml, parsed } = updateXliff12(current, model, { file: 'doc.xlf' });
    expect(xml).toBe(
      GROUPED.replace(/\n {6}<trans-unit id="b" xml:space="preserve">[\s\S]*?<\/trans-unit>/, '').replace(/\n {8}<trans-unit id="d" xml:space="preserve">[\s\S]*?<\/trans-unit>/, ''),
    );
    expect(xml).not.toMatch(/id="[bd]"/);
    // Another tool's unit, never in the model and not listed, is still there.
    expect(xml).toContain('<trans-unit id="other-tool">');
    expect(xml).toContain('<!-- chapter 1 -->');
    expect(xml).not.toMatch(/\n[ \t]*\n/);
    expect(xml).not.toContain('removeUnits');
    expectSchemaValid(xml);

    expect(parsed.model.units.map((unit) => unit.id)).toEqual(['a', 'c', 'e', 'other-tool', 'f']);
    expect(parsed.model).not.toHaveProperty('removeUnits');
    const reread = parseXliff12(xml, { file: 'doc.xlf' });
    expect(reread.model).toEqual(parsed.model);
    expect(reread.model).not.toHaveProperty('removeUnits');
    expectConsistent(parsed);
  });

  it('removes a group\'s only unit and leaves the group, which the strict schema allows', () => {
    const { xml, parsed } = updateXliff12(grouped(), removing(grouped().model, ['e', 'c'], OTHER), { file: 'doc.xlf' });
    expect(xml).toContain('      <group id="g2">\n      </group>\n');
    expect(xml).toContain('      <group id="g1" resname="chapter-2">\n        <note>Group note</note>\n        <trans-unit id="d" xml:space="preserve">');
    expect(parsed.model.units.map((unit) => unit.id)).toEqual(['a', 'b', 'd', 'other-tool', 'f']);
    expectSchemaValid(xml);
    expectConsistent(parsed);

    // A unit added later after "d" goes into g1; g2 stays empty.
    const next = removing(parsed.model, [], OTHER);
    delete next.removeUnits;
    next.units.splice(3, 0, ...createLocaleFile('doc', 'en', 'es', [{ id: 'd2', source: 'D2' }]).units);
    const again = updateXliff12(parsed, next, { file: 'doc.xlf' });
    expect(again.xml).toMatch(/<trans-unit id="d" xml:space="preserve">[\s\S]*?<\/trans-unit>\n {8}<trans-unit id="d2" xml:space="preserve">[\s\S]*?<\/trans-unit>\n {6}<\/group>\n {6}<group id="g2">\n {6}<\/group>/);
    expect(again.parsed.model.units.map((unit) => unit.id)).toEqual(['a', 'b', 'd', 'd2', 'other-tool', 'f']);
    expectSchemaValid(again.xml);
    expectConsistent(again.parsed);
  });

  it('removes the first and the last unit: the file is the one built without them', () => {
    const full = createLocaleFile(
      'doc',
      'en',
      'es',
      Array.from({ length: 5 }, (_, i) => ({ id: `s${i + 1}`, source: `S${i + 1}`, target: `T${i + 1}`, state: 'translated' as const, revision: i })),
    );
    const built = buildXliff12(full, { file: 'doc.xlf' });
    const { xml, parsed } = updateXliff12(built.parsed, removing(built.parsed.model, ['s1', 's5']), { file: 'doc.xlf' });
    const expected = buildXliff12({ ...full, units: full.units.slice(1, 4) }, { file: 'doc.xlf' });
    expect(xml).toBe(expected.xml);
    expect(parsed.model).toEqual(expected.parsed.model);
    expectSchemaValid(xml);
    expectConsistent(parsed);

    // Every unit out: an empty body (its closing line kept), still valid; a unit added afterwards opens it up again.
    const emptied = updateXliff12(parsed, removing(parsed.model, ['s2', 's3', 's4']), { file: 'doc.xlf' });
    expect(emptied.parsed.model.units).toEqual([]);
    expect(emptied.xml).toBe(buildXliff12({ ...full, units: [] }, { file: 'doc.xlf' }).xml.replace('<body/>', '<body>\n    </body>'));
    expectSchemaValid(emptied.xml);
    expectConsistent(emptied.parsed);
    const refilled = updateXliff12(emptied.parsed, { ...full, units: full.units.slice(2, 3) }, { file: 'doc.xlf' });
    expect(refilled.xml).toBe(buildXliff12({ ...full, units: full.units.slice(2, 3) }, { file: 'doc.xlf' }).xml);
  });

  it('ignores ids the file does not have (and duplicates)', () => {
    const current = grouped();
    const model = { ...removing(current.model, [], OTHER), removeUnits: ['nope', 's1', ''] };
    const { xml, parsed } = updateXliff12(current, model, { file: 'doc.xlf' });
    expect(xml).toBe(GROUPED);
    expect(parsed.model.units).toHaveLength(7);

    const twice = updateXliff12(parsed, { ...removing(parsed.model, ['a', 'nope']), removeUnits: ['a', 'nope', 'a'] }, { file: 'doc.xlf' });
    expect(twice.parsed.model.units.map((unit) => unit.id)).toEqual(['b', 'c', 'd', 'e', 'other-tool', 'f']);
    expectConsistent(twice.parsed);
  });

  it('keeps the index positions right: later updates find, skip and write the remaining units by id', () => {
    const full = createLocaleFile(
      'doc',
      'en',
      'es',
      Array.from({ length: 12 }, (_, i) => ({ id: `s${i + 1}`, source: `S${i + 1}`, target: `T${i + 1}`, state: 'translated' as const })),
    );
    const built = buildXliff12(full, { file: 'doc.xlf' });
    const first = updateXliff12(built.parsed, removing(built.parsed.model, ['s2', 's3', 's7']), { file: 'doc.xlf' });
    expectConsistent(first.parsed);

    // Change units after the removed ones: each lands on its own element, the others are left alone.
    const changed = structuredClone(first.parsed.model);
    for (const unit of changed.units) {
      if (unit.id === 's4' || unit.id === 's12') {
        unit.target = `${unit.id} changed`;
        unit.revision = 1;
      }
    }
    const second = updateXliff12(first.parsed, changed, { file: 'doc.xlf' });
    expect(second.xml).toMatch(/<trans-unit id="s4" xml:space="preserve">\s*<source>S4<\/source>\s*<target state="translated">s4 changed<\/target>/);
    expect(second.xml).toMatch(/<trans-unit id="s12" xml:space="preserve">\s*<source>S12<\/source>\s*<target state="translated">s12 changed<\/target>/);
    expect(second.parsed.model).toEqual(changed);
    expect(parseXliff12(second.xml, { file: 'doc.xlf' }).model).toEqual(changed);
    expectConsistent(second.parsed);

    // A removal and a new unit in the same write (the model is then rebuilt from the document order).
    const mixed = removing(second.parsed.model, ['s5']);
    mixed.units.splice(0, 0, ...createLocaleFile('doc', 'en', 'es', [{ id: 'n1', source: 'N1' }]).units);
    mixed.units.find((unit) => unit.id === 's8')!.target = 's8 changed';
    const third = updateXliff12(second.parsed, mixed, { file: 'doc.xlf' });
    const { removeUnits, ...expectedModel } = mixed;
    expect(removeUnits).toEqual(['s5']);
    expect(third.parsed.model).toEqual(expectedModel);
    expect(parseXliff12(third.xml, { file: 'doc.xlf' }).model).toEqual(expectedModel);
    expectSchemaValid(third.xml);
    expectConsistent(third.parsed);

    // And an unchanged model afterwards writes the same bytes.
    expect(updateXliff12(third.parsed, structuredClone(third.parsed.model), { file: 'doc.xlf' }).xml).toBe(third.xml);
  });

  it('is never part of a read model, and buildXliff12 ignores it', () => {
    const model = createLocaleFile('doc', 'en', 'es', [
      { id: 'a', source: 'A' },
      { id: 'b', source: 'B' },
    ]);
    const plain = buildXliff12(model, { file: 'doc.xlf' });
    const withList = buildXliff12({ ...model, removeUnits: ['a', 'zzz'] }, { file: 'doc.xlf' });
    expect(withList.xml).toBe(plain.xml);
    expect(withList.parsed.model).toEqual(plain.parsed.model);
    expect(withList.parsed.model).not.toHaveProperty('removeUnits');
    expect(parseXliff12(withList.xml, { file: 'doc.xlf' }).model).not.toHaveProperty('removeUnits');
    const updated = updateXliff12(plain.parsed, { ...structuredClone(plain.parsed.model), removeUnits: [] }, { file: 'doc.xlf' });
    expect(updated.xml).toBe(plain.xml);
    expect(updated.parsed.model).not.toHaveProperty('removeUnits');
  });

  it('refuses a unit both kept in the model and listed, and a list that is not one of ids (400)', () => {
    const current = grouped();
    const both = { ...structuredClone(current.model), removeUnits: ['c'] };
    expect(catchWorkbenchError(() => updateXliff12(current, both, { file: 'doc.xlf' }))).toMatchObject({ status: 400, code: 'xliff-invalid-model', details: { unit: 'c' } });
    const notIds = { ...structuredClone(grouped().model), removeUnits: [1] as unknown as string[] };
    expect(catchWorkbenchError(() => updateXliff12(grouped(), notIds, { file: 'doc.xlf' }))).toMatchObject({ status: 400, code: 'xliff-invalid-model' });
    const notList = { ...structuredClone(grouped().model), removeUnits: 'c' as unknown as string[] };
    expect(catchWorkbenchError(() => serializeXliff12(notList, parseXliff12(GROUPED, { file: 'doc.xlf' }).dom))).toMatchObject({ status: 400, code: 'xliff-invalid-model' });
  });

  it('serializeXliff12 over an existing document takes the listed units out too', () => {
    const { model, dom } = grouped();
    const xml = serializeXliff12(removing(model, ['b', 'e'], OTHER), dom);
    expect(xml).not.toMatch(/id="[be]"/);
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model.units.map((unit) => unit.id)).toEqual(['a', 'c', 'd', 'other-tool', 'f']);
    expectSchemaValid(xml);
  });
});
