import fc from 'fast-check';
import type { LocaleFile, Unit } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { parseXliff12 } from '../server/formats/parseXliff12';
import { replaceUnitsXliff12, updateXliff12 } from '../server/formats/updateXliff12';
import { createLocaleFile, domHeld, editUnit, readStored } from './helpers/xliff12Files';
import { serializeXmlDocument } from '../server/formats/xmlSafety';
import { useXliff12SchemaCheck } from './helpers/xliff12SchemaCheck';

// An update of a document read from a file (or written by this module) writes the units it
// changes, and the header, into the text the document was read or last written as: the rest of
// the file is the same bytes. What the file reads back as is the model, as with a whole rewrite.

const { expectSchemaValid } = useXliff12SchemaCheck('xliff12-splice-test');


const copyModel = (model: LocaleFile): LocaleFile => structuredClone(model);

const TEXTS = ['Plain text.', 'A & B < C > D', `"quoted" and 'single'`, 'Ünïcödé — “typography” …', 'non-BMP: 𝔘𝔫𝔦 😀', 'CR\r\nLF\rend', 'tab\tand\nnewline', 'CDATA ]]> end', ''];

/** A hand-written file: its own quoting, spacing, comments and empty-element forms, which a whole rewrite would change. */
const HAND_WRITTEN = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>
  <file original='doc' source-language='en' target-language='es' datatype='plaintext'>
    <header>
      <tool tool-id='othertool' tool-name='Other tool'></tool>
    </header>
    <body>
      <!-- chapter 1 -->
      <trans-unit id='a'   resname='first' xml:space='preserve'>
        <source>A &amp; a</source>
        <target state='translated'>A1</target>
      </trans-unit>
      <trans-unit id='b' xml:space='preserve'>
        <source>B</source>
        <target state='translated'>B1</target>
        <note from='me'  >Keep &apos;this&apos;</note>
      </trans-unit>
      <trans-unit id='c' xml:space='preserve'>
        <source>C</source>
        <target state='translated'></target>
      </trans-unit>
    </body>
  </file>
</xliff>
`;

describe('updateXliff12 after a read: only what changed is written', () => {
  it('keeps the bytes of the units it does not change, and reads back as the model', () => {
    const current = readStored(HAND_WRITTEN);
    const model = copyModel(current.model);
    model.units[1].target = 'B2 & more';
    model.units[1].revision = 1;
    const { xml, bytes, chunks, parsed, written } = updateXliff12(current, model, { file: 'doc.xlf' });

    expect(written).toHaveLength(2); // the changed unit and the header
    const unitA = /<trans-unit id='a'[\s\S]*?<\/trans-unit>/.exec(HAND_WRITTEN)?.[0] as string;
    const unitC = /<trans-unit id='c' xml:space='preserve'>[\s\S]*?<\/trans-unit>/.exec(HAND_WRITTEN)?.[0] as string;
    expect(xml).toContain(unitA);
    expect(xml).toContain(unitC);
    expect(xml).toContain('<!-- chapter 1 -->');
    expect(xml).toContain('<target state="translated">B2 &amp; more</target>');
    // The unit written is written whole, as the writer writes it.
    expect(xml).toContain(`<note from="me">Keep 'this'</note>`);
    expect(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)))).toEqual(Buffer.from(bytes));
    expect(Buffer.from(bytes).toString('utf8')).toBe(xml);
    for (const part of written ?? []) expect(Buffer.from(bytes).subarray(part.start, part.end).toString('utf8')).toBe(part.text);

    expect(parseXliff12(xml, { file: 'doc.xlf' }).model).toEqual(parsed.model);
    expect(parsed.model.units[1]).toMatchObject({ target: 'B2 & more', revision: 1 });
    expectSchemaValid(xml);
  });

  it('still normalizes, on the first save after a read, the units the writer writes in another form', () => {
    const legacy = serializeXmlDocument(
      domHeld(buildXliff12(
        createLocaleFile('doc', 'en', 'es', [
          { id: 'a', source: 'A', target: 'A1', state: 'translated', revision: 3 },
          { id: 'b', source: 'B', target: 'B1', state: 'translated' },
          { id: 'c', source: 'C', target: 'C1', state: 'translated', previous: { source: 'Old C', target: 'Old C1' } },
          { id: 'd', source: 'D' },
        ]),
        { file: 'doc.xlf' },
      ).parsed).dom,
    )
      .replace('name="workbench:a"', 'name="workbench"')
      .replace('<trans-unit id="b" xml:space="preserve">', '<trans-unit id="b" approved="No">')
      .replace(/<target>Old C1<\/target>\s*/, '');
    const current = readStored(legacy);
    const { xml, parsed } = updateXliff12(current, copyModel(current.model), { file: 'doc.xlf' });
    expect(xml).toContain('<count-group name="workbench:a">');
    // A unit without xml:space="preserve" gets it (Translate Toolkit reads it per unit).
    expect(xml).toContain('<trans-unit id="b" approved="no" xml:space="preserve">');
    expect(xml).toMatch(/<alt-trans alttranstype="previous-version">\s*<source>Old C<\/source>\s*<target\/>\s*<\/alt-trans>/);
    expect(parseXliff12(xml, { file: 'doc.xlf' }).model).toEqual(parsed.model);
    expectSchemaValid(xml);
  });

  it('writes the whole file when units come or go, and only the changes again after that', () => {
    const current = readStored(HAND_WRITTEN);
    const added = copyModel(current.model);
    added.units.push({ id: 'd', source: 'D', approved: false, revision: 0, notes: [], state: 'needs-translation' });
    const first = updateXliff12(current, added, { file: 'doc.xlf' });
    expect(first.written).toBeUndefined();
    expect(first.xml).toBe(serializeXmlDocument(domHeld(first.parsed).dom));

    const changed = copyModel(first.parsed.model);
    changed.units[0].target = 'A2';
    const second = updateXliff12(first.parsed, changed, { file: 'doc.xlf' });
    expect(second.written?.length).toBeGreaterThan(0);
    expect(second.xml).toBe(serializeXmlDocument(domHeld(second.parsed).dom));

    const removed = { ...copyModel(second.parsed.model), removeUnits: ['b'] };
    removed.units = removed.units.filter((unit) => unit.id !== 'b');
    const third = updateXliff12(second.parsed, removed, { file: 'doc.xlf' });
    expect(third.written).toBeUndefined();
    expect(parseXliff12(third.xml, { file: 'doc.xlf' }).model).toEqual(third.parsed.model);
    expectSchemaValid(third.xml);
  });

  it('gives, for a file the writer wrote, the same text as a whole rewrite, update after update', () => {
    const text = fc.constantFrom(...TEXTS);
    const edit = fc.record({
      at: fc.nat(),
      field: fc.constantFrom('target', 'source', 'state', 'approved', 'previous', 'notes', 'revision', 'sourceVersion', 'untranslate', 'machine'),
      text,
    });
    fc.assert(
      fc.property(fc.array(text, { minLength: 4, maxLength: 12 }), fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (sources, rounds) => {
        const built = buildXliff12(
          createLocaleFile(
            'doc',
            'en',
            'es',
            sources.map((source, i) => ({ id: `s${i}`, source, target: `T ${source}`, state: 'translated' as const })),
          ),
          { file: 'doc.xlf' },
        );
        let current = readStored(built.xml);
        for (const [round, edits] of rounds.entries()) {
          const model = copyModel(current.model);
          model.sourceVersion = round + 2;
          for (const { at, field, text: value } of edits) editUnit(model.units[at % model.units.length], field, value);
          const { xml, parsed, written } = updateXliff12(current, model, { file: 'doc.xlf' });
          // 1 unit in 4 at most is written into the old text; more, and the whole file is.
          if (edits.length * 4 <= model.units.length) expect(written).toBeDefined();
          expect(xml).toBe(serializeXmlDocument(domHeld(parsed).dom));
          expect(parseXliff12(xml, { file: 'doc.xlf' }).model).toEqual(parsed.model);
          current = domHeld(parsed);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('replaceUnitsXliff12: a few units of a file replaced', () => {
  test('gives the same bytes and model as updateXliff12 with the same units changed, for any texts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXTS), fc.constantFrom(...TEXTS), fc.integer({ min: 0, max: 2 }), (first, second, which) => {
        const viaUpdate = readStored(HAND_WRITTEN);
        const viaReplace = readStored(HAND_WRITTEN);
        const changed = (unit: Unit, text: string): Unit => ({ ...unit, target: text, state: 'translated', revision: unit.revision + 1 });
        const ids = [viaUpdate.model.units[which].id, viaUpdate.model.units[(which + 1) % 3].id];
        const replacements = ids.map((id, i) => changed(viaReplace.model.units.find((u) => u.id === id) as Unit, i === 0 ? first : second));
        const draft = copyModel(viaUpdate.model);
        for (const unit of replacements) draft.units[draft.units.findIndex((u) => u.id === unit.id)] = structuredClone(unit);
        const expected = updateXliff12(viaUpdate, draft, { file: 'doc.xlf' });
        const actual = replaceUnitsXliff12(viaReplace, replacements, { file: 'doc.xlf' });
        expect(Buffer.from(actual.bytes).toString('utf8')).toBe(Buffer.from(expected.bytes).toString('utf8'));
        expect(actual.parsed.model).toEqual(expected.parsed.model);
        expect(readStored(actual.xml).model).toEqual(actual.parsed.model);
      }),
      { numRuns: 30 },
    );
  });

  test('gives, save after save on the same document, the bytes a fresh read of the last file would give', () => {
    const texts = fc.constantFrom('', 'a', 'A longer translation — with “marks”', 'Ünï 😀 & <x>', 'x'.repeat(300));
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.nat(39), texts), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), (saves) => {
        const built = buildXliff12(
          createLocaleFile('doc', 'en', 'es', Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, source: `Source ${i}`, target: `T${i}`, state: 'translated' as const }))),
          { file: 'doc.xlf' },
        );
        let chained = readStored(built.xml);
        let xml = built.xml;
        for (const save of saves) {
          const byId = new Map<string, Unit>();
          for (const [at, text] of save) byId.set(`s${at}`, { ...chained.model.units[at], target: text, revision: chained.model.units[at].revision + 1 });
          const replacements = [...byId.values()];
          const fresh = replaceUnitsXliff12(readStored(xml), replacements, { file: 'doc.xlf' });
          const output = replaceUnitsXliff12(chained, replacements, { file: 'doc.xlf' });
          expect(Buffer.from(output.bytes).toString('utf8')).toBe(Buffer.from(fresh.bytes).toString('utf8'));
          for (const part of output.written ?? []) expect(Buffer.from(output.bytes).subarray(part.start, part.end).toString('utf8')).toBe(part.text);
          xml = output.xml;
          chained = domHeld(output.parsed);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('writes only the replaced units: the rest of the hand-written file is the same bytes, and it is schema-valid', () => {
    const parsed = readStored(HAND_WRITTEN);
    const b = parsed.model.units[1];
    const output = replaceUnitsXliff12(parsed, [{ ...b, target: 'B2', revision: b.revision + 1 }], { file: 'doc.xlf' });
    expect(output.written).toHaveLength(1);
    expect(output.xml).toContain("<trans-unit id='a'   resname='first' xml:space='preserve'>");
    expect(output.xml).toContain('<!-- chapter 1 -->');
    expect(output.xml).toContain('B2');
    expectSchemaValid(output.xml);
  });

  test('refuses a unit the file does not have, a bad text and the same unit twice, without writing', () => {
    const parsed = readStored(HAND_WRITTEN);
    const a = parsed.model.units[0];
    expect(() => replaceUnitsXliff12(readStored(HAND_WRITTEN), [{ ...a, id: 'nope' }], { file: 'doc.xlf' })).toThrow(/no trans-unit "nope"/);
    expect(() => replaceUnitsXliff12(readStored(HAND_WRITTEN), [{ ...a, target: 'bell \u0007' }], { file: 'doc.xlf' })).toThrow(/U\+0007/);
    expect(() => replaceUnitsXliff12(readStored(HAND_WRITTEN), [{ ...a, target: '1' }, { ...a, target: '2' }], { file: 'doc.xlf' })).toThrow(/duplicate unit id/);
  });
});
