/** Checks a model before it is written, so a bad model is refused instead of producing a broken file. */
import type { LocaleFile, Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { NOTE_ANNOTATES } from './xliff12Vocabulary';
import { codePointLabel, findInvalidXmlChar } from './xmlScan';

/** Whether a count of the model (a revision, a source version) is one the writer writes: a whole number from 0 up. */
export function isWholeCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Refuses models that cannot be written as valid XML / XLIFF (rather than writing a broken file).
 * Units for which `known` holds (equal to units read from a file; given the unit and its position
 * in the model) only have their id checked for duplicates.
 */
export function assertWritableModel(model: LocaleFile, known?: (unit: Unit, index: number) => boolean): void {
  const bad = (code: string, message: string, details?: Record<string, unknown>): never => {
    throw new WorkbenchError(400, code, message, { details });
  };
  const text = (value: string, what: string, unit?: string): void => {
    const found = findInvalidXmlChar(value);
    if (found) {
      bad('xml-invalid-char', `${what}${unit === undefined ? '' : ` of unit "${unit}"`} contains ${codePointLabel(found.codePoint)}, which XML cannot hold`, {
        unit,
        field: what,
        index: found.index,
      });
    }
  };
  for (const [what, value] of [['document', model.document], ['source language', model.sourceLanguage], ['target language', model.targetLanguage]] as const) {
    if (typeof value !== 'string' || value === '') bad('xliff-invalid-model', `the ${what} is missing`);
    text(value, what);
  }
  const version = (value: unknown, what: string, unit?: string): void => {
    if (value !== undefined && !isWholeCount(value)) {
      bad('xliff-invalid-model', `${unit === undefined ? 'the file' : `unit "${unit}"`}: ${what} must be a whole number ≥ 0`, unit === undefined ? undefined : { unit });
    }
  };
  version(model.sourceVersion, 'source version');
  const ids = new Set<string>();
  const units = model.units;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    if (typeof unit.id !== 'string' || unit.id === '') bad('xliff-invalid-model', 'a unit has no id');
    if (ids.has(unit.id)) bad('xliff-invalid-model', `duplicate unit id "${unit.id}"`, { unit: unit.id });
    ids.add(unit.id);
    if (known?.(unit, i)) continue;
    text(unit.id, 'id', unit.id);
    text(unit.source, 'source', unit.id);
    if (unit.target !== undefined) text(unit.target, 'target', unit.id);
    if (unit.state !== undefined) text(unit.state, 'state', unit.id);
    if (!isWholeCount(unit.revision)) bad('xliff-invalid-model', `unit "${unit.id}": revision must be a whole number ≥ 0`, { unit: unit.id });
    version(unit.sourceVersion, 'source version', unit.id);
    const previous: unknown = unit.previous;
    if (previous !== undefined) {
      const { source, target } = (previous ?? {}) as { source?: unknown; target?: unknown };
      if (typeof previous !== 'object' || previous === null || typeof source !== 'string' || (target !== undefined && typeof target !== 'string')) {
        bad('xliff-invalid-model', `unit "${unit.id}": previous must be { source: string; target?: string }`, { unit: unit.id });
      }
      text(source as string, 'previous source', unit.id);
      if (target !== undefined) text(target as string, 'previous target', unit.id);
    }
    for (const note of unit.notes) {
      text(note.text, 'note', unit.id);
      if (note.from !== undefined) text(note.from, 'note author', unit.id);
      if (note.priority !== undefined && !(Number.isInteger(note.priority) && note.priority >= 1 && note.priority <= 10)) {
        bad('xliff-invalid-model', `unit "${unit.id}": note priority must be 1-10`, { unit: unit.id });
      }
      if (note.annotates !== undefined && !NOTE_ANNOTATES.has(note.annotates)) bad('xliff-invalid-model', `unit "${unit.id}": bad note annotates`, { unit: unit.id });
    }
  }
}

/**
 * Refuses a `removeUnits` that cannot be carried out as meant (400 'xliff-invalid-model'): it must be
 * a list of ids, none of them the id of a unit the model still holds (a unit cannot be both written
 * and taken out). Ids of units the file does not have are fine: the writer ignores them.
 */
export function assertRemovableUnits(model: LocaleFile): void {
  const removeUnits: unknown = model.removeUnits;
  if (removeUnits === undefined) return;
  if (!Array.isArray(removeUnits) || !removeUnits.every((id) => typeof id === 'string')) {
    throw new WorkbenchError(400, 'xliff-invalid-model', 'removeUnits must be a list of unit ids');
  }
  if (removeUnits.length === 0) return;
  const listed = new Set<string>(removeUnits);
  for (const unit of model.units) {
    if (listed.has(unit.id)) {
      throw new WorkbenchError(400, 'xliff-invalid-model', `unit "${unit.id}" is both in the model and listed in removeUnits`, { details: { unit: unit.id } });
    }
  }
}
