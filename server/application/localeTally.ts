import { computeProgress, progressDelta, type Progress } from '../domain/computeProgress';
import { isComplete } from '../domain/completeUnits';
import type { Segment, SourceDocument, Unit } from '../domain/types';
import type { ReadonlyLocaleFile, ReadonlyUnit } from '../storage/localeStore';

/**
 * What a save needs to know of a locale file, worked out once per file and then carried from one
 * version of the file to the next by the units a batch changed: where each unit is, whether the
 * file is complete for the document, and the locale's progress. On a book, each of these is a pass
 * over 16,000 units; a batch of saves changes a few. Files are the store's own models, which are
 * never changed (a new version is a new object), so what is known of one holds for as long as it lives.
 */
interface Tally {
  /** Each unit's position in the file, by id (shared by the versions made by changing units, which keep them). */
  positions: Map<string, number>;
  /** Per document (the source version the file is counted against): complete, and its progress. */
  documents: WeakMap<SourceDocument, { complete: boolean; progress: Progress }>;
}

const tallies = new WeakMap<ReadonlyLocaleFile, Tally>();
const segmentIndexes = new WeakMap<SourceDocument, Map<string, Segment>>();

/** The document's paragraphs by id (made once per version of the document: a book has 16,000). */
export function segmentsOf(document: SourceDocument): ReadonlyMap<string, Segment> {
  let index = segmentIndexes.get(document);
  if (!index) {
    index = new Map(document.segments.map((segment) => [segment.id, segment]));
    segmentIndexes.set(document, index);
  }
  return index;
}

function tallyOf(file: ReadonlyLocaleFile): Tally {
  let tally = tallies.get(file);
  if (!tally) {
    tally = { positions: new Map(file.units.map((unit, i) => [unit.id, i])), documents: new WeakMap() };
    tallies.set(file, tally);
  }
  return tally;
}

function countsOf(document: SourceDocument, file: ReadonlyLocaleFile): { complete: boolean; progress: Progress } {
  const tally = tallyOf(file);
  let counts = tally.documents.get(document);
  if (!counts) {
    // Through the positions the tally keeps: a copy of a book's 16,000 units by id was a third of the time.
    const units = unitsOf(file);
    counts = { complete: isComplete(document, units), progress: computeProgress(document.segments, units, document.meta.language) };
    tally.documents.set(document, counts);
  }
  return counts;
}

/**
 * The units of `file` by id, as a map that reads the file itself (made once per file: a page of a
 * book needs a few of its 16,000 units, not a copy of them all).
 */
export function unitsOf(file: ReadonlyLocaleFile): ReadonlyMap<string, ReadonlyUnit> {
  let view = unitViews.get(file);
  if (!view) {
    view = new UnitsView(file, tallyOf(file).positions);
    unitViews.set(file, view);
  }
  return view;
}

const unitViews = new WeakMap<ReadonlyLocaleFile, UnitsView>();

/** A file's units by id, through the positions the tally keeps (see unitsOf). */
class UnitsView implements ReadonlyMap<string, ReadonlyUnit> {
  constructor(
    private readonly file: ReadonlyLocaleFile,
    private readonly positions: ReadonlyMap<string, number>,
  ) {}

  get size(): number {
    return this.positions.size;
  }

  get(id: string): ReadonlyUnit | undefined {
    const position = this.positions.get(id);
    return position === undefined ? undefined : this.file.units[position];
  }

  has(id: string): boolean {
    return this.positions.has(id);
  }

  *entries(): MapIterator<[string, ReadonlyUnit]> {
    for (const [id, position] of this.positions) yield [id, this.file.units[position]];
  }

  keys(): MapIterator<string> {
    return this.positions.keys();
  }

  *values(): MapIterator<ReadonlyUnit> {
    for (const position of this.positions.values()) yield this.file.units[position];
  }

  forEach(callback: (value: ReadonlyUnit, key: string, map: ReadonlyMap<string, ReadonlyUnit>) => void, thisArg?: unknown): void {
    for (const [id, unit] of this.entries()) callback.call(thisArg, unit, id, this);
  }

  [Symbol.iterator](): MapIterator<[string, ReadonlyUnit]> {
    return this.entries();
  }
}

/** The unit of `file` with this id, if any. */
export function unitIn(file: ReadonlyLocaleFile, id: string): ReadonlyUnit | undefined {
  const position = tallyOf(file).positions.get(id);
  return position === undefined ? undefined : file.units[position];
}

/** True when the file has a unit for each translatable paragraph of the document, untranslated ones with the current text. */
export function isCompleteFor(document: SourceDocument, file: ReadonlyLocaleFile): boolean {
  return countsOf(document, file).complete;
}

/** The locale's progress over the document. */
export function progressIn(document: SourceDocument, file: ReadonlyLocaleFile): Progress {
  return countsOf(document, file).progress;
}

/**
 * Tells the tally that `file` is `base` with the units `changed` replaced (same ids, same
 * positions), so that what is known of `base` carries over with the changes only.
 */
export function derivedFile(document: SourceDocument, base: ReadonlyLocaleFile, file: ReadonlyLocaleFile, changed: readonly Unit[]): void {
  if (base.units.length === file.units.length) recordLineage(base, file, changed);
  const before = tallies.get(base);
  if (!before || tallies.has(file) || base.units.length !== file.units.length) return;
  const tally: Tally = { positions: before.positions, documents: new WeakMap() };
  tallies.set(file, tally);
  const counts = before.documents.get(document);
  if (!counts) return;
  const segments = segmentsOf(document);
  let progress = counts.progress;
  for (const unit of changed) {
    const segment = segments.get(unit.id);
    if (!segment?.translatable) continue;
    const position = before.positions.get(unit.id);
    progress = progressDelta(progress, segment, position === undefined ? undefined : (base.units[position] as Unit), unit, document.meta.language);
  }
  // A unit changed by a transition keeps its id and place, and has a target or the current text.
  tally.documents.set(document, { complete: counts.complete, progress });
}

/**
 * The versions of a locale file made from one another by changes of units in place (saves,
 * approvals…): a line of sequence numbers, and the ids each version changed, the last LINEAGE_KEPT
 * of them. No version is held by it (a version forgotten by everyone else is collected), so a
 * reader holding an older version (the translation memory) learns what changed since, without
 * walking a book's 16,000 units.
 */
interface Line {
  log: { seq: number; ids: readonly string[] }[];
  last: number;
}
const LINEAGE_KEPT = 512;
const lineage = new WeakMap<ReadonlyLocaleFile, { line: Line; seq: number }>();

function recordLineage(base: ReadonlyLocaleFile, file: ReadonlyLocaleFile, changed: readonly Unit[]): void {
  if (lineage.has(file)) return;
  let from = lineage.get(base);
  if (!from) {
    from = { line: { log: [], last: 0 }, seq: 0 };
    lineage.set(base, from);
  }
  // A second version made from the same one starts a line of its own (its readers walk it whole once).
  if (from.line.last !== from.seq) return;
  const seq = from.seq + 1;
  from.line.log.push({ seq, ids: changed.map((u) => u.id) });
  if (from.line.log.length > LINEAGE_KEPT) from.line.log.shift();
  from.line.last = seq;
  lineage.set(file, { line: from.line, seq });
}

/** The ids of the units changed from version `base` of a locale file to version `file`, when known (else undefined: compare them whole). */
export function changedSince(base: ReadonlyLocaleFile, file: ReadonlyLocaleFile): Set<string> | undefined {
  if (base === file) return new Set();
  const a = lineage.get(base);
  const b = lineage.get(file);
  if (!a || !b || a.line !== b.line || b.seq < a.seq) return undefined;
  const log = b.line.log;
  if (log.length === 0 || log[0].seq > a.seq + 1) return undefined;
  const ids = new Set<string>();
  for (const entry of log) if (entry.seq > a.seq && entry.seq <= b.seq) for (const id of entry.ids) ids.add(id);
  return ids;
}

