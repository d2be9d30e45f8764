import type { Unit } from '../domain/types';
import { streamModel } from './streamXliff12';
import { chunkComparer, findElements, idOf, readSpansXliff12, type SpanXliff12, startsWithId } from './xliff12Spans';

/**
 * A locale file held as spans (`previous`), read again from `bytes` after another process wrote
 * it (a command beside the server, git's merge, a hand edit): each unit whose bytes are exactly
 * the ones `previous` holds for the unit of that id keeps its model (what reading those bytes
 * gives, in the same file around them), and only the others are read, by the streaming reader,
 * in the file's own frame. A book's file that another process changed in a few paragraphs is
 * read in a tenth of the time of a whole read, whatever the file's size.
 *
 * Undefined, for the caller to read the file whole, when the file is not in the form the
 * workbench writes, when anything but its units and the whitespace between them changed (the
 * frame: the root, `<file>`, the header), or when a unit read again is not what the streaming
 * reader reads (another tool's markup, a malformed unit): the whole read then says what is wrong.
 * Every byte of the file is either one `previous` holds and was read from, whitespace between
 * units, or read now: the file is accepted exactly when a whole read accepts it.
 */
export function rereadSpansXliff12(previous: SpanXliff12, bytes: Buffer, ctx: { file: string }): SpanXliff12 | undefined {
  const found = findElements(bytes);
  if (!found || found.starts.length === 0) return undefined;
  const { starts, ends, tagEnds } = found;
  const count = starts.length;
  // The bytes held, compared where they are: a file held after saves is in chunks.
  const same = chunkComparer(previous.chunks);
  const oldCount = previous.model.units.length;
  const shiftOf = (position: number): number => previous.shifts.shiftOf(position);
  const oldStart = (position: number): number => previous.starts[position] + shiftOf(position);
  const oldEnd = (position: number): number => previous.ends[position] + shiftOf(position);
  // The frame: everything before the first unit and after the last, byte for byte.
  const firstOld = oldStart(0);
  const lastOld = oldEnd(oldCount - 1);
  if (!same(0, firstOld, bytes, 0, starts[0])) return undefined;
  if (!same(lastOld, previous.size, bytes, ends[count - 1], bytes.length)) return undefined;

  const units: (Unit | undefined)[] = new Array(count);
  const written: boolean[] = new Array(count);
  const changed: number[] = [];
  const ids: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const guess = i < oldCount ? previous.model.units[i].id : undefined;
    const id = guess !== undefined && startsWithId(bytes, starts[i], tagEnds[i], guess) ? guess : idOf(bytes, starts[i], tagEnds[i]);
    if (id === undefined) return undefined;
    ids[i] = id;
    const slot = previous.unitIndex.get(id);
    if (slot !== undefined) {
      const from = oldStart(slot.position);
      const to = oldEnd(slot.position);
      if (same(from, to, bytes, starts[i], ends[i])) {
        units[i] = previous.model.units[slot.position];
        written[i] = slot.written;
        continue;
      }
    }
    changed.push(i);
  }

  // The units that changed, read in the file's frame (its namespaces, its `xml:space`), one per line.
  const parts: Uint8Array[] = [bytes.subarray(0, starts[0])];
  for (const [k, i] of changed.entries()) {
    if (k > 0) parts.push(NEWLINE);
    parts.push(bytes.subarray(starts[i], ends[i]));
  }
  parts.push(bytes.subarray(ends[count - 1]));
  const read = streamModel(Buffer.concat(parts));
  if (!read || read.model.units.length !== changed.length) return undefined;
  for (const [k, i] of changed.entries()) {
    const unit = read.model.units[k];
    if (unit.id !== ids[i]) return undefined;
    units[i] = unit;
    written[i] = read.written[k];
  }
  // Their ids unique, the whitespace between them: checked as for any file held as spans (the units found above are where they are).
  return readSpansXliff12(bytes, { ...read.model, units: units as Unit[] }, ctx, written, found);
}

const NEWLINE = Buffer.from('\n', 'latin1');
