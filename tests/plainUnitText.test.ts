import fc from 'fast-check';
import type { LocaleFile, Unit, XliffState } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { plainUnitsIn, writePlainUnitText } from '../server/formats/plainUnitText';
import { updateXliff12 } from '../server/formats/updateXliff12';
import { createLocaleFile, readStored, spanHeld } from './helpers/xliff12Files';

// A unit in the writer's plain form is written as text, without a DOM (writePlainUnitText): the
// text and the unit read back must be, character for character, what the DOM writer gives. The
// units here get their form from the DOM writer itself (a first unit written over a built one),
// then a second unit is written over them both ways.

const ctx = { file: 'doc.xlf' };
const text = fc.constantFrom('Plain.', 'A & B < C > D', 'Ünï — “x” 😀', 'tab\tand\nnewline', 'CR\r\nLF\rend', ']]> "q" \'a\'', '');
const state = fc.constantFrom<XliffState | undefined>(undefined, 'translated', 'needs-review-translation', 'final', 'signed-off', 'needs-translation');
const unitOf = fc.record({
  source: text,
  target: fc.option(text, { nil: undefined }),
  state,
  approved: fc.boolean(),
  machine: fc.option(fc.constant(true), { nil: undefined }),
  previous: fc.option(fc.record({ source: text, target: fc.option(text, { nil: undefined }) }), { nil: undefined }),
  revision: fc.constantFrom(0, 0, 1, 7),
  sourceVersion: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
  // Sometimes what only the DOM writes: a note.
  note: fc.constantFrom(false, false, false, false, true),
});
type Drawn = typeof unitOf extends fc.Arbitrary<infer T> ? T : never;

const asUnit = (drawn: Drawn): Unit => {
  const unit: Unit = { id: 's0', source: drawn.source, approved: drawn.approved, revision: drawn.revision, notes: drawn.note ? [{ text: 'n' }] : [] };
  if (drawn.sourceVersion !== undefined) unit.sourceVersion = drawn.sourceVersion;
  if (drawn.target !== undefined) unit.target = drawn.target;
  if (drawn.state !== undefined) unit.state = drawn.state;
  if (drawn.machine) unit.machine = true;
  if (drawn.previous) unit.previous = drawn.previous.target === undefined ? { source: drawn.previous.source } : drawn.previous;
  return unit;
};
const withUnit = (model: LocaleFile, unit: Unit): LocaleFile => ({ ...structuredClone(model), units: [structuredClone(unit)] });
/** The file's one unit: its text and the whitespace before it. */
const unitIn = (xml: string): { gap: string; text: string } => {
  const found = /<body>([ \t\n]*)(<trans-unit[\s\S]*<\/trans-unit>)/.exec(xml);
  if (!found) throw new Error('no unit');
  return { gap: found[1], text: found[2] };
};
/** Other indentations than the writer's own: tabs, or units at the body's level. */
const indented = (xml: string, how: string): string =>
  how === 'tabs' ? xml.replace(/\n( +)/g, (_, spaces: string) => `\n${'\t'.repeat(spaces.length / 2)}`) : how === 'flat' ? xml.replace(/\n {6}</g, '\n    <') : xml;

describe('a plain unit written as text', () => {
  test('gives the text and unit the DOM writer gives, whatever the unit was and becomes', () => {
    const taken = { any: 0, previousAdded: 0, previousKept: 0, previousRemoved: 0, approvedNo: 0, machine: 0, countsAdded: 0, countsKept: 0, countsRemoved: 0, countAfterPrevious: 0 };
    fc.assert(
      fc.property(unitOf, unitOf, fc.constantFrom('spaces', 'tabs', 'flat'), (first, second, how) => {
        // The unit's form: built, then written over by the DOM writer (a whole parse).
        const built = createLocaleFile('doc', 'en', 'es', [{ id: 's0', source: 'Built.' }]);
        const start = indented(updateXliff12(readStored(buildXliff12(built, ctx).xml), withUnit(built, asUnit(first)), ctx).xml, how);
        const model = readStored(start).model;
        const next = asUnit(second);
        const expected = updateXliff12(readStored(start), withUnit(model, next), ctx);
        const { gap, text: before } = unitIn(start);
        const fast = writePlainUnitText(before, gap, structuredClone(next));
        if (fast) {
          expect(fast.text).toBe(unitIn(expected.xml).text);
          expect(fast.unit).toEqual(expected.parsed.model.units[0]);
          taken.any++;
          const had = before.includes('<alt-trans');
          if (next.previous && !had) taken.previousAdded++;
          if (next.previous && had) taken.previousKept++;
          if (!next.previous && had) taken.previousRemoved++;
          if (fast.text.includes('approved="no"')) taken.approvedNo++;
          if (fast.text.includes('state-qualifier')) taken.machine++;
          const counted = before.includes('<count-group');
          if (fast.text.includes('<count-group') && !counted) taken.countsAdded++;
          if (fast.text.includes('<count-group') && counted) taken.countsKept++;
          if (!fast.text.includes('<count-group') && counted) taken.countsRemoved++;
          if (/<\/alt-trans>\s*<count-group/.test(fast.text)) taken.countAfterPrevious++;
        } else {
          // Only what the text writer leaves to the DOM: a unit with notes, or one whose previous
          // version has no source and gets one.
          const unplain = next.notes.length > 0 || before.includes('<note') || (before.includes('<alt-trans') && !/<alt-trans[^>]*>\s*<source/.test(before) && !!next.previous?.source);
          expect(unplain).toBe(true);
        }
        // Whole files held as spans take the same path: the same file as a whole parse writes.
        expect(updateXliff12(spanHeld(start, ctx), withUnit(model, next), ctx).xml).toBe(expected.xml);
      }),
      { numRuns: 600 },
    );
    // Each kind of change was written as text at least once (the test would otherwise hold nothing).
    expect(taken.any).toBeGreaterThan(200);
    for (const [kind, count] of Object.entries(taken)) expect({ kind, count: count > 0 }).toEqual({ kind, count: true });
  });

  test('leaves to the DOM what is not in the plain form', () => {
    const unit: Unit = { id: 's0', source: 'New.', target: 'Nuevo.', state: 'translated', approved: false, revision: 0, notes: [] };
    const gap = '\n      ';
    const plain = '<trans-unit id="s0" xml:space="preserve">\n        <source>Old.</source>\n        <target state="translated">Viejo.</target>\n      </trans-unit>';
    expect(writePlainUnitText(plain, gap, unit)?.text).toBe('<trans-unit id="s0" xml:space="preserve">\n        <source>New.</source>\n        <target state="translated">Nuevo.</target>\n      </trans-unit>');
    for (const [what, text] of [
      ['inline markup', plain.replace('Old.', 'Old <g id="1">x</g>.')],
      ['an entity of another form', plain.replace('Old.', 'Old&#10;.')],
      ['a raw ">"', plain.replace('Old.', 'a > b')],
      ['a note', plain.replace('</target>', '</target>\n        <note>n</note>')],
      ['another attribute', plain.replace('xml:space="preserve"', 'xml:space="preserve" resname="x"')],
      ['single quotes', plain.replace('id="s0"', "id='s0'")],
      ['no xml:space', plain.replace(' xml:space="preserve"', '')],
      ['another alt-trans', plain.replace('</target>', '</target>\n        <alt-trans origin="tm">\n          <target>x</target>\n        </alt-trans>')],
      ['a comment', plain.replace('</target>', '</target><!-- c -->')],
      ['another id', plain.replace('id="s0"', 'id="s1"')],
    ]) {
      expect({ what, written: writePlainUnitText(text, gap, unit) }).toEqual({ what, written: undefined });
    }
    // Nor a unit that gets notes, or counts that are not whole numbers (refused before any write: see assertWritableModel).
    expect(writePlainUnitText(plain, gap, { ...unit, notes: [{ text: 'n' }] })).toBeUndefined();
    expect(writePlainUnitText(plain, gap, { ...unit, revision: 1.5 })).toBeUndefined();
    expect(writePlainUnitText(plain, gap, { ...unit, sourceVersion: -1 })).toBeUndefined();
    // Counts as the writer writes them, in the unit's own group: not the legacy shared group, nor another count.
    const counted = plain.replace('</target>', '</target>\n        <count-group name="workbench:s0">\n          <count count-type="x-revision" unit="x-edit">3</count>\n        </count-group>');
    expect(writePlainUnitText(counted, gap, { ...unit, revision: 4 })?.text).toContain('<count count-type="x-revision" unit="x-edit">4</count>');
    for (const [what, text] of [
      ['the shared group', counted.replace('workbench:s0', 'workbench')],
      ['another unit of count', counted.replace('x-edit', 'word')],
      ['another count', counted.replace('x-revision', 'x-other')],
      ['a count twice', counted.replace('</count>', '</count>\n          <count count-type="x-revision" unit="x-edit">3</count>')],
      ['an empty group', counted.replace(/<count-group([^>]*)>[\s\S]*<\/count-group>/, '<count-group$1/>')],
    ]) {
      expect({ what, written: writePlainUnitText(text, gap, { ...unit, revision: 4 }) }).toEqual({ what, written: undefined });
    }
    // The names must be XLIFF 1.2's: the text writer is used only where they are unprefixed in its namespace.
    expect(plainUnitsIn(' xmlns="urn:oasis:names:tc:xliff:document:1.2"')).toBe(true);
    expect(plainUnitsIn(' xmlns:x="urn:oasis:names:tc:xliff:document:1.2"')).toBe(false);
  });
});
