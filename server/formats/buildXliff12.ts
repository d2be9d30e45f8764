/** Writing a new XLIFF 1.2 locale file for a model. */
import type { LocaleFile, Unit } from '../domain/types';
import { appendChildLines, childIndent, createElementLike, indentOf } from './domEdit';
import { createSkeleton, fileAndBody, fileFields, type UnitSlot, writeFailure, writeFileFields, type Xliff12Output } from './xliff12Model';
import { assertWritableModel } from './xliff12ModelCheck';
import { serializeWhole } from './xliff12Text';
import { isPlainUnit, readUnit, writeNewPlainUnit, writeUnit } from './xliff12Unit';
import { XLIFF12_NS } from './xliff12Vocabulary';

/**
 * Builds a new document for `model` in one linear pass (`removeUnits` has nothing to take out of a
 * new document: it is ignored). Returns its text and the document as
 * parseXliff12 would read it back (the model is re-read from the elements written; `file` names the
 * file in the 500 'xliff-write-failed' error thrown if one does not read back).
 */
export function buildXliff12(model: LocaleFile, ctx: { file: string }): Xliff12Output {
  const writeFailed = writeFailure(ctx.file);
  assertWritableModel(model);
  const dom = createSkeleton();
  const { fileEl, body } = fileAndBody(dom);
  writeFileFields(fileEl, model);
  const elements = model.units.map((unit) => {
    const tu = createElementLike(body, XLIFF12_NS, 'trans-unit');
    tu.setAttribute('id', unit.id);
    return tu;
  });
  appendChildLines(body, elements);
  const units: Unit[] = [];
  const index = new Map<string, UnitSlot>();
  // Every <trans-unit> sits in the same context: its children's indentation is the same for all.
  const indents = elements.length ? { inner: childIndent(elements[0]), outer: indentOf(elements[0]) } : undefined;
  model.units.forEach((unit, i) => {
    const tu = elements[i];
    if (indents && isPlainUnit(unit)) writeNewPlainUnit(tu, unit, indents);
    else writeUnit(tu, unit, true);
    index.set(unit.id, { element: tu, position: i, written: true });
    units.push(readUnit(tu, writeFailed));
  });
  return { ...serializeWhole(dom, fileEl, index), parsed: { model: { ...fileFields(model), units }, dom, unitIndex: index } };
}

