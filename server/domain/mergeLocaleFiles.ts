import type { LocaleFile, Unit } from './types';

/** A paragraph both sides of a merge changed to different texts: the text the file keeps, and the other one. */
export interface MergeConflict {
  unit: string;
  /** The side whose text the file keeps. */
  kept: 'ours' | 'theirs';
  /** The other side's unit (its text becomes a suggestion credited to that side's author). */
  other: Unit;
}

/** Which side of a merge is the later one, for a paragraph both changed: by revision, then by this. */
export type LaterSide = 'ours' | 'theirs';

/** What a translator would see as a different translation: the text, its state, approval and source. */
function sameTranslation(a: Unit | undefined, b: Unit | undefined): boolean {
  if (!a || !b) return a === b;
  return a.target === b.target && a.state === b.state && a.approved === b.approved && a.source === b.source && a.sourceVersion === b.sourceVersion && (a.machine ?? false) === (b.machine ?? false);
}

/**
 * A three-way merge of one locale file by unit id (the paragraph ids are stable, so this is a merge
 * per paragraph rather than per line). A unit changed on one side takes that side; changed on
 * both sides the same way, it is taken once; changed to different texts, the file keeps the later
 * one (the higher revision, then `later`) and the other is returned as a conflict, to become a
 * suggestion. A unit one side took out and the other changed stays, changed: no translation is
 * lost to a merge. Units come in our order, with units only they have placed after the unit they
 * follow in their file. `base` is undefined when the file is new on both sides.
 */
export function mergeLocaleFiles(base: LocaleFile | undefined, ours: LocaleFile, theirs: LocaleFile, later: LaterSide): { merged: LocaleFile; conflicts: MergeConflict[] } {
  const baseUnits = new Map((base?.units ?? []).map((u) => [u.id, u]));
  const ourUnits = new Map(ours.units.map((u) => [u.id, u]));
  const theirUnits = new Map(theirs.units.map((u) => [u.id, u]));
  const conflicts: MergeConflict[] = [];

  const pick = (id: string): Unit | undefined => {
    const b = baseUnits.get(id);
    const o = ourUnits.get(id);
    const t = theirUnits.get(id);
    if (sameTranslation(o, t)) return o && t && t.revision > o.revision ? t : o;
    if (sameTranslation(b, o)) return t;
    if (sameTranslation(b, t)) return o;
    // Both changed, differently.
    if (!o) return t;
    if (!t) return o;
    const keptSide: LaterSide = o.revision !== t.revision ? (o.revision > t.revision ? 'ours' : 'theirs') : later;
    const [kept, other] = keptSide === 'ours' ? [o, t] : [t, o];
    if (translated(other) && other.target !== kept.target) conflicts.push({ unit: id, kept: keptSide, other });
    // The kept unit counts every edit both sides made, so the next save of either side is newer than both.
    return { ...kept, revision: Math.max(o.revision, t.revision) + (other.target !== kept.target ? 1 : 0) };
  };

  const units: Unit[] = [];
  const placed = new Set<string>();
  /** Their units we do not have, by the unit they follow in their file ('' for the first). */
  const theirsAfter = new Map<string, string[]>();
  let previous = '';
  for (const unit of theirs.units) {
    if (!ourUnits.has(unit.id)) {
      const list = theirsAfter.get(previous) ?? [];
      list.push(unit.id);
      theirsAfter.set(previous, list);
    }
    previous = unit.id;
  }
  // Depth first, with a stack of its own: their new units follow one another in chains as long as
  // a book (a source update on their side), too deep for the call stack.
  const placeTheirsAfter = (id: string): void => {
    const stack = [...(theirsAfter.get(id) ?? [])].reverse();
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (placed.has(next)) continue;
      placed.add(next);
      const unit = pick(next);
      if (unit) units.push(unit);
      const after = theirsAfter.get(next);
      if (after) for (let k = after.length - 1; k >= 0; k--) stack.push(after[k]);
    }
  };
  placeTheirsAfter('');
  for (const unit of ours.units) {
    placed.add(unit.id);
    const merged = pick(unit.id);
    if (merged) units.push(merged);
    placeTheirsAfter(unit.id);
  }
  // Their units whose predecessor neither side kept.
  for (const id of theirUnits.keys()) {
    if (placed.has(id)) continue;
    placed.add(id);
    const unit = pick(id);
    if (unit) units.push(unit);
  }
  const sourceVersion = Math.max(ours.sourceVersion ?? 0, theirs.sourceVersion ?? 0) || undefined;
  const kept = new Set(units.map((u) => u.id));
  const removeUnits = ours.units.filter((u) => !kept.has(u.id)).map((u) => u.id);
  const merged: LocaleFile = { ...ours, units, sourceVersion };
  if (removeUnits.length) merged.removeUnits = removeUnits;
  return { merged, conflicts };
}

const translated = (unit: Unit): boolean => unit.target !== undefined && unit.target !== '';
