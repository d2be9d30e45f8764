import type { Document, Element } from '@xmldom/xmldom';
import type { LocaleFile, Unit } from '../../server/domain/types';
import { removeElements } from '../../server/formats/domEdit';
import { buildXliff12 } from '../../server/formats/buildXliff12';
import { parseXliff12 } from '../../server/formats/parseXliff12';
import { fileAndBody, type ParsedXliff12, type UnitSlot } from '../../server/formats/xliff12Model';
import { assertRemovableUnits, assertWritableModel } from '../../server/formats/xliff12ModelCheck';
import { type HeldXliff12, isSpanHeld, readSpansXliff12 } from '../../server/formats/xliff12Spans';
import { documentTexts } from '../../server/formats/xliff12Text';
import { transUnits } from '../../server/formats/xliff12Vocabulary';
import { applyModel } from '../../server/formats/updateXliff12';
import { serializeXmlDocumentTracking } from '../../server/formats/xmlSafety';

/** Convenience constructor: units get defaults (not approved, revision 0, no notes, untranslated state). */
export function createLocaleFile(
  document: string,
  sourceLanguage: string,
  targetLanguage: string,
  units: Array<Pick<Unit, 'id' | 'source'> & Partial<Unit>>,
): LocaleFile {
  return {
    document,
    sourceLanguage,
    targetLanguage,
    units: units.map((u) => ({
      ...u,
      // An untranslated unit is written as <target state="needs-translation"/> and read back so.
      ...(u.target === undefined && u.state === undefined ? { state: 'needs-translation' as const } : {}),
      approved: u.approved ?? false,
      revision: u.revision ?? 0,
      notes: u.notes ?? [],
    })),
  };
}

/**
 * For the tests of the writer: serializes `model`. With `existing` (a document from parseXliff12), that document is updated in
 * place and everything the model does not describe is kept, but for the units `model.removeUnits`
 * lists, which are taken out (see updateXliff12); without it a new document is built.
 */
export function serializeXliff12(model: LocaleFile, existing?: Document): string {
  if (!existing) return buildXliff12(model, { file: 'serializeXliff12' }).xml;
  assertWritableModel(model);
  // The document is changed here, not by updateXliff12: the text it was read as no longer describes it.
  documentTexts.delete(existing);
  assertRemovableUnits(model);
  const { fileEl, body } = fileAndBody(existing);
  // A bare document: every unit is written (and normalized), as found by id (the first one wins).
  const index = new Map<string, UnitSlot>();
  const removing = new Set(model.removeUnits);
  const removed: Element[] = [];
  for (const tu of transUnits(body)) {
    const id = tu.getAttribute('id') ?? '';
    if (removing.has(id)) removed.push(tu);
    else if (!index.has(id)) index.set(id, { element: tu, position: -1, written: false });
  }
  removeElements(removed);
  applyModel(fileEl, body, model, index);
  return serializeXmlDocumentTracking(existing).xml;
}

/** Reads a file as the locale store does: its text, and the bytes it was decoded from. */
export function readStored(xml: string): ParsedXliff12 {
  return parseXliff12(xml, { file: 'doc.xlf', bytes: Buffer.from(xml, 'utf8') });
}

/** One edit of a unit, for the writers' property tests: `field` names what changes, `value` the text it brings. */
export function editUnit(unit: Unit, field: string, value: string): void {
  switch (field) {
    case 'target':
      unit.target = `T ${value}`;
      unit.state = 'translated';
      break;
    case 'source':
      unit.source = `${unit.source} ${value}`;
      break;
    case 'state':
      unit.state = unit.state === 'final' ? 'needs-review-translation' : 'final';
      break;
    case 'approved':
      unit.approved = !unit.approved;
      break;
    case 'previous':
      unit.previous = unit.previous ? undefined : { source: `old ${value}`, target: value === '' ? undefined : `old T ${value}` };
      break;
    case 'notes':
      unit.notes = unit.notes.length ? [] : [{ text: value, from: 'reviewer' }];
      break;
    case 'addNote':
      unit.notes = [...unit.notes, { text: value, from: 'reviewer', priority: 3 }];
      break;
    case 'revision':
      unit.revision += 1;
      break;
    case 'sourceVersion':
      unit.sourceVersion = (unit.sourceVersion ?? 0) + 1;
      break;
    case 'machine':
      unit.machine = unit.machine ? undefined : true;
      break;
    case 'untranslate':
      unit.target = undefined;
      unit.state = 'needs-translation';
      break;
  }
}

/** The file `xml` (one the workbench wrote) held as spans, its model read from it: fails for one that cannot be. */
export function spanHeld(xml: string, ctx: { file: string } = { file: 'doc.xlf' }): HeldXliff12 {
  const held = readSpansXliff12(Buffer.from(xml, 'utf8'), readStored(xml).model, ctx);
  if (!held) throw new Error('not held as spans');
  return held;
}

/** A file held with its DOM (parsed whole, or a skeleton), as the DOM writer gives it: fails for one held as spans. */
export function domHeld(held: HeldXliff12): ParsedXliff12 {
  if (isSpanHeld(held)) throw new Error('expected a file held with its DOM, found one held as spans');
  return held;
}

/**
 * One edit of a model, for the writers' property tests: a unit added (`add`, its id made of the
 * round and the place), taken out (`remove`, listed in removeUnits), or changed as editUnit does.
 */
export function editModel(model: LocaleFile, at: number, field: string, value: string, round: number): void {
  const units = model.units;
  if (units.length === 0) return;
  const i = at % units.length;
  const unit: Unit = units[i];
  switch (field) {
    case 'add':
      // A unit taken out in this change is not added again by it (the model would be refused).
      if (!units.some((u) => u.id === `n${round}-${i}`) && !model.removeUnits?.includes(`n${round}-${i}`)) units.splice(i, 0, { id: `n${round}-${i}`, source: value, approved: false, revision: 0, notes: [], state: 'needs-translation' });
      break;
    case 'remove':
      if (units.length > 1) {
        model.removeUnits = [...(model.removeUnits ?? []), unit.id];
        units.splice(i, 1);
      }
      break;
    default:
      editUnit(unit, field, value);
  }
}
