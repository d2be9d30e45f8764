import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { LocaleFile } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { streamXliff12 } from '../server/formats/streamXliff12';
import { updateXliff12 } from '../server/formats/updateXliff12';
import { readSkeletonXliff12 } from '../server/formats/xliff12Skeleton';
import type { HeldXliff12 } from '../server/formats/xliff12Spans';
import { createLocaleFile, editUnit, readStored } from './helpers/xliff12Files';

// The streaming reader gives what the DOM reader gives (the model, and which units are written as
// read), or nothing, for the DOM reader to read or refuse the file: never another model.

const ctx = { file: 'doc.xlf' };
const flags = (parsed: HeldXliff12): Record<string, boolean> => Object.fromEntries([...parsed.unitIndex].map(([id, slot]) => [id, slot.written]));

function expectSameReading(xml: string): HeldXliff12 | undefined {
  const streamed = streamXliff12(Buffer.from(xml, 'utf8'), ctx);
  let parsed: HeldXliff12 | undefined;
  try {
    parsed = readStored(xml);
  } catch {
    expect(streamed).toBeUndefined();
    return undefined;
  }
  if (streamed) {
    expect(streamed.model).toEqual(parsed.model);
    expect(flags(streamed)).toEqual(flags(parsed));
  }
  return streamed;
}

const UNITS = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:example:other">
  <file original="doc" source-language="en" target-language="es" datatype="plaintext">
    <header>
      <count-group name="workbench:file"><count count-type="x-source-version" unit="x-version"> 4 </count></count-group>
    </header>
    <body>
      <!-- <trans-unit id="in-a-comment"> -->
      <group id="g"><group id="g2">
      <trans-unit id="a" approved="yes" x:mark="1">
        <source>A &amp; <g id="1">bold</g> <![CDATA[<raw>]]></source>
        <seg-source><mrk mtype="seg" mid="1">A</mrk></seg-source>
        <target state="needs-review-translation">A1 &#x1F600;</target>
        <target state="final">second target, ignored</target>
        <note from="reviewer" priority="2" annotates="target">Look &lt;here&gt;</note>
        <note>plain</note>
        <alt-trans alttranstype="proposal"><source>P</source><target>PT</target></alt-trans>
        <alt-trans alttranstype="previous-version"><source>A0</source><target>A00</target></alt-trans>
        <count-group name="workbench:a"><count count-type="x-revision" unit="x-edit">3</count><count count-type="x-source-version" unit="x-version">2</count></count-group>
        <x:foreign><x:source>not ours</x:source></x:foreign>
      </trans-unit>
      </group></group>
      <trans-unit id="b" approved="maybe"><source/><target state="x-custom"></target></trans-unit>
      <trans-unit id="c"><source>C</source><alt-trans alttranstype="previous-version"><source>C0</source></alt-trans></trans-unit>
      <trans-unit id="d"><source>D</source><target state="needs-translation"/><count-group name="workbench"><count count-type="x-revision" unit="x-edit">5</count></count-group></trans-unit>
      <trans-unit id="e"><source>E</source><count-group name="workbench:e"/></trans-unit>
      <trans-unit id="f"><source>F</source><count-group name="workbench:f"><count count-type="x-revision" unit="x-edit"> 7</count></count-group></trans-unit>
      <trans-unit id="g"><source>G</source><target>G1</target></trans-unit>
    </body>
  </file>
</xliff>
`;

describe('streamXliff12', () => {
  test('reads units in every form the DOM reader reads, to the same model and flags', () => {
    const streamed = expectSameReading(UNITS);
    expect(streamed).toBeDefined();
    expect(streamed?.model.sourceVersion).toBe(4);
    expect(streamed?.model.units.map((u) => u.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    // Held from a snapshot's model, a unit is taken as written as read only when it surely is.
    const fromSnapshot = readSkeletonXliff12(Buffer.from(UNITS, 'utf8'), readStored(UNITS).model, ctx);
    const exact = flags(readStored(UNITS));
    for (const [id, written] of Object.entries(flags(fromSnapshot as HeldXliff12))) if (written) expect(exact[id]).toBe(true);
  });

  test('leaves to the DOM reader what it refuses or cannot hold', () => {
    const refused = [
      UNITS.replace('<trans-unit id="g">', '<trans-unit id="a">'), // duplicate id
      UNITS.replace('<trans-unit id="g">', '<trans-unit>'), // no id
      UNITS.replace('priority="2"', 'priority="11"'),
      UNITS.replace('annotates="target"', 'annotates="both"'),
      UNITS.replace('unit="x-edit">3<', 'unit="x-edit">three<'),
      UNITS.replace('> 4 <', '>four<'),
      UNITS.replace('version="1.2" xmlns', 'version="2.0" xmlns'),
      UNITS.replace('original="doc" ', ''),
      UNITS.replace('<source>G</source>', ''),
      UNITS.replace('</body>', '</bodyx>'),
      UNITS.replace('<!-- <trans', '<!DOCTYPE x [<!ENTITY e "boom">]><!-- <trans'),
      UNITS.replace('A1', 'A1 &e;'),
      UNITS.replace('A1', 'A1 \u0001'),
    ];
    for (const xml of refused) {
      expect(streamXliff12(Buffer.from(xml, 'utf8'), ctx)).toBeUndefined();
      expect(() => readStored(xml)).toThrow();
    }
    // Well-formed, read by the DOM reader, but not in the form a skeleton holds (CRLF, a BOM).
    expect(streamXliff12(Buffer.from(UNITS.replace(/\n/g, '\r\n'), 'utf8'), ctx)).toBeUndefined();
    expect(streamXliff12(Buffer.from(`\uFEFF${UNITS}`, 'utf8'), ctx)).toBeUndefined();
    expect(streamXliff12(Buffer.from([0x3c, 0xff, 0xfe]), ctx)).toBeUndefined();
  });

  test("reads other tools' files as the DOM reader does, or leaves them to it", () => {
    const dir = path.join(__dirname, 'fixtures', 'interchange');
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.xlf'))) expectSameReading(readFileSync(path.join(dir, name), 'utf8'));
  });

  test('reads any file the workbench writes, change after change, as the DOM reader does', () => {
    const text = fc.constantFrom('Plain.', 'A & B < C > D', '"q" \'s\'', 'Ünï — “x” 😀', 'CR\r\nLF\rend', 'tab\tand\nnewline', 'CDATA ]]> end', '', '  spaced  ');
    const edit = fc.record({ at: fc.nat(), field: fc.constantFrom('target', 'untranslate', 'state', 'approved', 'previous', 'addNote', 'revision', 'sourceVersion', 'machine'), text });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), fc.array(edit, { maxLength: 6 }), (sources, edits) => {
        const built = buildXliff12(createLocaleFile('doc', 'en', 'es', sources.map((source, i) => ({ id: `s${i}`, source }))), ctx);
        const model: LocaleFile = structuredClone(built.parsed.model);
        model.sourceVersion = 3;
        for (const { at, field, text: value } of edits) editUnit(model.units[at % model.units.length], field, value);
        const xml = updateXliff12(readStored(built.xml), model, ctx).xml;
        const streamed = expectSameReading(xml);
        expect(streamed).toBeDefined();
        // What the workbench wrote is seen as written as read from a snapshot's model too.
        const fromSnapshot = readSkeletonXliff12(Buffer.from(xml, 'utf8'), readStored(xml).model, ctx);
        expect(flags(fromSnapshot as HeldXliff12)).toEqual(flags(readStored(xml)));
      }),
      { numRuns: 150 },
    );
  });
});
