import fc from 'fast-check';
import { changedSince, derivedFile, isCompleteFor, progressIn, unitIn } from '../server/application/localeTally';
import { completeUnits } from '../server/domain/completeUnits';
import { computeProgress } from '../server/domain/computeProgress';
import { segmentDocument } from '../server/domain/segmentDocument';
import type { LocaleFile, Unit, XliffState } from '../server/domain/types';
import { SMALL_DOC } from './helpers/project';

// What a save needs of a large file (its progress, whether it is complete, where a unit is),
// carried from one version of the file to the next by the units changed: always what a pass over
// the whole file gives.

const document = { ...segmentDocument('small', SMALL_DOC, 'markdown'), version: 1 };

function completed(): LocaleFile {
  const file: LocaleFile = { document: 'small', sourceLanguage: 'en', targetLanguage: 'es', units: [] };
  completeUnits(document, file);
  return file;
}

const STATES: (XliffState | undefined)[] = ['translated', 'signed-off', 'needs-translation', 'needs-review-translation', undefined];

test('progress carried by the changes of batch after batch is the progress of the file', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.tuple(fc.nat(), fc.constantFrom(...STATES), fc.boolean()), { maxLength: 4 }), { maxLength: 8 }), (batches) => {
      let file = completed();
      expect(isCompleteFor(document, file)).toBe(true);
      progressIn(document, file);
      for (const batch of batches) {
        const changed = new Map<string, Unit>();
        for (const [n, state, withTarget] of batch) {
          const unit = file.units[n % file.units.length];
          changed.set(unit.id, { ...unit, target: withTarget ? `T${n}` : undefined, state, approved: state === 'signed-off', revision: unit.revision + 1 });
        }
        const next: LocaleFile = { ...file, units: file.units.map((u) => changed.get(u.id) ?? u) };
        derivedFile(document, file, next, [...changed.values()]);
        file = next;
        const units = new Map(file.units.map((u) => [u.id, u]));
        expect(progressIn(document, file)).toEqual(computeProgress(document.segments, units, 'en'));
        for (const unit of file.units) expect(unitIn(file, unit.id)).toBe(unit);
      }
    }),
    { numRuns: 60 },
  );
});

test('a file without a unit for a paragraph, or with an untranslated unit of an old text, is not complete; the order of its units does not matter', () => {
  const file = completed();
  expect(isCompleteFor(document, { ...file, units: [...file.units].reverse() })).toBe(true);
  expect(isCompleteFor(document, { ...file, units: file.units.slice(1) })).toBe(false);
  expect(isCompleteFor(document, { ...file, units: [{ ...file.units[0], source: 'an older text' }, ...file.units.slice(1)] })).toBe(false);
  expect(isCompleteFor(document, { ...file, units: [{ ...file.units[0], source: 'an older text', target: 'kept' }, ...file.units.slice(1)] })).toBe(true);
});

test('the units changed between two versions made by saves are known from the versions, whatever came between', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 10 }), fc.nat(), (batches, from) => {
      const versions = [completed()];
      for (const batch of batches) {
        const file = versions[versions.length - 1];
        const changed = new Map<string, Unit>();
        for (const n of batch) {
          const unit = file.units[n % file.units.length];
          changed.set(unit.id, { ...unit, target: `T${n}`, revision: unit.revision + 1 });
        }
        const next: LocaleFile = { ...file, units: file.units.map((u) => changed.get(u.id) ?? u) };
        derivedFile(document, file, next, [...changed.values()]);
        versions.push(next);
      }
      const a = versions[from % versions.length];
      const b = versions[versions.length - 1];
      const expected = new Set(b.units.filter((u, i) => u !== a.units[i]).map((u) => u.id));
      expect(changedSince(a, b)).toEqual(expected);
      // Backwards, or from a version of another line: not known.
      if (a !== b) expect(changedSince(b, a)).toBeUndefined();
      expect(changedSince(completed(), b)).toBeUndefined();
    }),
    { numRuns: 60 },
  );
});

