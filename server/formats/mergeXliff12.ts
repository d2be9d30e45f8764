import { isDeepStrictEqual } from 'node:util';
import { mergeLocaleFiles, type LaterSide, type MergeConflict } from '../domain/mergeLocaleFiles';
import type { LocaleFile, Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { parseXliff12 } from './parseXliff12';
import { streamXliff12 } from './streamXliff12';
import type { HeldXliff12 } from './xliff12Spans';
import { replaceUnitsXliff12, updateXliff12 } from './updateXliff12';
import { decodeXmlBytes } from './xmlSafety';

/** The conflict markers git writes, each at the start of a line: `<<<<<<<` and `>>>>>>>` followed by a space or the line's end, `=======` alone on its line. */
const MARKERS = ['<<<<<<<', '>>>>>>>', '======='].map((marker) => Buffer.from(marker, 'latin1'));
const isLineEnd = (c: number): boolean => c === 0x0a || c === 0x0d;

/**
 * Where a line of a file starts with a conflict marker git writes (see MARKERS), 1-based;
 * undefined without one. Looked for in the bytes (ASCII markers, ASCII line ends): a book's
 * locale files are searched at every sync, and decoding them to search the text took more than a
 * second of the sync's thread.
 */
export function conflictMarkerLine(bytes: Uint8Array): number | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let first = -1;
  for (const marker of MARKERS) {
    const alone = marker[0] === 0x3d; // `=======`: nothing after it on its line
    for (let at = buf.indexOf(marker); at !== -1 && (first === -1 || at < first); at = buf.indexOf(marker, at + 1)) {
      if (at > 0 && !isLineEnd(buf[at - 1])) continue;
      const after = at + marker.length < buf.length ? buf[at + marker.length] : 0x0a;
      if (isLineEnd(after) || (!alone && after === 0x20)) {
        first = at;
        break;
      }
    }
  }
  if (first === -1) return undefined;
  let line = 1;
  for (let i = buf.indexOf(0x0a); i !== -1 && i < first; i = buf.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** Refuses (422 'git-conflict-marker', naming the file and line) a file holding a conflict marker. */
export function refuseConflictMarkers(bytes: Uint8Array, file: string): void {
  const line = conflictMarkerLine(bytes);
  if (line !== undefined) {
    throw new WorkbenchError(
      422,
      'git-conflict-marker',
      `${file}, line ${line}: a git conflict marker. The file was merged by line, without the workbench's merge driver. Take its version from before the merge (git checkout <commit> -- ${file}), commit it, and sync again: the workbench merges it by paragraph.`,
      { params: { file, line } },
    );
  }
}

/** A locale file's model from its bytes (XLIFF 1.2 as the workbench writes it, or a hand edit of it). */
function read(bytes: Uint8Array, file: string): { text: string; parsed: ReturnType<typeof parseXliff12> } {
  refuseConflictMarkers(bytes, file);
  const text = decodeXmlBytes(bytes, { file, malformedCode: 'xliff-malformed' });
  return { text, parsed: parseXliff12(text, { file, bytes }) };
}

/**
 * The three-way merge of a locale file by paragraph (see mergeLocaleFiles): `base` (empty when the
 * file is new on both sides), `ours` and `theirs` as bytes; the merged file as the workbench writes
 * it (our file with the merged units written into it: what it holds besides units is ours), and
 * the paragraphs both sides changed to different texts. Files in the form the workbench writes are
 * read without a DOM (a book's three versions in a second, not ten).
 */
export function mergeXliff12(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, file: string, later: LaterSide): { bytes: Uint8Array; conflicts: MergeConflict[]; merged: LocaleFile } {
  const { our, merged, conflicts } = mergeHeld(base, ours, theirs, file, later);
  const output = updateXliff12(our, merged, { file });
  return { bytes: output.bytes, conflicts, merged };
}

/** The three sides read (each refused with a conflict marker) and merged by paragraph: our file as held, the merged model, the conflicts. */
function mergeHeld(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, file: string, later: LaterSide): { our: HeldXliff12; merged: LocaleFile; conflicts: MergeConflict[] } {
  for (const side of [base, ours, theirs]) refuseConflictMarkers(side, file);
  const baseModel = base.byteLength === 0 ? undefined : hold(base, file).model;
  const our = hold(ours, file);
  const { merged, conflicts } = mergeLocaleFiles(baseModel, our.model, hold(theirs, file).model, later);
  return { our, merged, conflicts };
}

/** What a merge worked out ahead (see mergeAhead): the units it changes in our file, or why it cannot be applied as units. */
export type MergeAhead =
  | { fits: true; changes: { ours: Unit; merged: Unit }[]; conflicts: MergeConflict[]; sourceVersion?: number }
  | { fits: false; reason: string };

/**
 * The three-way merge of mergeXliff12 as changes of units of our file: for each unit the merge
 * changes, our version and the merged one. A merge that changes more than units (their units
 * added, ours taken out or moved, another source version) does not fit: it is left to git and the
 * merge driver. Worked out while our file goes on changing (a server's saves): the caller applies
 * the changes to the file as it then is (see TranslationsInGit), a batch of a few units rather
 * than a book's file merged and written by git while every save waits.
 */
export function mergeAhead(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, file: string, later: LaterSide): MergeAhead {
  const { our: held, merged, conflicts } = mergeHeld(base, ours, theirs, file, later);
  const our = held.model;
  if (merged.removeUnits?.length) return { fits: false, reason: 'units taken out' };
  if ((merged.sourceVersion ?? 0) !== (our.sourceVersion ?? 0)) return { fits: false, reason: 'another source version' };
  if (merged.units.length !== our.units.length) return { fits: false, reason: 'units added' };
  const changes: { ours: Unit; merged: Unit }[] = [];
  for (let i = 0; i < our.units.length; i++) {
    const [o, m] = [our.units[i], merged.units[i]];
    if (o.id !== m.id) return { fits: false, reason: 'units moved' };
    if (o !== m && !isDeepStrictEqual(o, m)) changes.push({ ours: o, merged: m });
  }
  return our.sourceVersion === undefined ? { fits: true, changes, conflicts } : { fits: true, changes, conflicts, sourceVersion: our.sourceVersion };
}

/** The file `bytes` hold with `units` (new versions of some of its units) written into it, as a store writes a batch of saves (see replaceUnitsXliff12). */
export function withUnitsXliff12(bytes: Uint8Array, units: readonly Unit[], file: string): Uint8Array {
  return replaceUnitsXliff12(hold(bytes, file), units, { file }).bytes;
}

/** A locale file held for a change from its bytes: by the streaming reader when it is in the form the workbench writes, else parsed whole. */
function hold(bytes: Uint8Array, file: string): HeldXliff12 {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const held = streamXliff12(buffer, { file });
  if (held) return held;
  return read(bytes, file).parsed;
}

/**
 * Versions of a file between `older` and `newer`: each `pick` gives `older` with the units picked
 * so far as they are in `newer` (the rest as in `older`): the version one person's changes make of
 * a file several people changed since it was committed, for a commit of theirs alone. Each file is
 * read once; each version is spliced from the one before (the work grows with the units picked,
 * not with the book). Undefined from `pick` when a unit is not in `older` (a unit added: the whole
 * newer file is committed instead).
 */
export class UnitPicker {
  private held: HeldXliff12;
  private readonly next: Map<string, Unit>;
  private readonly picked = new Set<string>();
  /** The units of `older` (a version keeps them: only their content changes). */
  private readonly known: ReadonlySet<string>;

  constructor(
    older: Uint8Array,
    newer: Uint8Array,
    private readonly file: string,
  ) {
    this.held = hold(older, file);
    this.known = new Set(this.held.model.units.map((u) => u.id));
    this.next = new Map(hold(newer, file).model.units.map((u) => [u.id, u]));
  }

  pick(ids: Iterable<string>): Uint8Array | undefined {
    for (const id of ids) {
      if (!this.known.has(id)) return undefined;
      this.picked.add(id);
    }
    const model = this.held.model;
    const units = model.units.map((u) => (this.picked.has(u.id) ? (this.next.get(u.id) ?? u) : u));
    const output = updateXliff12(this.held, { ...model, units }, { file: this.file });
    this.held = output.parsed;
    return output.bytes;
  }
}

/**
 * The versions a batch of commits makes of a file several people changed: for each step (a
 * person's paragraphs), `older` with the paragraphs of that step and the steps before it as they
 * are in `newer` (see UnitPicker). Null for a step that cannot be made (a paragraph `older` lacks),
 * and for every step after it.
 */
export function unitVersions(older: Uint8Array, newer: Uint8Array, file: string, steps: readonly string[][]): (Uint8Array | null)[] {
  const picker = new UnitPicker(older, newer, file);
  const out: (Uint8Array | null)[] = [];
  let failed = false;
  for (const step of steps) {
    const version = failed ? undefined : picker.pick(step);
    if (!version) failed = true;
    out.push(version ?? null);
  }
  return out;
}
