import type { SourceVersion } from './sourceVersion';
import type { LocaleFile, Unit } from './types';

/** Units a migration took out of a locale file, by the source version that removed them: they go to the archive. */
export interface RemovedUnits {
  version: number;
  units: Unit[];
}

/** Marks a translated unit drifted: the source moves on, the translation stays, the old pair is kept as `previous`. */
function drift(unit: Unit, text: string): void {
  // A unit already drifted keeps the source its translation was really made from.
  if (!unit.previous) unit.previous = { source: unit.source, target: unit.target };
  unit.source = text;
  unit.state = 'needs-review-translation';
  unit.approved = false;
}

function isTranslated(unit: Unit | undefined): unit is Unit & { target: string } {
  return unit !== undefined && unit.target !== undefined && unit.target !== '';
}

/** Applies what one source version did to the units of a locale file (in place); returns the units it removed. */
function applyVersion(file: LocaleFile, version: SourceVersion): Unit[] {
  const units = new Map(file.units.map((unit) => [unit.id, unit]));
  // Splits and merges read the old units as they were before this version touched them (a copy of
  // each unit they read, taken before any change is applied; no other change reads `before`).
  const before = new Map<string, Unit>();
  for (const change of version.changes) {
    if (change.label !== 'split' && change.label !== 'merged') continue;
    for (const id of change.from) {
      const unit = units.get(id);
      if (unit && !before.has(id)) before.set(id, { ...unit, previous: unit.previous && { ...unit.previous } });
    }
  }
  const removed = new Set<string>();

  for (const change of version.changes) {
    const unit = units.get(change.id);
    switch (change.label) {
      case 'moved':
      case 'new':
        break;
      case 'minor':
        // Whitespace or typography only: the translation stays current; its source follows.
        if (unit) unit.source = change.text;
        break;
      case 'edited':
        if (unit && unit.source !== change.text) {
          if (isTranslated(unit)) drift(unit, change.text);
          else unit.source = change.text;
        }
        break;
      case 'split': {
        const old = before.get(change.from[0]);
        if (!old) break;
        if (change.id === old.id && unit) {
          if (isTranslated(unit)) drift(unit, change.text);
          else unit.source = change.text;
        } else if (!units.has(change.id)) {
          // A new part is pre-filled with the whole old translation, for the translator to divide.
          const part: Unit = { id: change.id, source: change.text, approved: false, revision: 0, notes: [] };
          if (isTranslated(old)) {
            part.target = old.target;
            part.state = 'needs-review-translation';
            part.previous = { source: old.previous?.source ?? old.source, target: old.previous?.target ?? old.target };
            part.sourceVersion = old.sourceVersion;
          } else {
            part.state = 'needs-translation';
          }
          units.set(part.id, part);
          file.units.push(part);
        }
        break;
      }
      case 'merged': {
        const olds = change.from.map((id) => before.get(id)).filter((u): u is Unit => u !== undefined);
        const translated = olds.filter(isTranslated);
        let merged = units.get(change.id);
        if (!merged) {
          merged = { id: change.id, source: change.text, approved: false, revision: 0, notes: [], state: 'needs-translation' };
          units.set(merged.id, merged);
          file.units.push(merged);
        }
        if (translated.length > 0) {
          // The translations are joined in order: drifted, for the translator to smooth the seam.
          const target = translated.map((u) => u.target).join(' ');
          merged.previous = { source: olds.map((u) => u.previous?.source ?? u.source).join(' '), target };
          merged.target = target;
          merged.source = change.text;
          merged.state = 'needs-review-translation';
          merged.approved = false;
        } else {
          merged.source = change.text;
        }
        for (const id of change.from) if (id !== change.id) removed.add(id);
        break;
      }
    }
  }
  for (const gone of version.deleted) removed.add(gone.id);
  if (removed.size === 0) return [];
  const out: Unit[] = [];
  file.units = file.units.filter((unit) => {
    if (!removed.has(unit.id)) return true;
    if (isTranslated(unit) || unit.notes.length > 0) out.push(unit);
    return false;
  });
  return out;
}

/**
 * Brings a locale file from the source version it was made for up to `currentVersion`, applying
 * each recorded version in turn: minor edits follow silently, edits drift, splits pre-fill the new
 * parts, merges join the translations, deletions take the unit out (returned, for the archive).
 * A file that does not say its version is taken to be of version 1. Mutates `file`.
 */
export function migrateLocale(file: LocaleFile, versions: SourceVersion[], currentVersion: number): RemovedUnits[] {
  const from = file.sourceVersion ?? 1;
  const removed: RemovedUnits[] = [];
  for (const version of versions) {
    if (version.number <= from || version.number > currentVersion) continue;
    const units = applyVersion(file, version);
    if (units.length > 0) removed.push({ version: version.number, units });
  }
  file.sourceVersion = currentVersion;
  return removed;
}
