import { copyUnit } from '../domain/copyUnit';
import type { Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { isWholeCount } from '../formats/xliff12ModelCheck';

/** `unit` as archived on removal in source `version`: id `<id>@<version>`, plus a note saying when. */
export function archivedUnit(unit: Unit, version: number, date: string): Unit {
  const copy = copyUnit(unit);
  copy.id = `${unit.id}@${version}`;
  copy.notes.push({ text: `Removed from the source in version ${version} on ${date}`, from: 'workbench' });
  return copy;
}

/** `version` when it can name the source version units are archived in (a whole number from 0 up); a 400 otherwise. */
export function checkArchiveVersion(version: unknown): number {
  if (!isWholeCount(version)) {
    throw new WorkbenchError(400, 'invalid-version', `Invalid source version ${JSON.stringify(String(version))}`);
  }
  return version;
}
