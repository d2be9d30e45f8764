import fc from 'fast-check';
import type { LocaleFile } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { UnitWrites } from '../server/formats/unitWrites';
import { updateXliff12 } from '../server/formats/updateXliff12';
import type { HeldXliff12 } from '../server/formats/xliff12Spans';
import { createLocaleFile, editModel, readStored, spanHeld } from './helpers/xliff12Files';

// A source update brings every locale of a document up at once, sharing the units it writes
// (UnitWrites): a unit written the same way in the same bytes of another file is taken from the
// first write. Whatever the files and the changes, each file's text and model are the ones it gets
// on its own, written from a whole parse.

const ctx = { file: 'doc.xlf' };
const copy = (model: LocaleFile): LocaleFile => structuredClone(model);
const spans = (xml: string): HeldXliff12 => spanHeld(xml, ctx);
const untranslated = (sources: string[], lang = 'es'): string =>
  buildXliff12(createLocaleFile('doc', 'en', lang, sources.map((source, i) => ({ id: `s${i}`, source }))), ctx).xml;
/** The same file with other whitespace before its units (another indentation), or another namespace in scope. */
const reindented = (xml: string): string => xml.replace(/\n( *)<trans-unit/g, '\n\t<trans-unit');
const withNamespace = (xml: string): string => xml.replace('<xliff ', '<xliff xmlns:x="urn:example:other" ');

describe('units written once for the files of one change', () => {
  test('each file gets the text and model it gets on its own, whichever files and changes share the writes', () => {
    const text = fc.constantFrom('Plain.', 'A & B < C > D', 'Ünï — “x” 😀', 'tab\tand\nnewline', '');
    const edit = fc.record({ at: fc.nat(), field: fc.constantFrom('target', 'source', 'approved', 'previous', 'notes', 'revision', 'machine', 'add', 'remove'), text });
    const variant = fc.constantFrom('same', 'reindented', 'namespace', 'french');
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 8 }),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ variant, own: fc.array(edit, { maxLength: 2 }) }), { minLength: 2, maxLength: 4 }),
        (sources, shared, files) => {
          const writes = new UnitWrites();
          const base = untranslated(sources);
          for (const { variant: kind, own } of files) {
            const xml = kind === 'reindented' ? reindented(base) : kind === 'namespace' ? withNamespace(base) : kind === 'french' ? untranslated(sources, 'fr') : base;
            const model = copy(readStored(xml).model);
            model.sourceVersion = 2;
            // The update's changes, the same in every file, and some of the file's own (a unit translated in one locale only).
            for (const { at, field, text: value } of [...shared, ...own]) editModel(model, at, field, value, 1);
            const output = updateXliff12(spans(xml), copy(model), { ...ctx, writes });
            const alone = updateXliff12(readStored(xml), copy(model), ctx);
            expect(output.xml).toBe(alone.xml);
            expect(output.parsed.model).toEqual(alone.parsed.model);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a second file with the same units and the same changes writes nothing again', () => {
    const xml = untranslated(['One.', 'Two & three.', 'Four.']);
    const model = copy(readStored(xml).model);
    model.sourceVersion = 2;
    model.units[1].source = 'Two & three, edited.';
    model.units[2].source = 'Four, edited.';
    // With a note each: a unit in the plain form is written as text, not parsed (see writePlainUnitText).
    model.units[1].notes = [{ text: 'Check the number.' }];
    model.units[2].notes = [{ text: 'Check the number.' }];
    const writes = new UnitWrites();
    const first = updateXliff12(spans(xml), copy(model), { ...ctx, writes });
    expect(writes.size).toBe(2);
    const second = updateXliff12(spans(xml), copy(model), { ...ctx, writes });
    // Taken from the first file's writes: none was made again.
    expect(writes.size).toBe(2);
    expect(second.xml).toBe(first.xml);
    // Each file's model has units of its own: changing one changes nothing in the other.
    expect(second.parsed.model.units[1]).not.toBe(first.parsed.model.units[1]);
    second.parsed.model.units[1].notes.push({ text: 'mine' });
    expect(first.parsed.model.units[1].notes).toEqual([{ text: 'Check the number.' }]);
    // A unit changed otherwise in a third file (translated there) is written for it.
    const translated = copy(model);
    translated.units[1].target = 'Dos y tres.';
    translated.units[1].state = 'translated';
    const third = updateXliff12(spans(xml), copy(translated), { ...ctx, writes });
    expect(third.xml).toContain('<target state="translated">Dos y tres.</target>');
    expect(third.xml).toBe(updateXliff12(readStored(xml), copy(translated), ctx).xml);
    // And the first file's change, in a fourth file, is still the first file's text.
    expect(updateXliff12(spans(xml), copy(model), { ...ctx, writes }).xml).toBe(first.xml);
  });
});
