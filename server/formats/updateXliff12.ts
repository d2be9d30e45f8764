/** Writing a model into a document held in memory: in place, so whatever the workbench does not understand (unknown attributes, context groups, alt-trans, foreign elements, comments, header contents, units it does not know) survives a save. */
import type { Element } from '@xmldom/xmldom';
import type { LocaleFile, Unit } from '../domain/types';
import { createElementLike, firstChildElement, firstElementChild, insertAfter, insertChild, removeElements } from './domEdit';
import { FILE_ATTRIBUTES, fileAndBody, fileFields, type ParsedXliff12, splicedOutput, type UnitSlot, writeFailure, writeFileFields, type Xliff12Output } from './xliff12Model';
import { assertRemovableUnits, assertWritableModel } from './xliff12ModelCheck';
import { changeCount, type DocumentText, documentTexts, serializeWhole, spliceText } from './xliff12Text';
import { isSkeleton } from './xliff12Placeholders';
import { realizeUnit } from './xliff12Skeleton';
import { type HeldXliff12, isSpanHeld, replaceUnitsSpans, skeletonOf, updateSpans } from './xliff12Spans';
import type { UnitWrites } from './unitWrites';
import { readUnit, sameUnit, writeUnit } from './xliff12Unit';
import { transUnits, XLIFF12_NS } from './xliff12Vocabulary';

/**
 * Applies `model` to a document held in memory (from parseXliff12, buildXliff12 or a previous call)
 * and serializes it. The DOM and the index of `current` are updated IN PLACE: whatever happens,
 * `current` must not be used afterwards; use the returned `parsed` (the document as parseXliff12
 * would read the returned text back) on success, and re-read the file on failure.
 *
 * Units equal to the ones last read back from their elements are not touched (elements this module
 * wrote, or read already in the form it writes them: the first save after a parse still writes
 * the units it reads in another form, normalizing legacy revision groups for instance), so a save
 * costs a comparison per unit plus the writing. When only a few units and the header are written
 * (none added or taken out), the new file is the text the document was read or last written as,
 * with those elements written again into it (`written` says where; the rest of the bytes are the
 * same): no serialization of the whole document, and none of the text that did not change.
 *
 * Units absent from the model are kept in the file, unless `model.removeUnits` lists them: those are
 * taken out of the document, the index and the returned model (ids the file does not have are
 * ignored; listing a unit the model holds is refused, 400). `removeUnits` itself is never written
 * nor part of the returned model.
 *
 * `ctx.writes`, shared by the files of one change (a source update of every locale), lets a file
 * held as spans take a unit's write from another file that wrote the same (see UnitWrites).
 */
export function updateXliff12(current: HeldXliff12, model: LocaleFile, ctx: { file: string; writes?: UnitWrites }): Xliff12Output {
  if (!isSpanHeld(current)) return updateDom(current, model, ctx);
  // A file held as spans is changed without a DOM; what only a DOM changes is made on a skeleton of its bytes.
  const output = updateSpans(current, model, ctx);
  if (output) return output;
  const skeleton = skeletonOf(current, ctx);
  if (!skeleton) throw writeFailure(ctx.file)('the file held as spans cannot be held as a skeleton');
  return updateDom(skeleton, model, ctx);
}

function updateDom(current: ParsedXliff12, model: LocaleFile, ctx: { file: string }): Xliff12Output {
  const writeFailed = writeFailure(ctx.file);
  const previous = current.model.units;
  // Each unit's slot, and whether the unit equals the one read back from its element: looked up
  // once, for the checks and the writing below.
  const modelUnits = model.units;
  const slots: (UnitSlot | undefined)[] = new Array<UnitSlot | undefined>(modelUnits.length);
  const same = new Uint8Array(modelUnits.length);
  for (let i = 0; i < modelUnits.length; i++) {
    const unit = modelUnits[i];
    const slot = current.unitIndex.get(unit.id);
    slots[i] = slot;
    if (slot !== undefined && slot.written && (previous[slot.position] === unit || sameUnit(previous[slot.position], unit))) same[i] = 1;
  }
  const unchanged = (_unit: Unit, i: number): boolean => same[i] === 1;
  assertWritableModel(model, unchanged);
  assertRemovableUnits(model);
  const { fileEl, body } = fileAndBody(current.dom);
  const fresh = takeFreshText(current);
  const fileAttributes = (): string => FILE_ATTRIBUTES.map((name) => fileEl.getAttribute(name)).join('\u0000');
  const attributesBefore = fresh && fileAttributes();
  const headerBefore = firstChildElement(fileEl, XLIFF12_NS, 'header');
  // First, so that no new unit is placed next to one going away. Positions stay those of `previous` until the model is rebuilt below.
  const removed = removeUnits(current.unitIndex, model.removeUnits);
  // Units held as placeholders (see readSkeletonXliff12) are parsed from their bytes when written.
  const realize = (slot: UnitSlot): Element => realizeUnit(slot, ctx.file);
  const { written, created } = applyModel(fileEl, body, model, current.unitIndex, unchanged, slots, realize);

  const reread = new Map<UnitSlot, Unit>();
  for (const slot of written) reread.set(slot, readUnit(slot.element, writeFailed));
  let units: Unit[];
  if (!created && removed.size === 0) {
    units = previous.slice();
    for (const [slot, unit] of reread) units[slot.position] = unit;
  } else if (!created) {
    // The same elements in the same order, less the removed ones: the units after them move up.
    units = [];
    for (const [position, unit] of previous.entries()) {
      if (removed.has(position)) continue;
      const slot = current.unitIndex.get(unit.id);
      if (!slot) throw writeFailed(`trans-unit "${unit.id}" is missing from the index`);
      units.push(reread.get(slot) ?? unit);
      slot.position = units.length - 1;
    }
  } else {
    // New elements: the model follows the document order, which only a walk of the body gives.
    units = [];
    for (const tu of transUnits(body)) {
      const slot = current.unitIndex.get(tu.getAttribute('id') ?? '');
      if (!slot || slot.element !== tu) throw writeFailed(`trans-unit "${tu.getAttribute('id')}" is missing from the index`);
      units.push(reread.get(slot) ?? previous[slot.position]);
      slot.position = units.length - 1;
    }
  }
  const parsed: ParsedXliff12 = { model: { ...fileFields(model), units }, dom: current.dom, unitIndex: current.unitIndex };
  // Only units and the header changed (no unit added or taken out, the <file> start tag as it
  // was): the new text is the old one with those elements written again, when they are few.
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  const spliceable = fresh && !created && removed.size === 0 && header === headerBefore && fileAttributes() === attributesBefore;
  return outputOf(current, fileEl, parsed, spliceable ? fresh : undefined, written, header);
}

/**
 * The text of the document as it is now, unless someone else changed the document since; taken
 * off the document either way (the write about to be made gives it its next one).
 */
function takeFreshText(current: ParsedXliff12): DocumentText | undefined {
  const text = documentTexts.get(current.dom);
  documentTexts.delete(current.dom);
  return text && text.changes === changeCount(current.dom) ? text : undefined;
}

/**
 * The file of `parsed`, whose document `current` was: when `fresh` (the text the document was
 * read or last written as) is given and the elements `written` (and `header`, when given) are few,
 * that text with those elements written again into it; otherwise the whole document serialized.
 */
function outputOf(
  current: ParsedXliff12,
  fileEl: Element,
  parsed: ParsedXliff12,
  fresh: DocumentText | undefined,
  written: readonly UnitSlot[],
  header?: Element,
): Xliff12Output {
  if (fresh && (written.length * 4 <= fresh.spans.length || isSkeleton(current.dom))) {
    const dirty = new Set<Element>(written.map((slot) => slot.element));
    if (header) dirty.add(header);
    const spliced = spliceText(current.dom, fresh, dirty);
    if (spliced) {
      const { chunks, size, parts } = spliced;
      return splicedOutput(chunks, size, parsed, parts);
    }
  }
  return { ...serializeWhole(current.dom, fileEl, current.unitIndex), parsed };
}

/**
 * updateXliff12 for a model that is `current`'s with some units replaced (same ids, same places,
 * the file's other fields as they are): only `replacements` are checked, compared and written, so
 * a save of a few units costs the same in a book as in a short text. A unit the document does not
 * have is refused (500: the caller's mistake). The same rules hold: `current` is updated in place
 * and must not be used afterwards.
 */
export function replaceUnitsXliff12(current: HeldXliff12, replacements: readonly Unit[], ctx: { file: string }): Xliff12Output {
  if (isSpanHeld(current)) return replaceUnitsSpans(current, replacements, ctx);
  const writeFailed = writeFailure(ctx.file);
  const previous = current.model.units;
  const slots = replacements.map((unit) => {
    const slot = current.unitIndex.get(unit.id);
    if (!slot) throw writeFailed(`there is no trans-unit "${unit.id}" to write`);
    return slot;
  });
  // The file's fields and the new units, as a model holding only them: the other units were read or written before.
  assertWritableModel({ ...fileFields(current.model), units: replacements as Unit[] });
  const { fileEl } = fileAndBody(current.dom);
  const fresh = takeFreshText(current);
  const written: UnitSlot[] = [];
  for (const [i, unit] of replacements.entries()) {
    const slot = slots[i];
    const before = previous[slot.position];
    if (slot.written && (before === unit || sameUnit(before, unit))) continue;
    writeUnit(realizeUnit(slot, ctx.file), unit, false);
    slot.written = true;
    written.push(slot);
  }
  const units = previous.slice();
  for (const slot of written) units[slot.position] = readUnit(slot.element, writeFailed);
  const parsed: ParsedXliff12 = { model: { ...fileFields(current.model), units }, dom: current.dom, unitIndex: current.unitIndex };
  return outputOf(current, fileEl, parsed, fresh, written);
}

/**
 * Takes the units `ids` lists out of a document held in memory: their `<trans-unit>` elements go,
 * with the whitespace before each (a `<group>` left without units stays: the strict schema allows
 * it), in one pass per parent however many there are, and so do their index entries. Ids not in the
 * index are ignored. Returns the model positions the removed units had (their slots' positions,
 * left as they were: the caller renumbers the units that stay).
 */
export function removeUnits(index: Map<string, UnitSlot>, ids: readonly string[] | undefined): Set<number> {
  const positions = new Set<number>();
  if (!ids?.length) return positions;
  const elements: Element[] = [];
  for (const id of ids) {
    const slot = index.get(id);
    if (!slot) continue;
    index.delete(id);
    positions.add(slot.position);
    elements.push(slot.element);
  }
  removeElements(elements);
  return positions;
}

/**
 * Writes the model's units into `body`, found through `index` (new ones are created after the
 * previous model unit and added to it). Units for which `skip` holds are left as they are.
 * `slots`, when given, are the units' slots already looked up in `index` (by position in the model).
 * Returns the slots written, and whether any element was created.
 */
export function applyModel(
  fileEl: Element,
  body: Element,
  model: LocaleFile,
  index: Map<string, UnitSlot>,
  skip?: (unit: Unit, i: number) => boolean,
  slots?: readonly (UnitSlot | undefined)[],
  realize: (slot: UnitSlot) => Element = (slot) => slot.element,
): { written: UnitSlot[]; created: boolean } {
  writeFileFields(fileEl, model);
  const written: UnitSlot[] = [];
  let created = false;
  let previous: Element | undefined;
  const units = model.units;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    let slot = slots ? slots[i] : index.get(unit.id);
    if (!slot) {
      const tu = createElementLike(body, XLIFF12_NS, 'trans-unit');
      tu.setAttribute('id', unit.id);
      // After the previous model unit (same parent, e.g. the same <group>), else first in <body>.
      if (previous) insertAfter(previous, tu);
      else insertChild(body, tu, firstElementChild(body) ?? null);
      slot = { element: tu, position: -1, written: false };
      index.set(unit.id, slot);
      writeUnit(tu, unit, true);
      created = true;
    } else if (skip?.(unit, i)) {
      previous = slot.element;
      continue;
    } else {
      writeUnit(realize(slot), unit, false);
    }
    slot.written = true;
    written.push(slot);
    previous = slot.element;
  }
  return { written, created };
}

