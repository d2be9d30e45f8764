import type { Unit } from './types';

/**
 * A deep copy of a unit. Units are plain data (strings, numbers, booleans, an array of notes, the
 * previous version), so spreading each level is enough, and much faster than structuredClone.
 */
export function copyUnit(unit: Unit): Unit {
  const copy = { ...unit, notes: unit.notes.map((note) => ({ ...note })) };
  if (unit.previous) copy.previous = { ...unit.previous };
  return copy;
}
