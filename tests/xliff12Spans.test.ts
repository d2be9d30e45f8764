import fc from 'fast-check';
import type { LocaleFile, Unit } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { replaceUnitsXliff12, updateXliff12 } from '../server/formats/updateXliff12';
import { type HeldXliff12, isSpanHeld, readSpansXliff12 } from '../server/formats/xliff12Spans';
import { createLocaleFile, editModel, editUnit, readStored, spanHeld } from './helpers/xliff12Files';
import { useXliff12SchemaCheck } from './helpers/xliff12SchemaCheck';

// A file the workbench wrote, held as spans (its bytes, where its units are, its model; no DOM of
// its units), is changed as if it had been parsed whole: the same text, the same model, change
// after change, whether the change writes a few units (a save) or adds and takes out units and
// writes the header (a source update).

const { expectSchemaValid } = useXliff12SchemaCheck('xliff12-spans-test');

const ctx = { file: 'doc.xlf' };
const copy = (model: LocaleFile): LocaleFile => structuredClone(model);
const spans = (xml: string): HeldXliff12 => spanHeld(xml, ctx);
const built = (sources: string[]): string =>
  buildXliff12(createLocaleFile('doc', 'en', 'es', sources.map((source, i) => ({ id: `s${i}`, source, target: `T ${source}`, state: 'translated' as const }))), ctx).xml;

const OTHER_TOOL = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>
  <file original='doc' source-language='en' target-language='es' datatype='plaintext'>
    <body>
      <group id='g1'>
        <trans-unit id='a'><source>A</source></trans-unit>
      </group>
    </body>
  </file>
</xliff>
`;

describe('a locale file held as spans', () => {
  test('holds a file the workbench wrote, and nothing else', () => {
    const xml = built(['One.', 'Two & three.', 'Ünï — 😀']);
    const held = spans(xml);
    expect(isSpanHeld(held)).toBe(true);
    expect([...held.unitIndex.keys()]).toEqual(['s0', 's1', 's2']);
    const model = readStored(xml).model;
    const refuse = (text: string, m: LocaleFile = readStored(text).model): void => expect(readSpansXliff12(Buffer.from(text, 'utf8'), m, ctx)).toBeUndefined();
    // Another tool's file (quotes the serializer does not write, units in a group), CRLF line ends, no declaration.
    refuse(OTHER_TOOL);
    refuse(xml.replace(/\n/g, '\r\n'), model);
    refuse(xml.slice(xml.indexOf('\n') + 1), model);
    // Two units on one line, a comment between units, a unit the model does not have.
    refuse(xml.replace(/<\/trans-unit>\s*<trans-unit id="s1"/, '</trans-unit> <trans-unit id="s1"'), model);
    refuse(xml.replace(/<\/trans-unit>(\s*)<trans-unit id="s1"/, '</trans-unit>$1<!-- c -->$1<trans-unit id="s1"'), model);
    expect(readSpansXliff12(Buffer.from(xml, 'utf8'), { ...model, units: model.units.slice(1) }, ctx)).toBeUndefined();
    // An end tag with a space before its `>`, a processing instruction: well-formed, left to the skeleton.
    refuse(xml.replace('</trans-unit>', '</trans-unit >'), model);
    refuse(xml.replace('<body>', '<body><?pi x?>'), model);
    // A unit's id is read from its start tag however it is written there; one that declares a namespace is left to the skeleton.
    const ids = (text: string): string[] | undefined => {
      const held = readSpansXliff12(Buffer.from(text, 'utf8'), readStored(text).model, ctx);
      return held && [...held.unitIndex.keys()];
    };
    expect(ids(xml.replace('<trans-unit id="s1" xml:space="preserve">', '<trans-unit xml:space="preserve" id="s1">'))).toEqual(['s0', 's1', 's2']);
    expect(ids(xml.replace('<trans-unit id="s1"', "<trans-unit id='s1'"))).toEqual(['s0', 's1', 's2']);
    expect(ids(xml.replace(/id="s1"/g, 'id="é1"').replace('workbench:s1', 'workbench:é1'))).toEqual(['s0', 'é1', 's2']);
    expect(ids(xml.replace('<trans-unit id="s1"', '<trans-unit id="s1" xmlns:x="urn:example:other"'))).toBeUndefined();
    // An id that is the start of another's is told apart.
    expect(readSpansXliff12(Buffer.from(xml.replace('id="s1"', 'id="s10"'), 'utf8'), model, ctx)).toBeUndefined();
    // Units held as spans are where their bytes are.
    const bytes = Buffer.from(xml, 'utf8');
    const again = readSpansXliff12(bytes, model, ctx);
    expect(again && again.starts.map((start, i) => bytes.toString('utf8', start, again.ends[i]))).toEqual([...xml.matchAll(/<trans-unit[\s\S]*?<\/trans-unit>/g)].map((m) => m[0]));
  });

  test('writes a save into the bytes, and the units it does not touch stay their bytes', () => {
    const xml = built(['One.', 'Two.', 'Three.']);
    const held = spans(xml);
    const unit = held.model.units[1];
    const output = replaceUnitsXliff12(held, [{ ...unit, target: 'Dos & <más>', revision: 1 }], ctx);
    expect(isSpanHeld(output.parsed)).toBe(true);
    expect(output.written).toHaveLength(1);
    const expected = replaceUnitsXliff12(readStored(xml), [{ ...unit, target: 'Dos & <más>', revision: 1 }], ctx);
    expect(output.xml).toBe(expected.xml);
    expect(readStored(output.xml).model).toEqual(output.parsed.model);
    // The part written is where the output says.
    const [part] = output.written ?? [];
    expect(Buffer.from(output.bytes).toString('utf8', part.start, part.end)).toBe(part.text);
  });

  test('gives the same text and model as a whole parse, save after save and update after update', () => {
    const seen: string[] = [];
    const text = fc.constantFrom('Plain.', 'A & B < C > D', 'Ünï — “x” 😀', 'CR\r\nLF\rend', 'tab\tand\nnewline', 'CDATA ]]> end', '');
    const edit = fc.record({ at: fc.nat(), field: fc.constantFrom('target', 'source', 'approved', 'previous', 'notes', 'revision', 'machine', 'add', 'remove'), text });
    const step = fc.record({ save: fc.boolean(), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 10 }), fc.array(step, { minLength: 1, maxLength: 5 }), (sources, steps) => {
        let xml = built(sources);
        // The same held file goes from change to change, as a server holds it.
        let held: HeldXliff12 = spans(xml);
        for (const [round, { save, edits }] of steps.entries()) {
          const model = copy(held.model);
          if (save) {
            const changed = new Map<string, Unit>();
            for (const { at, field, text: value } of edits) {
              if (field === 'add' || field === 'remove') continue;
              const unit = model.units[at % model.units.length];
              editUnit(unit, field, value);
              changed.set(unit.id, unit);
            }
            const replacements = [...changed.values()];
            const output = replaceUnitsXliff12(held, structuredClone(replacements), ctx);
            const expected = replaceUnitsXliff12(readStored(xml), structuredClone(replacements), ctx);
            expect(output.xml).toBe(expected.xml);
            expect(output.parsed.model).toEqual(expected.parsed.model);
            expectPartsInPlace(output);
            held = output.parsed;
            xml = output.xml;
          } else {
            model.sourceVersion = round + 2;
            for (const { at, field, text: value } of edits) editModel(model, at, field, value, round);
            const output = updateXliff12(held, copy(model), ctx);
            const expected = updateXliff12(readStored(xml), copy(model), ctx);
            expect(output.xml).toBe(expected.xml);
            expect(output.parsed.model).toEqual(expected.parsed.model);
            expectPartsInPlace(output);
            // Every unit the file had taken out: the change is made on a skeleton (see the last test), the next one on spans again.
            const emptied = held.model.units.every((unit) => model.removeUnits?.includes(unit.id));
            expect(isSpanHeld(output.parsed)).toBe(!emptied);
            held = emptied ? spans(output.xml) : output.parsed;
            xml = output.xml;
          }
          expect(readStored(xml).model).toEqual(held.model);
          expect(isSpanHeld(held)).toBe(true);
        }
        if (seen.length < 3) seen.push(xml);
      }),
      { numRuns: 150 },
    );
    for (const xml of seen) expectSchemaValid(xml);
  });

  test('saves of the same units again and again write what a whole parse writes, foreign content and all, with the elements of their last writes', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:example:other">
  <file original="doc" source-language="en" target-language="es" datatype="plaintext">
    <body>
      <trans-unit id="a" x:mark="1" xml:space="preserve">
        <source>A &amp; a</source>
        <target state="translated">A1</target>
        <x:extra x:attr="kept">foreign <x:b>content</x:b></x:extra>
      </trans-unit>
      <trans-unit id="b"><source>B</source><note from="me">Keep 'this'</note></trans-unit>
    </body>
  </file>
</xliff>
`;
    const text = fc.constantFrom('Plain.', 'A & B < C > D', 'Ünï — “x” 😀', 'CR\r\nLF\rend', 'tab\tand\nnewline', '');
    const field = fc.constantFrom('target', 'source', 'state', 'approved', 'previous', 'notes', 'addNote', 'revision', 'sourceVersion', 'machine', 'untranslate');
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(1), fields: fc.array(field, { minLength: 1, maxLength: 3 }), text }), { minLength: 2, maxLength: 12 }), (saves) => {
        let held = spans(xml);
        let current = xml;
        for (const { at, fields, text: value } of saves) {
          const unit = copy(held.model).units[at];
          for (const name of fields) editUnit(unit, name, value);
          const output = replaceUnitsXliff12(held, [structuredClone(unit)], ctx);
          const expected = replaceUnitsXliff12(readStored(current), [structuredClone(unit)], ctx);
          expect(output.xml).toBe(expected.xml);
          expect(output.parsed.model).toEqual(expected.parsed.model);
          expectPartsInPlace(output);
          held = output.parsed;
          current = output.xml;
          // The element of each unit written is kept for its next save (a save that changes nothing writes nothing).
          if (output.written?.length) expect(isSpanHeld(held) && held.elements.size).toBeGreaterThan(0);
        }
        expect(current).toContain('<x:extra x:attr="kept">foreign <x:b>content</x:b></x:extra>');
      }),
      { numRuns: 200 },
    );
  });

  test("keeps foreign content in and between the units it writes, as a whole parse does", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:example:other">
  <file original="doc" source-language="en" target-language="es" datatype="plaintext" xml:space="preserve">
    <header>
      <tool tool-id="othertool" tool-name="Other tool"/>
      <x:meta x:k="v">kept</x:meta>
    </header>
    <body>
	<trans-unit id="a" resname="first" x:mark="1">
        <source>A &amp; a</source>
        <target state="translated">A1</target>
        <x:extra x:attr="kept">foreign <x:b>content</x:b></x:extra>
      </trans-unit>
      <trans-unit id="b" approved="yes"><source>B</source><target state="final">B1</target><note from="me">Keep 'this'</note></trans-unit>
      <trans-unit id="c">
        <source>C</source>
        <alt-trans alttranstype="proposal"><target>C?</target></alt-trans>
      </trans-unit>
    </body>
  </file>
</xliff>
`;
    const held = spans(xml);
    const [a, b, c] = held.model.units;
    const saved = replaceUnitsXliff12(held, [{ ...a, target: 'A2', revision: 1 }, { ...c, target: 'C1', state: 'translated' }], ctx);
    expect(saved.xml).toBe(replaceUnitsXliff12(readStored(xml), [{ ...a, target: 'A2', revision: 1 }, { ...c, target: 'C1', state: 'translated' }], ctx).xml);
    expect(saved.xml).toContain('<x:extra x:attr="kept">foreign <x:b>content</x:b></x:extra>');
    expect(saved.xml).toContain('<x:meta x:k="v">kept</x:meta>');
    const model = copy(saved.parsed.model);
    model.sourceVersion = 3;
    model.units = [{ id: 'n0', source: 'First', approved: false, revision: 0, notes: [], state: 'needs-translation' }, model.units[0], { ...model.units[2], source: 'C changed' }, { id: 'n1', source: 'Last', approved: false, revision: 0, notes: [], state: 'needs-translation' }];
    model.removeUnits = [b.id];
    const updated = updateXliff12(saved.parsed, copy(model), ctx);
    const expected = updateXliff12(readStored(saved.xml), copy(model), ctx);
    expect(updated.xml).toBe(expected.xml);
    expect(updated.parsed.model).toEqual(expected.parsed.model);
    expect(isSpanHeld(updated.parsed)).toBe(true);
    expectPartsInPlace(updated);
  });

  test('hands a change it does not make to a skeleton of the same bytes', () => {
    const xml = built(['One.', 'Two.']);
    const held = spans(xml);
    // Every unit taken out and a new one added: the body is emptied, which only the DOM writer reopens.
    const model = copy(held.model);
    model.removeUnits = model.units.map((unit) => unit.id);
    model.units = [{ id: 'n', source: 'New.', approved: false, revision: 0, notes: [], state: 'needs-translation' }];
    const output = updateXliff12(held, copy(model), ctx);
    const expected = updateXliff12(readStored(xml), copy(model), ctx);
    expect(output.xml).toBe(expected.xml);
    expect(isSpanHeld(output.parsed)).toBe(false);
    // A new target language changes <file>: the same.
    const other = { ...copy(spans(xml).model), targetLanguage: 'fr' };
    expect(updateXliff12(spans(xml), copy(other), ctx).xml).toBe(updateXliff12(readStored(xml), copy(other), ctx).xml);
  });
});

/** Each part a write says it wrote is at its place in the bytes (what the store checks before writing). */
function expectPartsInPlace(output: { bytes: Uint8Array; written?: { start: number; end: number; text: string }[] }): void {
  const bytes = Buffer.from(output.bytes);
  for (const part of output.written ?? []) expect(bytes.toString('utf8', part.start, part.end)).toBe(part.text);
}
