/**
 * A locale file the workbench wrote, held without a DOM: its bytes, where each `<trans-unit>` and
 * the `<header>` are in them, its model (from its snapshot or the streaming reader), and a small
 * DOM of the file with its units cut out (the *frame*: root, `<file>`, header, an empty `<body>`).
 * A change writes a unit by parsing that unit's own bytes into an element of the frame, writing the
 * model into it with the same code as a whole DOM, and splicing its new text in place of the old
 * bytes; units added and taken out are spliced the same way. Nothing of the size of the book is
 * built: no element per unit, no DOM of 16,000 units (which cost most of a source update and of a
 * server's memory), and no use of xmldom's internals (its change counter, unlinking).
 *
 * It holds only files in the form the workbench writes them: the units siblings in `<body>`, one
 * per line, and a frame that the serializer writes back byte for byte. Anything else gives
 * undefined when read (the caller holds the file as a skeleton, or parses it whole), and a change
 * this module does not make (new `<file>` attributes, a header to create, a body emptied) is made
 * on a skeleton of the same bytes (see updateXliff12). The text written is the one a whole parse
 * would write (a property test holds them together).
 */
import type { Document, Element } from '@xmldom/xmldom';
import type { LocaleFile, Unit } from '../domain/types';
import { createElementLike, firstChildElement, isElement } from './domEdit';
import { FILE_ATTRIBUTES, fileAndBody, fileFields, type ParsedXliff12, splicedOutput, writeFailure, writeFileFields, type WrittenPart, type Xliff12Output } from './xliff12Model';
import { assertRemovableUnits, assertWritableModel } from './xliff12ModelCheck';
import { plainUnitsIn, writePlainUnitText } from './plainUnitText';
import { readSkeletonXliff12, startTagEnd, writesAsReadText } from './xliff12Skeleton';
import type { UnitWrites } from './unitWrites';
import { chunkCopier, maxChunks } from './xliff12Text';
import { readUnit, sameUnit, writeUnit } from './xliff12Unit';
import { XLIFF12_NS } from './xliff12Vocabulary';
import { parseXmlSafely, serializeXmlDocument, XML_DECLARATION, xmlElementSerializer } from './xmlSafety';

/** Where a unit is in a file held as spans: its index in the model, and whether it is written as read (see UnitSlot.written). */
export interface SpanSlot {
  position: number;
  written: boolean;
}

/** A locale file held as spans (see above). Like ParsedXliff12, it must not be used once given to a writer: use the output's. */
export interface SpanXliff12 {
  readonly kind: 'spans';
  model: LocaleFile;
  unitIndex: Map<string, SpanSlot>;
  /** The file's bytes, in chunks one after the other. */
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
  /** Where each unit (by position in the model) starts and ends, in the bytes `shifts` moves them from. */
  readonly starts: number[];
  readonly ends: number[];
  /** The size changes of units rewritten since the starts and ends were taken (see PositionShifts). */
  readonly shifts: PositionShifts;
  /** The whitespace before each unit (by position), which gives its indentation. */
  readonly gaps: string[];
  /** The file without its units; its `<body>` holds only the whitespace that closes it. */
  readonly frame: Document;
  /** The namespace declarations in scope in `<body>`, as attributes, for parsing a unit on its own. */
  readonly declared: string;
  /** The whitespace before `<body>` (its indentation, from which the writer takes the file's indentation step). */
  readonly bodyIndent: string;
  /** Where the header is (it comes before the units: its place never moves), when there is one. */
  readonly header?: { start: number; end: number };
  /** The elements of the units written last, for their next write (see UnitElements). */
  readonly elements: UnitElements;
}

/**
 * How many units' elements a file held as spans keeps for their next write (see UnitElements):
 * about 12 KB each with their context, so 3 MB a file; more than the paragraphs a community has
 * open at once.
 */
const ELEMENTS_KEPT = 256;

/**
 * The elements of the units a file held as spans wrote last, each with its text and the
 * whitespace before it: a translator saves the same paragraph again and again (each draft, each
 * correction), and parsing the unit's text again for each save was a sixteenth of a busy server's
 * time. An element is taken only to write over exactly the text it was serialized as, in the same
 * place (the same whitespace before it), so it is what a parse of those bytes gives; it is taken
 * out while it is written, so one that a write left half-changed is never used again. The newest
 * ELEMENTS_KEPT are kept; the lines of a file share them, whichever is written next.
 */
export class UnitElements {
  private readonly kept = new Map<string, { gap: string; text: string; element: Element }>();

  /** The element of unit `id` when it was last written as `text` after `gap`, taken out. */
  take(id: string, gap: string, text: string): Element | undefined {
    const found = this.kept.get(id);
    if (!found) return undefined;
    this.kept.delete(id);
    return found.gap === gap && found.text === text ? found.element : undefined;
  }

  /** Keeps the element of unit `id`, just serialized as `text` after `gap`. */
  keep(id: string, gap: string, text: string, element: Element): void {
    this.kept.delete(id);
    this.kept.set(id, { gap, text, element });
    if (this.kept.size > ELEMENTS_KEPT) this.kept.delete(this.kept.keys().next().value as string);
  }

  get size(): number {
    return this.kept.size;
  }
}

/** A locale file held for a change: as a DOM (parsed whole, or a skeleton), or as spans. */
export type HeldXliff12 = ParsedXliff12 | SpanXliff12;

export function isSpanHeld(held: HeldXliff12): held is SpanXliff12 {
  return (held as SpanXliff12).kind === 'spans';
}

/**
 * The size changes of units rewritten in place, by position, in a Fenwick tree: a unit's place is
 * its start in the bytes the positions were taken from, moved by the changes of the units before
 * it, in O(log n) (a save of one unit in a book does not move 16,000 places).
 */
export class PositionShifts {
  private readonly tree: Float64Array;
  /** Whether any unit changed size yet (a file just read has no shifts to add up). */
  private moved = false;

  constructor(count: number) {
    this.tree = new Float64Array(count + 1);
  }

  /** How far the unit at `position` has moved. */
  shiftOf(position: number): number {
    if (!this.moved) return 0;
    let sum = 0;
    for (let i = position; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }

  /** The unit at `position` grew (or shrank) by `change` bytes. */
  grow(position: number, change: number): void {
    if (change !== 0) this.moved = true;
    for (let i = position + 1; i < this.tree.length; i += i & -i) this.tree[i] += change;
  }
}

const DECLARATION = `<?xml ${XML_DECLARATION}?>`;
const UNITS_MARK = 'workbench:units';
const isWhitespaceByte = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09;

/** Where the units and the header of a file are (see findElements). */
export type FoundElements = NonNullable<ReturnType<typeof findElements>>;

/**
 * The file `bytes` held as spans, its model being `model` (read before from these very bytes), or
 * undefined when it is not in the form the workbench writes (see above). `written`, when known,
 * says which units are written as read (see readSkeletonXliff12); `elements`, when the caller
 * has found them in these bytes already, where they are.
 */
export function readSpansXliff12(bytes: Buffer, model: LocaleFile, ctx: { file: string }, written?: readonly boolean[], elements?: FoundElements): SpanXliff12 | undefined {
  const count = model.units.length;
  if (count === 0 || bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a || bytes.includes(0x0d)) return undefined;
  if (!bytes.subarray(0, DECLARATION.length).equals(DECLARATION_BYTES)) return undefined;
  const found = elements ?? findElements(bytes);
  if (!found) return undefined;
  const { header, starts, ends, tagEnds } = found;
  if (starts.length !== count || (header && header.end > starts[0])) return undefined;
  for (let i = 1; i < count; i++) {
    // Each unit begins after the one before ends, with only whitespace between (siblings, one per line).
    if (!onlyWhitespaceWithNewline(bytes, ends[i - 1], starts[i])) return undefined;
  }
  const index = new Map<string, SpanSlot>();
  for (let i = 0; i < count; i++) {
    const unit = model.units[i];
    const id = startsWithId(bytes, starts[i], tagEnds[i], unit.id) ? unit.id : idOf(bytes, starts[i], tagEnds[i]);
    if (id === undefined || id !== unit.id || index.has(id)) return undefined;
    index.set(id, { position: i, written: written ? written[i] === true : writesAsReadText(bytes.toString('latin1', starts[i], ends[i]), 0, ends[i] - starts[i], unit) });
  }
  // The whitespace before the first unit, back to the `>` of <body>.
  let first = starts[0];
  while (first > 0 && isWhitespaceByte(bytes[first - 1])) first--;
  if (!onlyWhitespaceWithNewline(bytes, first, starts[0])) return undefined;
  const last = ends[count - 1];
  const prefix = bytes.toString('utf8', 0, first);
  const suffix = bytes.toString('utf8', last);
  let frame: Document;
  let fileEl: Element;
  let body: Element;
  try {
    frame = parseXmlSafely(`${prefix}<!--${UNITS_MARK}-->${suffix}`, { file: ctx.file, malformedCode: 'xliff-malformed', nodePositions: false });
    ({ fileEl, body } = fileAndBody(frame));
  } catch {
    return undefined;
  }
  // The units were where the mark is: first in <body>, followed only by the whitespace that closes it.
  const mark = body.firstChild;
  const closing = mark?.nextSibling;
  if (!mark || mark.nodeType !== 8 /* COMMENT_NODE */ || (mark as unknown as { data: string }).data !== UNITS_MARK) return undefined;
  if (!closing || closing.nodeType !== 3 /* TEXT_NODE */ || closing.nextSibling || !/^[ \t\n]+$/.test((closing as unknown as { data: string }).data)) return undefined;
  if (body.prefix || body.namespaceURI !== XLIFF12_NS || !!firstChildElement(fileEl, XLIFF12_NS, 'header') !== !!header) return undefined;
  // <body> in <file> in the root, as the unit writer's context has it (see unitWriter).
  if (fileEl.parentNode !== frame.documentElement) return undefined;
  body.removeChild(mark);
  // The frame must be written back as it is: then a unit written into it, and the header, are written as a whole parse writes them.
  if (serializeXmlDocument(frame) !== prefix + suffix) return undefined;
  const interned = new Map<string, string>();
  let lastGap = '';
  const gaps = starts.map((start, i) => {
    const from = i === 0 ? first : ends[i - 1];
    // Most units have the whitespace of the one before them: told from the bytes, without a string.
    if (i > 0 && sameLatin1(bytes, from, start, lastGap)) return lastGap;
    const gap = bytes.toString('latin1', from, start);
    lastGap = gap;
    const known = interned.get(gap);
    if (known !== undefined) return known;
    interned.set(gap, gap);
    return gap;
  });
  const before = body.previousSibling;
  const bodyIndent = before && before.nodeType === 3 /* TEXT_NODE */ && /^[ \t\n]*$/.test((before as unknown as { data: string }).data) ? (before as unknown as { data: string }).data : '';
  return {
    kind: 'spans',
    model,
    unitIndex: index,
    chunks: [bytes],
    size: bytes.length,
    starts,
    ends,
    shifts: new PositionShifts(count),
    gaps,
    frame,
    declared: declarationsAt(body),
    bodyIndent,
    header,
    elements: new UnitElements(),
  };
}

/**
 * The most chunks a change of units added and taken out leaves a file's bytes in (see maxChunks):
 * a source update of a book rewrites a thousand units or more in each locale, a few thousand
 * chunks, and joining them cost a tenth of a second over five files. They are written as they are
 * (vectored writes take the system's limit of chunks at a time), and the next save joins them if
 * they are many (see replaceUnitsSpans).
 */
const MAX_CHUNKS = 16_384;

const DECLARATION_BYTES = Buffer.from(DECLARATION, 'latin1');
const UNIT_OPEN = Buffer.from('<trans-unit', 'latin1');
const UNIT_CLOSE = Buffer.from('</trans-unit>', 'latin1');

/**
 * Where the `<trans-unit>` elements and the `<header>` of a file are, found by searching its bytes
 * for their tags: a file whose model was read from these very bytes is well-formed, so where it
 * has no comment, CDATA section, DOCTYPE or processing instruction (but the declaration) every `<`
 * begins markup. Undefined when the file has any of those, a unit inside a unit, a second header,
 * or a tag this search does not read (`</trans-unit >`): the caller holds it otherwise.
 */
export function findElements(bytes: Buffer): { header?: { start: number; end: number }; starts: number[]; ends: number[]; tagEnds: number[] } | undefined {
  if (bytes.indexOf('<!') >= 0 || bytes.indexOf('<?', 1) >= 0) return undefined;
  const element = (name: Buffer, close: Buffer, at: number): { end: number; tagEnd: number } | undefined => {
    const next = bytes[at + name.length];
    if (!(isWhitespaceByte(next) || next === 0x3e || next === 0x2f)) return undefined;
    const tagEnd = startTagEnd(bytes, at);
    if (tagEnd < 0) return undefined;
    if (bytes[tagEnd - 2] === 0x2f) return { end: tagEnd, tagEnd };
    const closeAt = bytes.indexOf(close, tagEnd);
    if (closeAt < 0) return undefined;
    return { end: closeAt + close.length, tagEnd };
  };
  let header: { start: number; end: number } | undefined;
  const headerAt = bytes.indexOf('<header');
  if (headerAt >= 0) {
    const found = element(Buffer.from('<header'), Buffer.from('</header>'), headerAt);
    if (!found || bytes.indexOf('<header', headerAt + 1) >= 0) return undefined;
    header = { start: headerAt, end: found.end };
  }
  const starts: number[] = [];
  const ends: number[] = [];
  const tagEnds: number[] = [];
  let next = bytes.indexOf(UNIT_OPEN);
  while (next >= 0) {
    const start = next;
    const found = element(UNIT_OPEN, UNIT_CLOSE, start);
    if (!found) return undefined;
    next = bytes.indexOf(UNIT_OPEN, found.tagEnd);
    if (next >= 0 && next < found.end) return undefined; // a unit inside a unit
    starts.push(start);
    ends.push(found.end);
    tagEnds.push(found.tagEnd);
  }
  return { header, starts, ends, tagEnds };
}

/** The file held as spans when it can be (see readSpansXliff12), else as a skeleton (see readSkeletonXliff12), else undefined. */
export function readHeldXliff12(bytes: Buffer, model: LocaleFile, ctx: { file: string }, written?: readonly boolean[]): HeldXliff12 | undefined {
  return readSpansXliff12(bytes, model, ctx, written) ?? readSkeletonXliff12(bytes, model, ctx, written);
}

function onlyWhitespaceWithNewline(bytes: Uint8Array, from: number, to: number): boolean {
  let newline = false;
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    if (c === 0x0a) newline = true;
    else if (c !== 0x20 && c !== 0x09) return false;
  }
  return newline;
}

/** Whether `bytes` from `from` to `to` are the characters of `text` (each below 256), one byte each. */
function sameLatin1(bytes: Buffer, from: number, to: number, text: string): boolean {
  if (to - from !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[from + i] !== text.charCodeAt(i)) return false;
  return true;
}

const ID_ATTRIBUTE = ' id="';

/**
 * Whether the start tag from `start` to `tagEnd` is `<trans-unit id="…"` with `id` (ASCII, no
 * markup characters) as its first attribute, and declares no namespace: what idOf would read from
 * it, told from the bytes without a string for each unit of a book. False when it cannot be told
 * so (the caller asks idOf).
 */
export function startsWithId(bytes: Buffer, start: number, tagEnd: number, id: string): boolean {
  let at = start + UNIT_OPEN.length;
  const idEnd = at + ID_ATTRIBUTE.length + id.length;
  if (idEnd >= tagEnd || !sameLatin1(bytes, at, at + ID_ATTRIBUTE.length, ID_ATTRIBUTE) || bytes[idEnd] !== 0x22) return false;
  at += ID_ATTRIBUTE.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c > 0x7e || c < 0x20 || c === 0x26 || c === 0x3c || c === 0x22 || bytes[at + i] !== c) return false;
  }
  // No namespace declaration among the other attributes (idOf's own test).
  for (let i = idEnd; i < tagEnd - 4; i++) if (bytes[i] === 0x78 && bytes[i + 1] === 0x6d && bytes[i + 2] === 0x6c && bytes[i + 3] === 0x6e && bytes[i + 4] === 0x73) return false;
  return true;
}

/** The `id` of the unit whose start tag is from `start` to `tagEnd`, or undefined when it cannot be told at a glance (an entity in it, a namespace declaration on the unit). */
export function idOf(bytes: Buffer, start: number, tagEnd: number): string | undefined {
  const tag = bytes.toString('latin1', start, tagEnd);
  if (tag.includes('xmlns')) return undefined;
  const match = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  if (!match) return undefined;
  const raw = match[1] ?? match[2];
  if (raw.includes('&') || raw.includes('<')) return undefined;
  // The id's bytes as UTF-8 (the Latin-1 view is one character per byte).
  const at = start + (match.index + match[0].length - raw.length - 1);
  return bytes.toString('utf8', at, at + raw.length);
}

/** The namespace declarations in scope at `el`, nearest first, as attributes for a wrapper element. */
function declarationsAt(el: Element): string {
  const declared = new Map<string, string>();
  for (let node: Element | null = el; node && isElement(node); node = node.parentNode as Element | null) {
    const attrs = node.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const attr = attrs[i];
      if ((attr.name === 'xmlns' || attr.prefix === 'xmlns') && !declared.has(attr.name)) declared.set(attr.name, attr.value);
    }
  }
  const escape = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return [...declared].map(([name, value]) => ` ${name}="${escape(value)}"`).join('');
}

/** Where each of a file's chunks begins in the file, and the index of the chunk holding a byte (binary search). */
function chunkOffsets(chunks: readonly Uint8Array[]): { offsets: number[]; chunkAt(at: number): number } {
  const offsets: number[] = [];
  let size = 0;
  for (const chunk of chunks) {
    offsets.push(size);
    size += chunk.byteLength;
  }
  return {
    offsets,
    chunkAt(at) {
      let low = 0;
      let high = chunks.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (offsets[mid] <= at) low = mid;
        else high = mid - 1;
      }
      return low;
    },
  };
}

/**
 * Whether the bytes `from`–`to` of a file held in chunks are the bytes `start`–`end` of `bytes`,
 * compared where they are (a book's file held after saves is hundreds of chunks: joined, 17 MB of
 * new memory each time).
 */
export function chunkComparer(chunks: readonly Uint8Array[]): (from: number, to: number, bytes: Uint8Array, start: number, end: number) => boolean {
  const { offsets, chunkAt } = chunkOffsets(chunks);
  const views = chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return (from, to, bytes, start, end) => {
    if (to - from !== end - start) return false;
    for (let i = chunkAt(from), at = from; at < to; i++) {
      const view = views[i];
      if (!view) return false;
      const until = Math.min(view.byteLength, to - offsets[i]);
      const length = until - (at - offsets[i]);
      const target = start + (at - from);
      if (view.compare(bytes, target, target + length, at - offsets[i], until) !== 0) return false;
      at = offsets[i] + until;
    }
    return true;
  };
}

/** Reads ranges of a file held in chunks, as UTF-8 text. */
function chunkReader(chunks: readonly Uint8Array[]): (from: number, to: number) => string {
  const { offsets, chunkAt } = chunkOffsets(chunks);
  return (from, to) => {
    // The chunk holding `from`, then as many as the range spans.
    const low = chunkAt(from);
    const parts: Uint8Array[] = [];
    for (let i = low, at = from; at < to; i++) {
      const chunk = chunks[i];
      if (!chunk) throw new Error('chunkReader: range past the end of the file');
      const end = Math.min(chunk.byteLength, to - offsets[i]);
      parts.push(chunk.subarray(at - offsets[i], end));
      at = offsets[i] + end;
    }
    const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    return Buffer.from(joined.buffer, joined.byteOffset, joined.byteLength).toString('utf8');
  };
}

/**
 * Writes units of `held`, one at a time: each is parsed (from its text, or created) in a small
 * document that gives it the context it has in the file (the namespaces in scope, `<body>` in
 * `<file>` in the root with the same indentation, the whitespace before the unit), written, read
 * back and serialized. The writer follows the indentation it finds, and the serializer the
 * namespaces in scope: the text is the one it gets in the whole file.
 */
function unitWriter(held: SpanXliff12, file: string, writes?: UnitWrites): (unit: Unit, gap: string, text: string | undefined) => { text: string; unit: Unit } {
  const serialize = xmlElementSerializer();
  const writeFailed = writeFailure(file);
  // What a unit's write depends on besides its bytes, the whitespace before it and the unit (see UnitWrites).
  const context = `${held.declared}\u0000${held.bodyIndent}`;
  const plain = plainUnitsIn(held.declared);
  return (unit, gap, text) => {
    // A unit in the writer's plain form is written as text (see writePlainUnitText).
    const fast = plain && text !== undefined ? writePlainUnitText(text, gap, unit) : undefined;
    if (fast) return fast;
    const known = writes?.find(context, gap, text, unit);
    if (known) return known;
    const element = (text !== undefined && held.elements.take(unit.id, gap, text)) || parseUnit(unit, gap, text);
    writeUnit(element, unit, text === undefined);
    const written = readUnit(element, writeFailed);
    const serialized = serialize(element);
    if (serialized === undefined) throw writeFailed(`trans-unit "${unit.id}" cannot be written on its own`);
    held.elements.keep(unit.id, gap, serialized, element);
    writes?.keep(context, gap, text, unit, serialized, written);
    return { text: serialized, unit: written };
  };

  /** The unit's element in its context: parsed from `text`, or created after `gap` when the unit is new. */
  function parseUnit(unit: Unit, gap: string, text: string | undefined): Element {
    const context = parseXmlSafely(`<xliff${held.declared}><file>${held.bodyIndent}<body>${gap}${text ?? ''}</body></file></xliff>`, {
      file,
      malformedCode: 'xliff-malformed',
      nodePositions: false,
    });
    const body = context.documentElement?.lastChild?.lastChild;
    if (!body || !isElement(body)) throw writeFailed(`the context of trans-unit "${unit.id}" cannot be made`);
    let element: Element;
    if (text === undefined) {
      element = createElementLike(body, XLIFF12_NS, 'trans-unit');
      element.setAttribute('id', unit.id);
      body.appendChild(element);
    } else {
      const own = body.lastChild;
      if (!own || !isElement(own) || own.previousSibling?.nodeType !== 3 /* TEXT_NODE */) throw writeFailed(`the bytes of trans-unit "${unit.id}" are not one element`);
      element = own;
    }
    return element;
  }
}

/**
 * replaceUnitsXliff12 for a file held as spans: each unit of `replacements` that differs from the
 * one read back from the file is written, and its text spliced in place of the old one.
 */
export function replaceUnitsSpans(current: SpanXliff12, replacements: readonly Unit[], ctx: { file: string }): Xliff12Output {
  const writeFailed = writeFailure(ctx.file);
  const previous = current.model.units;
  const slots = replacements.map((unit) => {
    const slot = current.unitIndex.get(unit.id);
    if (!slot) throw writeFailed(`there is no trans-unit "${unit.id}" to write`);
    return slot;
  });
  assertWritableModel({ ...fileFields(current.model), units: replacements as Unit[] });
  const read = chunkReader(current.chunks);
  const write = unitWriter(current, ctx.file);
  const rewritten = new Map<number, { text: string; unit: Unit }>();
  for (const [i, unit] of replacements.entries()) {
    const slot = slots[i];
    const before = previous[slot.position];
    if (slot.written && (before === unit || sameUnit(before, unit))) continue;
    const shift = current.shifts.shiftOf(slot.position);
    rewritten.set(slot.position, write(unit, current.gaps[slot.position], read(current.starts[slot.position] + shift, current.ends[slot.position] + shift)));
  }
  const positions = [...rewritten.keys()].sort((a, b) => a - b);
  let chunks: Uint8Array[] = [];
  const copy = chunkCopier(current.chunks, chunks);
  const parts: WrittenPart[] = [];
  const units = previous.slice();
  let copied = 0;
  let growth = 0;
  const sizes: number[] = [];
  for (const position of positions) {
    const { text, unit } = rewritten.get(position) as { text: string; unit: Unit };
    const shift = current.shifts.shiftOf(position);
    const start = current.starts[position] + shift;
    const end = current.ends[position] + shift;
    const encoded = Buffer.from(text, 'utf8');
    copy(copied, start);
    chunks.push(encoded);
    copied = end;
    parts.push({ start: start + growth, end: start + growth + encoded.length, text });
    sizes.push(encoded.length);
    growth += encoded.length - (end - start);
    units[position] = unit;
    (current.unitIndex.get(unit.id) as SpanSlot).written = true;
  }
  copy(copied, current.size);
  // The places move once all are written: a unit's shift counts only the units before it.
  for (const [k, position] of positions.entries()) {
    const size = sizes[k];
    current.shifts.grow(position, size - (current.ends[position] - current.starts[position]));
    current.ends[position] = current.starts[position] + size;
  }
  const size = current.size + growth;
  if (chunks.length > maxChunks(size)) chunks = [Buffer.concat(chunks, size)];
  const parsed: SpanXliff12 = { ...current, model: { ...fileFields(current.model), units }, chunks, size };
  return splicedOutput(chunks, size, parsed, parts);
}

/**
 * updateXliff12 for a file held as spans: units written, added after the unit before them in the
 * model (or first in `<body>`), taken out with the whitespace before them, and the header written
 * again, as updateXliff12 does on a DOM; the rest of the bytes are copied. Undefined, with nothing
 * changed but the frame's `<file>` (the caller goes on with a skeleton of the same bytes), for a
 * change it does not make: new `<file>` attributes, a header to create, every unit taken out.
 */
export function updateSpans(current: SpanXliff12, model: LocaleFile, ctx: { file: string; writes?: UnitWrites }): Xliff12Output | undefined {
  const previous = current.model.units;
  const modelUnits = model.units;
  const slots = modelUnits.map((unit) => current.unitIndex.get(unit.id));
  const same = new Uint8Array(modelUnits.length);
  for (let i = 0; i < modelUnits.length; i++) {
    const slot = slots[i];
    if (slot !== undefined && slot.written && (previous[slot.position] === modelUnits[i] || sameUnit(previous[slot.position], modelUnits[i]))) same[i] = 1;
  }
  assertWritableModel(model, (_unit, i) => same[i] === 1);
  assertRemovableUnits(model);
  const { fileEl } = fileAndBody(current.frame);
  const headerBefore = firstChildElement(fileEl, XLIFF12_NS, 'header');
  const attributesBefore = FILE_ATTRIBUTES.map((name) => fileEl.getAttribute(name)).join('\u0000');
  writeFileFields(fileEl, model);
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (header !== headerBefore || FILE_ATTRIBUTES.map((name) => fileEl.getAttribute(name)).join('\u0000') !== attributesBefore) return undefined;
  const removed = new Set<number>();
  for (const id of model.removeUnits ?? []) {
    const slot = current.unitIndex.get(id);
    if (slot) removed.add(slot.position);
  }
  const count = previous.length;
  if (removed.size === count && slots.some((slot) => slot === undefined)) return undefined;

  const read = chunkReader(current.chunks);
  const write = unitWriter(current, ctx.file, ctx.writes);
  const indentOf = (gap: string): string => `\n${gap.slice(gap.lastIndexOf('\n') + 1)}`;
  // What goes where: the units written in place (by position), the new ones after the unit
  // before them in the model (by that unit's position; -1: first in <body>), in model order.
  const rewritten = new Map<number, { text: string; unit: Unit }>();
  const added = new Map<number, { text: string; unit: Unit }[]>();
  let anchor = -1;
  let anchorGap: string | undefined; // the whitespace a new unit after the anchor is given
  const firstKept = (() => {
    for (let p = 0; p < count; p++) if (!removed.has(p)) return p;
    return -1;
  })();
  for (let i = 0; i < modelUnits.length; i++) {
    const unit = modelUnits[i];
    const slot = slots[i];
    if (slot === undefined) {
      // The whitespace before it: a new line indented as the unit before it; first in <body>, the
      // whitespace that was before the first unit kept (as insertChild leaves it).
      const gap = anchorGap ?? current.gaps[firstKept];
      const list = added.get(anchor) ?? [];
      if (!added.has(anchor)) added.set(anchor, list);
      list.push(write(unit, gap, undefined));
      anchorGap = indentOf(gap);
      continue;
    }
    const position = slot.position;
    if (same[i] !== 1) {
      const shift = current.shifts.shiftOf(position);
      rewritten.set(position, write(unit, current.gaps[position], read(current.starts[position] + shift, current.ends[position] + shift)));
    }
    anchor = position;
    anchorGap = indentOf(current.gaps[position]);
  }
  const serializeHeader = xmlElementSerializer();
  const headerText = header && serializeHeader(header);
  if (header && headerText === undefined) return undefined;

  // One pass along the file: what stays is copied, what changed is put in its place.
  let chunks: Uint8Array[] = [];
  const copy = chunkCopier(current.chunks, chunks);
  const parts: WrittenPart[] = [];
  let copied = 0;
  let size = 0;
  const copyTo = (to: number): void => {
    if (to > copied) {
      copy(copied, to);
      size += to - copied;
    }
    copied = to;
  };
  const put = (text: string, whole: boolean): number => {
    const encoded = Buffer.from(text, 'utf8');
    chunks.push(encoded);
    if (whole) parts.push({ start: size, end: size + encoded.length, text });
    size += encoded.length;
    return encoded.length;
  };
  if (current.header && headerText !== undefined) {
    copyTo(current.header.start);
    put(headerText, true);
    copied = current.header.end;
  }
  const units: Unit[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const gaps: string[] = [];
  const index = new Map<string, SpanSlot>();
  const place = (unit: Unit, start: number, end: number, gap: string, written: boolean): void => {
    index.set(unit.id, { position: units.length, written });
    units.push(unit);
    starts.push(start);
    ends.push(end);
    gaps.push(gap);
  };
  const putAdded = (list: { text: string; unit: Unit }[] | undefined, gap: string, before: boolean): void => {
    // After a unit: each on a new line with its indentation; before the first one kept: each
    // followed by one (the whitespace before that unit is then before the first new one).
    for (const [k, { text, unit }] of (list ?? []).entries()) {
      if (!before) put(gap, false);
      const start = size;
      put(text, true);
      place(unit, start, size, before && k === 0 ? current.gaps[firstKept] : gap, true);
      if (before) put(gap, false);
    }
  };
  for (let p = 0; p < count; p++) {
    const shift = current.shifts.shiftOf(p);
    const start = current.starts[p] + shift;
    const end = current.ends[p] + shift;
    if (removed.has(p)) {
      // Taken out with the whitespace before it.
      copyTo(start - Buffer.byteLength(current.gaps[p], 'latin1'));
      copied = end;
      continue;
    }
    copyTo(start);
    if (p === firstKept) putAdded(added.get(-1), indentOf(current.gaps[p]), true);
    const gap = p === firstKept && added.has(-1) ? indentOf(current.gaps[p]) : current.gaps[p];
    const change = rewritten.get(p);
    const unitStart = size;
    if (change) {
      put(change.text, true);
      copied = end;
    } else {
      copyTo(end);
    }
    const slot = current.unitIndex.get(previous[p].id) as SpanSlot;
    place(change?.unit ?? previous[p], unitStart, size, gap, change ? true : slot.written);
    putAdded(added.get(p), indentOf(current.gaps[p]), false);
  }
  copyTo(current.size);
  // Joined only past what one write takes in a few system calls: a change of this kind (a source
  // update, an import) is written at once, and the next save joins them if they are many (see replaceUnitsSpans).
  if (chunks.length > MAX_CHUNKS) chunks = [Buffer.concat(chunks, size)];
  const parsed: SpanXliff12 = {
    kind: 'spans',
    model: { ...fileFields(model), units },
    unitIndex: index,
    chunks,
    size,
    starts,
    ends,
    shifts: new PositionShifts(units.length),
    gaps,
    frame: current.frame,
    declared: current.declared,
    bodyIndent: current.bodyIndent,
    header: current.header && headerText !== undefined ? { start: current.header.start, end: current.header.start + Buffer.byteLength(headerText, 'utf8') } : current.header,
    elements: current.elements,
  };
  return splicedOutput(chunks, size, parsed, parts);
}

/** The bytes of a file held as spans, in one buffer: its only chunk as it is, or its chunks joined. */
export function spanBytes(held: SpanXliff12): Buffer {
  return joinChunks(held.chunks, held.size);
}

/** Bytes in pieces, in one buffer: the only piece as it is (not copied), or the pieces joined (`size`: their total, when known). */
export function joinChunks(chunks: readonly Uint8Array[], size?: number): Buffer {
  const [first] = chunks;
  return chunks.length === 1 ? Buffer.from(first.buffer, first.byteOffset, first.byteLength) : Buffer.concat(chunks, size);
}

/** A file held as spans, held as a skeleton instead (for a change only a DOM makes). */
export function skeletonOf(held: SpanXliff12, ctx: { file: string }): ParsedXliff12 | undefined {
  const bytes = spanBytes(held);
  const written = held.model.units.map((unit) => held.unitIndex.get(unit.id)?.written === true);
  return readSkeletonXliff12(bytes, held.model, ctx, written);
}
