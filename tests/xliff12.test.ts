import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import type { LocaleFile } from '../server/domain/types';
import { WorkbenchError } from '../server/errors';
import { createLocaleFile, parseXliff12, serializeXliff12 } from '../server/formats/xliff12';
import { makeTempDir, type TempDir } from './helpers/tempDir';
import { requireXmllint, validateXliff12 } from './helpers/xmllint';

let tmp: TempDir;
beforeAll(() => {
  tmp = makeTempDir('xliff12-test');
});
afterAll(() => tmp.cleanup());

let fileCounter = 0;
function expectSchemaValid(xml: string): void {
  const path = join(tmp.dir, `file-${++fileCounter}.xlf`);
  writeFileSync(path, xml, 'utf8');
  const { valid, output } = validateXliff12(path);
  if (!valid) throw new Error(`${path} does not validate:\n${output}\n\n${xml}`);
}

/** Runs `fn`, expecting a WorkbenchError, and returns it. */
function catchWorkbenchError(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return err as WorkbenchError;
  }
  throw new Error('expected a WorkbenchError, nothing was thrown');
}

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
        '      <trans-unit id="p1">',
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
    expect(xml).toContain('<trans-unit id="a" approved="yes">');
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
    expect(serializeXliff12(model, dom)).toBe(HAND_EDITED);
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
    expect(xml).toContain('<trans-unit id="intro" resname="chapter-1-intro" x:flag="keep-me" maxwidth="80" approved="yes">');
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
    expect(xml).toMatch(/<trans-unit id="legacy" translate="no">\s*<source>Only in the file.<\/source>\s*<\/trans-unit>/);
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
    const secretPath = join(tmp.dir, 'secret.txt');
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
