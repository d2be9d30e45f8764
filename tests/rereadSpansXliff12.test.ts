import fc from 'fast-check';
import type { LocaleFile, Unit } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { rereadSpansXliff12 } from '../server/formats/rereadSpansXliff12';
import { streamXliff12 } from '../server/formats/streamXliff12';
import { replaceUnitsXliff12, updateXliff12 } from '../server/formats/updateXliff12';
import { chunkComparer, type HeldXliff12, isSpanHeld, type SpanXliff12 } from '../server/formats/xliff12Spans';
import { createLocaleFile, editModel, editUnit, readStored, spanHeld } from './helpers/xliff12Files';

// A file held as spans, written since by another process, is read again unit by unit: the units
// whose bytes did not change keep their model, the others are read. Whatever changed, the result
// is the one a whole read of the new bytes gives, or nothing (the caller then reads it whole).

const ctx = { file: 'doc.xlf' };
const copy = (model: LocaleFile): LocaleFile => structuredClone(model);
const built = (sources: string[]): string =>
  buildXliff12(createLocaleFile('doc', 'en', 'es', sources.map((source, i) => ({ id: `s${i}`, source, target: `T ${source}`, state: 'translated' as const }))), ctx).xml;
const spans = (held: HeldXliff12): SpanXliff12 => {
  if (!isSpanHeld(held)) throw new Error('expected a file held as spans');
  return held;
};

/** What a whole read of `xml` holds: its model and which units are written as read, by id. */
function wholeRead(xml: string): { model: LocaleFile; written: Record<string, boolean> } {
  const held = spans(streamXliff12(Buffer.from(xml, 'utf8'), ctx) as HeldXliff12);
  return { model: held.model, written: Object.fromEntries([...held.unitIndex].map(([id, slot]) => [id, slot.written])) };
}

function reread(previous: HeldXliff12, xml: string): { model: LocaleFile; written: Record<string, boolean> } | undefined {
  const held = rereadSpansXliff12(spans(previous), Buffer.from(xml, 'utf8'), ctx);
  return held && { model: held.model, written: Object.fromEntries([...held.unitIndex].map(([id, slot]) => [id, slot.written])) };
}

describe('a locale file read again after another process wrote it', () => {
  test('holds what a whole read holds, whatever the other process changed, from a file held after saves of its own', () => {
    const text = fc.constantFrom('Plain.', 'A & B < C > D', 'Ünï — “x” 😀', 'CR\r\nLF\rend', 'tab\tand\nnewline', 'CDATA ]]> end', '');
    const edit = fc.record({ at: fc.nat(), field: fc.constantFrom('target', 'source', 'approved', 'previous', 'notes', 'revision', 'machine', 'add', 'remove'), text });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 10 }), fc.array(edit, { maxLength: 3 }), fc.array(edit, { minLength: 0, maxLength: 5 }), fc.boolean(), (sources, ownSaves, theirs, move) => {
        const xml = built(sources);
        // This process: the file held as spans, then saves of its own (units rewritten in place: the places shift).
        let held: HeldXliff12 = spanHeld(xml, ctx);
        let current = xml;
        for (const { at, field, text: value } of ownSaves) {
          if (field === 'add' || field === 'remove') continue;
          const unit = copy(held.model).units[at % held.model.units.length];
          editUnit(unit, field, value);
          const output = replaceUnitsXliff12(held, [unit], ctx);
          held = output.parsed;
          current = output.xml;
        }
        // Another process: the file as it is on disk, changed (units written, added, taken out, moved) and written whole.
        const model = copy(readStored(current).model);
        for (const [round, { at, field, text: value }] of theirs.entries()) editModel(model, at, field, value, round);
        if (move && model.units.length > 2) model.units.push(...model.units.splice(0, 1));
        const written = updateXliff12(readStored(current), model, ctx).xml;
        const again = reread(held, written);
        expect(again).toEqual(wholeRead(written));
      }),
      { numRuns: 300 },
    );
  });

  test('takes the units whose bytes did not change as they were, and reads the others', () => {
    const xml = built(['One.', 'Two.', 'Three.']);
    const held = spans(spanHeld(xml, ctx));
    const changed = xml.replace('T Two.', 'Dos, a mano');
    const again = rereadSpansXliff12(held, Buffer.from(changed, 'utf8'), ctx);
    expect(again?.model.units.map((u) => u.target)).toEqual(['T One.', 'Dos, a mano', 'T Three.']);
    // The same objects for the units that did not change: nothing was read for them.
    expect(again?.model.units[0]).toBe(held.model.units[0]);
    expect(again?.model.units[2]).toBe(held.model.units[2]);
    expect(again?.model.units[1]).not.toBe(held.model.units[1]);
    // Nothing changed but the file's identity (rewritten as it was): every unit taken as it was.
    const same = rereadSpansXliff12(held, Buffer.from(xml, 'utf8'), ctx);
    expect(same?.model.units.every((unit, i) => unit === held.model.units[i])).toBe(true);
  });

  test('leaves the file to a whole read when more than its units changed, or a unit is not one it reads', () => {
    const xml = built(['One.', 'Two.', 'Three.']);
    const held = spans(spanHeld(xml, ctx));
    const refused = (text: string): void => expect(rereadSpansXliff12(held, Buffer.from(text, 'utf8'), ctx)).toBeUndefined();
    // The frame: the file's attributes, its header (the source version), a declaration.
    refused(xml.replace('target-language="es"', 'target-language="fr"'));
    refused(xml.replace('<header>', '<header>\n      <note>a note</note>'));
    refused(xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'));
    // A unit malformed, one with another tool's markup the streaming reader leaves to the DOM, a comment between units.
    refused(xml.replace('<target state="translated">T Two.</target>', '<target state="translated">T Two.</targt>'));
    refused(xml.replace('T Two.', 'T Two.\u0001'));
    refused(xml.replace('<source>Two.</source>', '<source>Two.</source><![CDATA[x]]>'));
    refused(xml.replace(/(\n\s*)<trans-unit id="s1"/, '$1<!-- c -->$1<trans-unit id="s1"'));
    // Two units with one id, a unit on the line of another.
    refused(xml.replace(/id="s2"/g, 'id="s1"').replace('workbench:s2', 'workbench:s1'));
    refused(xml.replace(/<\/trans-unit>\s*<trans-unit id="s1"/, '</trans-unit> <trans-unit id="s1"'));
    // Every unit taken out.
    refused(xml.replace(/\s*<trans-unit[\s\S]*<\/trans-unit>/, ''));
  });

  test('a unit added with an id whose start tag only an attribute search reads is read', () => {
    const xml = built(['One.', 'Two.']);
    const held = spans(spanHeld(xml, ctx));
    const model = copy(held.model);
    model.units.push({ id: 'é-nuevo', source: 'New.', target: 'Nuevo.', state: 'translated', approved: false, revision: 0, notes: [] } satisfies Unit);
    const written = updateXliff12(readStored(xml), model, ctx).xml.replace('<trans-unit id="é-nuevo" xml:space="preserve">', '<trans-unit xml:space="preserve" id="é-nuevo">');
    expect(reread(held, written)).toEqual(wholeRead(written));
    expect(reread(held, written)?.model.units.map((u) => u.id)).toEqual(['s0', 's1', 'é-nuevo']);
  });
});

describe('chunkComparer', () => {
  it('compares a range of a file held in chunks with a range of bytes, across the chunks, as a comparison of the joined file does', () => {
    const text = Buffer.from('<a>uno</a>\n<b>dos, tres</b>\n<c>cuatro — cinco</c>\n', 'utf8');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: text.length }),
        fc.integer({ min: 0, max: text.length }),
        fc.integer({ min: 0, max: text.length }),
        fc.boolean(),
        (cuts, a, b, start, change) => {
          // The file cut into chunks at the given places (some chunks views into a bigger buffer).
          const at = [...new Set(cuts)].sort((x, y) => x - y);
          const chunks = [0, ...at].map((from, i) => Uint8Array.from(text.subarray(from, at[i] ?? text.length)));
          const [from, to] = a <= b ? [a, b] : [b, a];
          const other = Buffer.from(text);
          if (change && to > from) other[Math.min(start + (to - from) - 1, other.length - 1)] ^= 0x01;
          const end = Math.min(start + (to - from), other.length);
          const expected = text.subarray(from, to).equals(other.subarray(start, end));
          expect(chunkComparer(chunks)(from, to, other, start, end)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
