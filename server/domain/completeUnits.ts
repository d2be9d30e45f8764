import { copyUnit } from './copyUnit';
import type { LocaleFile, SourceDocument, Unit } from './types';

/**
 * Brings a locale file's units in line with the document: one unit per translatable segment, in
 * document order; untranslated units carry the current source. Units the document no longer has
 * are kept after them (their translations are never dropped here). A unit it changes is replaced
 * by a changed copy: the units it is given are never changed (they may be a store's own).
 */
export function completeUnits(document: SourceDocument, file: LocaleFile): void {
  const units = file.units;
  const ordered: Unit[] = [];
  // Units usually come in document order: they are taken in turn, and looked up by id (among
  // those not taken yet) only from the first one out of order on.
  let next = 0;
  let existing: Map<string, Unit> | undefined;
  for (const segment of document.segments) {
    if (!segment.translatable) continue;
    let unit: Unit | undefined;
    if (!existing && next < units.length && units[next].id === segment.id) {
      unit = units[next++];
    } else {
      existing ??= new Map(units.slice(next).map((u) => [u.id, u]));
      unit = existing.get(segment.id);
      existing.delete(segment.id);
    }
    unit ??= { id: segment.id, source: segment.text, approved: false, revision: 0, notes: [], state: 'needs-translation' };
    if (unit.target === undefined && (unit.source !== segment.text || !unit.state)) unit = Object.assign(copyUnit(unit), { source: segment.text, state: unit.state || 'needs-translation' });
    ordered.push(unit);
  }
  file.units = existing ? [...ordered, ...existing.values()] : [...ordered, ...units.slice(next)];
}

/**
 * True when completeUnits would add or change no unit of a file whose units by id are `units`: a
 * unit for each translatable segment, each untranslated one with the current source and a state.
 * (Their order is the file's own: a writer keeps each unit where the file has it.)
 */
export function isComplete(document: SourceDocument, units: ReadonlyMap<string, Pick<Unit, 'target' | 'source' | 'state'>>): boolean {
  for (const segment of document.segments) {
    if (!segment.translatable) continue;
    const unit = units.get(segment.id);
    if (!unit) return false;
    if (unit.target === undefined && (unit.source !== segment.text || !unit.state)) return false;
  }
  return true;
}
