import fc from 'fast-check';
import type { LocaleFile } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { replaceUnitsXliff12, updateXliff12 } from '../server/formats/updateXliff12';
import type { ParsedXliff12 } from '../server/formats/xliff12Model';
import { readSkeletonXliff12 } from '../server/formats/xliff12Skeleton';
import { createLocaleFile, editModel, readStored } from './helpers/xliff12Files';
import { useXliff12SchemaCheck } from './helpers/xliff12SchemaCheck';

// A file held with its units as placeholders (its model from a snapshot) is changed as if it had
// been parsed whole: the same model afterwards, the same text for a file the workbench wrote, and
// for any other file its own bytes wherever no change was written.

const { expectSchemaValid } = useXliff12SchemaCheck('xliff12-skeleton-test');

const ctx = { file: 'doc.xlf' };
function skeleton(xml: string): ParsedXliff12 {
  const held = readSkeletonXliff12(Buffer.from(xml, 'utf8'), readStored(xml).model, ctx);
  if (!held) throw new Error('not held as a skeleton');
  return held;
}
const copy = (model: LocaleFile): LocaleFile => structuredClone(model);

const OTHER_TOOL = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2' xmlns:x='urn:example:other'>
  <file original='doc' source-language='en' target-language='es' datatype='plaintext'>
    <header>
      <tool tool-id='othertool' tool-name='Other tool'></tool>
    </header>
    <body>
      <!-- chapter 1: <trans-unit id="not-one"> -->
      <group id='g1' x:kind='chapter'>
        <trans-unit id='a'   resname='first' x:mark='1'>
          <source>A &amp; a</source>
          <target state='translated'>A1</target>
          <x:extra x:attr='kept'>foreign <x:b>content</x:b></x:extra>
        </trans-unit>
        <trans-unit id='b' approved='yes'>
          <source>B</source>
          <target state='translated'>B1</target>
          <note from='me'  >Keep &apos;this&apos;</note>
        </trans-unit>
      </group>
      <trans-unit id='c'>
        <source>C <![CDATA[<raw>]]></source>
        <target state='translated'></target>
        <alt-trans alttranstype='proposal'><target>C?</target></alt-trans>
      </trans-unit>
      <trans-unit id='d' xml:space='preserve'><source>D</source></trans-unit>
    </body>
  </file>
</xliff>
`;

describe('a locale file held as a skeleton', () => {
  test('holds every unit as a placeholder, and refuses files it cannot hold so', () => {
    const held = skeleton(OTHER_TOOL);
    expect([...held.unitIndex.keys()]).toEqual(['a', 'b', 'c', 'd']);
    for (const slot of held.unitIndex.values()) expect(slot.element.firstChild).toBeNull();
    const model = readStored(OTHER_TOOL).model;
    // Not the model of these bytes, CRLF line ends, no XML declaration: parsed in full instead.
    expect(readSkeletonXliff12(Buffer.from(OTHER_TOOL.replace("id='d'", "id='e'")), model, ctx)).toBeUndefined();
    expect(readSkeletonXliff12(Buffer.from(OTHER_TOOL.replace(/\n/g, '\r\n')), model, ctx)).toBeUndefined();
    expect(readSkeletonXliff12(Buffer.from(OTHER_TOOL.slice(OTHER_TOOL.indexOf('\n') + 1)), model, ctx)).toBeUndefined();
    expect(readSkeletonXliff12(Buffer.from(OTHER_TOOL), { ...model, units: model.units.slice(1) }, ctx)).toBeUndefined();
  });

  test("keeps another tool's bytes, foreign content included, in units it writes and units it does not", () => {
    const held = skeleton(OTHER_TOOL);
    const a = held.model.units[0];
    const output = replaceUnitsXliff12(held, [{ ...a, target: 'A2 & <more>', revision: 1 }], ctx);
    expect(output.written).toHaveLength(1);
    expect(output.xml).toContain('<x:extra x:attr="kept">foreign <x:b>content</x:b></x:extra>');
    expect(output.xml).toContain("<trans-unit id='b' approved='yes'>");
    expect(output.xml).toContain("<target state='translated'></target>");
    expect(output.xml).toContain('<!-- chapter 1: <trans-unit id="not-one"> -->');
    const back = readStored(output.xml);
    expect(back.model).toEqual(output.parsed.model);
    expect(back.model.units[0].target).toBe('A2 & <more>');
    const expected = replaceUnitsXliff12(readStored(OTHER_TOOL), [{ ...a, target: 'A2 & <more>', revision: 1 }], ctx);
    expect(output.xml).toBe(expected.xml);
  });

  test('adds, removes and renumbers units and the header as a whole parse does', () => {
    const held = skeleton(OTHER_TOOL);
    const model = copy(held.model);
    model.sourceVersion = 7;
    model.units.splice(2, 0, { id: 'new', source: 'New & old', approved: false, revision: 0, notes: [], state: 'needs-translation' });
    model.units = model.units.filter((unit) => unit.id !== 'b');
    model.removeUnits = ['b'];
    model.units[0] = { ...model.units[0], previous: { source: 'A0', target: 'A00' }, state: 'needs-review-translation' };
    const output = updateXliff12(held, model, ctx);
    const expected = updateXliff12(readStored(OTHER_TOOL), copy(model), ctx);
    expect(output.parsed.model).toEqual(expected.parsed.model);
    expect(readStored(output.xml).model).toEqual(output.parsed.model);
    // Units written are written whole (as a whole parse writes them); the others are their bytes.
    expect(output.xml).toContain('<x:extra x:attr="kept">foreign <x:b>content</x:b></x:extra>');
    expect(output.xml).toContain('<alt-trans alttranstype="proposal"><target>C?</target></alt-trans>');
    expect(output.xml).toContain("<trans-unit id='d' xml:space='preserve'><source>D</source></trans-unit>");
    expect(output.xml).not.toContain('B1');
    // And the next change of the same document writes into the text just written.
    const next = copy(output.parsed.model);
    next.units[3] = { ...next.units[3], target: 'D1', state: 'translated' };
    const again = updateXliff12(output.parsed, next, ctx);
    expect(readStored(again.xml).model).toEqual(again.parsed.model);
    expect(again.xml).toContain('D1');
  });

  test('gives, for a file the workbench wrote, the same text and model as a whole parse, change after change', () => {
    const seen: string[] = [];
    const text = fc.constantFrom('Plain.', 'A & B < C > D', 'Ünï — “x” 😀', 'CR\r\nLF\rend', 'tab\tand\nnewline', 'CDATA ]]> end', '');
    const edit = fc.record({ at: fc.nat(), field: fc.constantFrom('target', 'source', 'approved', 'previous', 'notes', 'revision', 'add', 'remove'), text });
    fc.assert(
      fc.property(fc.array(text, { minLength: 3, maxLength: 10 }), fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), (sources, rounds) => {
        let xml = buildXliff12(
          createLocaleFile('doc', 'en', 'es', sources.map((source, i) => ({ id: `s${i}`, source, target: `T ${source}`, state: 'translated' as const }))),
          ctx,
        ).xml;
        for (const [round, edits] of rounds.entries()) {
          const viaSkeleton = skeleton(xml);
          const model = copy(viaSkeleton.model);
          model.sourceVersion = round + 2;
          for (const { at, field, text: value } of edits) editModel(model, at, field, value, round);
          const output = updateXliff12(viaSkeleton, copy(model), ctx);
          const expected = updateXliff12(readStored(xml), copy(model), ctx);
          expect(output.xml).toBe(expected.xml);
          expect(readStored(output.xml).model).toEqual(output.parsed.model);
          expect(output.parsed.model).toEqual(expected.parsed.model);
          xml = output.xml;
        }
        if (seen.length < 3) seen.push(xml);
      }),
      { numRuns: 120 },
    );
    for (const xml of seen) expectSchemaValid(xml);
  });
});
