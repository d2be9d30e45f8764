import { mergeLocaleFiles, type LaterSide, type MergeConflict } from '../domain/mergeLocaleFiles';
import type { LocaleFile } from '../domain/types';
import { WorkbenchError } from '../errors';
import { parseXliff12 } from './parseXliff12';
import { updateXliff12 } from './updateXliff12';
import { decodeXmlBytes } from './xmlSafety';

/** Where a line of a file starts with a conflict marker git writes (`<<<<<<<`, `=======`, `>>>>>>>`), 1-based; undefined without one. */
export function conflictMarkerLine(text: string): number | undefined {
  const found = /^(?:<{7}|>{7})(?: |$)|^={7}$/m.exec(text);
  if (!found) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < found.index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Refuses (422 'git-conflict-marker', naming the file and line) a file holding a conflict marker. */
export function refuseConflictMarkers(text: string, file: string): void {
  const line = conflictMarkerLine(text);
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
  const text = decodeXmlBytes(bytes, { file, malformedCode: 'xliff-malformed' });
  refuseConflictMarkers(text, file);
  return { text, parsed: parseXliff12(text, { file, bytes }) };
}

/**
 * The three-way merge of a locale file by paragraph (see mergeLocaleFiles): `base` (empty when the
 * file is new on both sides), `ours` and `theirs` as bytes; the merged file as the workbench writes
 * it (our file with the merged units written into it: what it holds besides units is ours), and
 * the paragraphs both sides changed to different texts.
 */
export function mergeXliff12(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, file: string, later: LaterSide): { bytes: Uint8Array; conflicts: MergeConflict[]; merged: LocaleFile } {
  const baseModel = base.byteLength === 0 ? undefined : read(base, file).parsed.model;
  const our = read(ours, file);
  const their = read(theirs, file).parsed.model;
  const { merged, conflicts } = mergeLocaleFiles(baseModel, our.parsed.model, their, later);
  const output = updateXliff12(our.parsed, merged, { file });
  return { bytes: output.bytes, conflicts, merged };
}

/**
 * The file `older` with the units `ids` as they are in `newer` (the rest as in `older`): the
 * version one person's changes make of a file several people changed since it was committed, for
 * a commit of theirs alone. Undefined when a unit of `ids` is not in `older` (a unit added: the
 * whole newer file is committed instead).
 */
export function pickUnitsXliff12(older: Uint8Array, newer: Uint8Array, ids: ReadonlySet<string>, file: string): Uint8Array | undefined {
  const base = read(older, file);
  const next = new Map(read(newer, file).parsed.model.units.map((u) => [u.id, u]));
  const known = new Set(base.parsed.model.units.map((u) => u.id));
  if (![...ids].every((id) => known.has(id))) return undefined;
  const units = base.parsed.model.units.map((u) => (ids.has(u.id) ? (next.get(u.id) ?? u) : u));
  return updateXliff12(base.parsed, { ...base.parsed.model, units }, { file }).bytes;
}
