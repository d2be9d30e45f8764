import type { InterchangeFile, InterchangeStatus, UnmappedState } from './interchange';
import { MAX_TARGET_LENGTH } from './limits';
import { anyMinorEdit, normaliseMinor, type MinorEditOptions } from './normaliseMinor';
import type { Segment, Unit } from './types';
import { wordDiff, type WordDiffPart } from './wordDiff';
import { workflowState } from './workflowState';

/** A translation the import would write. */
export interface ImportChange {
  /** The paragraph it goes to, and how it was found. */
  segment: string;
  matchedBy: 'id' | 'source';
  /** The unit's id in the uploaded file. */
  fileId: string;
  /** The paragraph's current source text, and the source the file's translation was made from (they differ for a file made from an older version). */
  source: string;
  madeFrom: string;
  target: string;
  status: InterchangeStatus;
  /** The translation here now (absent for a new translation), and the word diff from it to the file's. */
  before?: string;
  diff?: WordDiffPart[];
  /** The revision here when the plan was made: the import does not overwrite a paragraph saved since. */
  baseRevision: number;
}

/** A translation the import will not write, because this paragraph changed here in a way the file does not know about. */
export interface ImportConflict {
  segment: string;
  /** The paragraph's source text. */
  source: string;
  fileId: string;
  reason: 'edited-here' | 'approved-here' | 'twice-in-file';
  here: string;
  theirs: string;
  diff: WordDiffPart[];
}

/** What merging an uploaded XLIFF would do, before anything is written. */
export interface ImportPlan {
  fileVersion: string;
  newTranslations: ImportChange[];
  changed: ImportChange[];
  conflicts: ImportConflict[];
  /** Units whose translation is already the one here. */
  unchanged: number;
  /** Units of the file with no translation (nothing to take). */
  emptyInFile: number;
  /** Units that match no paragraph here, by id or by source text. */
  unknown: { id: string; source: string; line?: number }[];
  /** Units the reader could not take (codes the workbench cannot keep, translate="no"). */
  skipped: { id: string; reason: string }[];
  /** States of the file the mapping tables do not hold, and how their units were read. */
  unmappedStates: UnmappedState[];
}

/**
 * Plans the merge of an uploaded file into a locale: each unit is matched to a paragraph by id,
 * else by exact source text (every paragraph with that text). A unit carrying the revision it was
 * exported at conflicts when the paragraph was saved here since with another text; a unit without
 * one (another tool's file) conflicts only with an approved translation here, which the import
 * never replaces unasked.
 */
export function planImport(segments: readonly Segment[], units: ReadonlyMap<string, Unit>, file: InterchangeFile, documentId?: string, minorEdits?: MinorEditOptions): ImportPlan {
  const translatable = segments.filter((s) => s.translatable);
  const byId = new Map(translatable.map((s) => [s.id, s]));
  // By source with whitespace folded: paragraphs are trimmed, other tools' sources often are not
  // (a source ending in a newline, an indented one, runs of spaces).
  const bySource = segmentsBy(translatable, foldSpace);
  // Else with the minor edits drift ignores (typographic quotes, dashes, a word hyphenated across a
  // line…, as the project configures them): another tool's copy of a paragraph may differ only so.
  const minorKey = (text: string): string => normaliseMinor(text, minorEdits);
  let byMinor: Map<string, Segment[]> | undefined;
  const minorMatches = (source: string): Segment[] => {
    if (!anyMinorEdit(minorEdits)) return [];
    byMinor ??= segmentsBy(translatable, minorKey);
    return byMinor.get(minorKey(source)) ?? [];
  };
  const plan: ImportPlan = { fileVersion: file.version, newTranslations: [], changed: [], conflicts: [], unchanged: 0, emptyInFile: 0, unknown: [], skipped: [...file.skipped], unmappedStates: [...(file.unmappedStates ?? [])] };
  const taken = new Set<string>();
  for (const read of file.units) {
    // A unit pretty-printed by its tool (indented, on lines of its own): its target is trimmed the way its source was.
    const unit = read.target === undefined ? read : { ...read, target: trimLike(read.source, read.target) };
    // The same limit as a save: a longer text is not taken, and the preview says why.
    if (unit.target !== undefined && unit.target.length > MAX_TARGET_LENGTH) {
      plan.skipped.push({ id: unit.id, reason: `its translation has ${unit.target.length} characters; a translation may have at most ${MAX_TARGET_LENGTH}` });
      continue;
    }
    // By id only within this document's own <file> (ids are unique per <file>): a unit of another
    // file of a file of several is matched by its source.
    const byUnitId = unit.original === undefined || unit.original === documentId ? byId.get(unit.id) : undefined;
    const matches: { segment: Segment; matchedBy: 'id' | 'source' }[] = byUnitId
      ? [{ segment: byUnitId, matchedBy: 'id' }]
      : (bySource.get(foldSpace(unit.source)) ?? minorMatches(unit.source)).map((segment) => ({ segment, matchedBy: 'source' as const }));
    if (matches.length === 0) {
      plan.unknown.push({ id: unit.id, source: unit.source, ...(unit.line !== undefined ? { line: unit.line } : {}) });
      continue;
    }
    if (unit.target === undefined || unit.target === '') {
      plan.emptyInFile++;
      continue;
    }
    for (const { segment, matchedBy } of matches) {
      const here = units.get(segment.id);
      const current = here?.target;
      if (taken.has(segment.id)) {
        // The first unit for a paragraph wins; a second one is shown, not silently dropped.
        plan.conflicts.push({ segment: segment.id, source: segment.text, fileId: unit.id, reason: 'twice-in-file', here: current ?? '', theirs: unit.target, diff: wordDiff(current ?? '', unit.target) });
        continue;
      }
      taken.add(segment.id);
      // By id, the file's source may be an older version of the paragraph: the translation is kept as made from it (drifted).
      const madeFrom = matchedBy === 'id' ? unit.source : segment.text;
      // The same words: nothing to do, and a current translation never goes back to an older source.
      if (current === unit.target && (here?.source === madeFrom || here?.source === segment.text)) {
        plan.unchanged++;
        continue;
      }
      const change: ImportChange = { segment: segment.id, matchedBy, fileId: unit.id, source: segment.text, madeFrom, target: unit.target, status: unit.status, baseRevision: here?.revision ?? 0 };
      if (current === undefined || current === '') {
        plan.newTranslations.push(change);
        continue;
      }
      const editedHere = unit.revision !== undefined && here !== undefined && here.revision > unit.revision;
      const approvedHere = unit.revision === undefined && workflowState(segment, here) === 'approved';
      if (current !== unit.target && (editedHere || approvedHere)) {
        plan.conflicts.push({ segment: segment.id, source: segment.text, fileId: unit.id, reason: editedHere ? 'edited-here' : 'approved-here', here: current, theirs: unit.target, diff: wordDiff(current, unit.target) });
        continue;
      }
      plan.changed.push({ ...change, before: current, diff: wordDiff(current, unit.target) });
    }
  }
  return plan;
}

/** The segments by a key of their text (every segment with that key, in order). */
function segmentsBy(segments: readonly Segment[], key: (text: string) => string): Map<string, Segment[]> {
  const by = new Map<string, Segment[]>();
  for (const segment of segments) {
    const k = key(segment.text);
    const same = by.get(k);
    if (same) same.push(segment);
    else by.set(k, [segment]);
  }
  return by;
}

/** A text with its whitespace folded: trimmed, every run of whitespace one space (how sources are compared). */
function foldSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** `target` with the whitespace taken off its ends that `source` has at the same end (a source "\n  Text\n" trims "\n  Texto\n"). */
function trimLike(source: string, target: string): string {
  let trimmed = target;
  if (/^\s/u.test(source)) trimmed = trimmed.trimStart();
  if (/\s$/u.test(source)) trimmed = trimmed.trimEnd();
  return trimmed;
}
