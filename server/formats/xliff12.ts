/**
 * The canonical XLIFF 1.2 reader/writer of the workbench (one `<file>` per document and locale).
 *
 * Reading keeps the DOM next to the model; writing updates that DOM in place, so whatever the
 * workbench does not understand (unknown attributes, context groups, alt-trans, foreign elements,
 * comments, header contents, units it does not know) survives a save.
 */
import { DOMImplementation } from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';
import type { LocaleFile, Unit, UnitNote, XliffState } from '../domain/types';
import { WorkbenchError } from '../errors';
import {
  appendChildLines,
  childElements,
  childIndent,
  createElementLike,
  firstChildElement,
  firstElementChild,
  indentOf,
  insertAfter,
  insertChild,
  isElement,
  ownerDocumentOf,
  removeElement,
  removeElements,
  setAttributeIfChanged,
  setTextIfChanged,
  textOf,
} from './domEdit';
import { assertRemovableUnits, assertWritableModel } from './xliff12ModelCheck';
import {
  FILE_GROUP,
  NOTE_ANNOTATES,
  PREVIOUS_VERSION,
  REVISION_COUNT_TYPE,
  REVISION_GROUP,
  REVISION_UNIT,
  SOURCE_VERSION_COUNT_TYPE,
  SOURCE_VERSION_UNIT,
  XLIFF12_NS,
  XLIFF_STATES,
  countIn,
  revisionCountIn,
  revisionGroupName,
  transUnits,
} from './xliff12Vocabulary';
import {
  XML_DECLARATION,
  XML_NS,
  parseXmlSafely,
  parseXmlTracking,
  serializeXmlDocumentTracking,
  xmlElementSerializer,
  type ElementSpan,
} from './xmlSafety';

export { XLIFF12_NS };

/** Where a unit lives in a document held in memory (see ParsedXliff12.unitIndex). */
export interface UnitSlot {
  /** The unit's `<trans-unit>`. */
  element: Element;
  /** The unit's index in `model.units`. */
  position: number;
  /**
   * Writing the element from a unit equal to the one read back from it changes nothing, so
   * updateXliff12 skips it: it has been written by this module since the document was read, or
   * it was read already in the form the writer gives it (see writesAsRead).
   */
  written: boolean;
}

/**
 * The file a document held in memory was last read from or written as, while the document is
 * changed only by updateXliff12: its UTF-8 bytes (in chunks, one after the other), and where each
 * `<trans-unit>` of its index and the file's `<header>` are in them (in document order, not
 * overlapping). The next update then writes only the elements it changed, and reuses the rest of
 * the bytes as they are (see spliceText). Kept by document, and dropped by any other writer of the
 * document (serializeXliff12).
 */
interface DocumentText {
  chunks: readonly Uint8Array[];
  size: number;
  spans: ElementSpan[];
  /** xmldom's count of changes to the document's nodes when the text was taken: a change since by anyone else makes it stale. */
  changes: number | undefined;
}

const documentTexts = new WeakMap<Document, DocumentText>();

/** xmldom's internal change counter of a document (bumped on every child list and attribute list change), if it has one. */
function changeCount(doc: Document): number | undefined {
  const inc = (doc as unknown as { _inc?: unknown })._inc;
  return typeof inc === 'number' ? inc : undefined;
}

/** Names (as written, with any prefix) of the elements whose places in a text are kept. */
function isTrackedName(name: string): boolean {
  const local = name.slice(name.indexOf(':') + 1);
  return local === 'trans-unit' || local === 'header';
}

export interface ParsedXliff12 {
  model: LocaleFile;
  /** The parsed document: pass it back to serializeXliff12 to keep what the model does not hold. */
  dom: Document;
  /** Every unit of the model by id: built once per parsed DOM, kept up to date by updateXliff12. */
  unitIndex: Map<string, UnitSlot>;
}

/** Convenience constructor: units get defaults (not approved, revision 0, no notes, untranslated state). */
export function createLocaleFile(
  document: string,
  sourceLanguage: string,
  targetLanguage: string,
  units: Array<Pick<Unit, 'id' | 'source'> & Partial<Unit>>,
): LocaleFile {
  return {
    document,
    sourceLanguage,
    targetLanguage,
    units: units.map((u) => ({
      ...u,
      // An untranslated unit is written as <target state="needs-translation"/> and read back so.
      ...(u.target === undefined && u.state === undefined ? { state: 'needs-translation' as const } : {}),
      approved: u.approved ?? false,
      revision: u.revision ?? 0,
      notes: u.notes ?? [],
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Reads an XLIFF 1.2 locale file. `ctx.bytes`, when given, are the bytes `content` was decoded from
 * (UTF-8): they are kept, for the next update to copy what it does not change.
 */
export function parseXliff12(content: string, ctx: { file: string; bytes?: Uint8Array }): ParsedXliff12 {
  const { file } = ctx;
  // Without node positions (faster); the one error message that quotes a line re-parses with them.
  const track = { names: isTrackedName, spans: [] as number[] };
  const { doc: dom, source } = parseXmlTracking(content, { file, malformedCode: 'xliff-malformed', nodePositions: false }, track);
  const invalid = (reason: string): WorkbenchError =>
    new WorkbenchError(422, 'xliff-invalid', `${file}: not an XLIFF 1.2 locale file: ${reason}`, { details: { file } });

  const root = dom.documentElement;
  if (!root || root.localName !== 'xliff' || root.namespaceURI !== XLIFF12_NS) {
    throw invalid(`the root element must be <xliff xmlns="${XLIFF12_NS}">, found <${root?.nodeName}> in namespace ${root?.namespaceURI ?? '(none)'}`);
  }
  if (root.getAttribute('version') !== '1.2') throw invalid(`version must be "1.2", found ${JSON.stringify(root.getAttribute('version'))}`);
  const files = childElements(root, XLIFF12_NS, 'file');
  if (files.length !== 1) throw invalid(`expected exactly one <file>, found ${files.length}`);
  const fileEl = files[0];
  const body = firstChildElement(fileEl, XLIFF12_NS, 'body');
  if (!body) throw invalid('<file> has no <body>');
  const requiredAttr = (name: string): string => {
    const value = fileEl.getAttribute(name);
    if (!value) throw invalid(`<file> has no ${name} attribute`);
    return value;
  };

  const units: Unit[] = [];
  const index = new Map<string, UnitSlot>();
  for (const tu of transUnits(body)) {
    if (!tu.getAttribute('id')) throw invalid(`a <trans-unit> has no id (line ${unitLine(content, file, units.length) ?? '?'})`);
    const parts = unitParts(tu);
    const unit = readUnit(tu, invalid, parts);
    if (index.has(unit.id)) throw invalid(`duplicate trans-unit id "${unit.id}"`);
    index.set(unit.id, { element: tu, position: units.length, written: writesAsRead(tu, unit, parts) });
    units.push(unit);
  }
  const model: LocaleFile = {
    document: requiredAttr('original'),
    sourceLanguage: requiredAttr('source-language'),
    targetLanguage: requiredAttr('target-language'),
    units,
  };
  const sourceVersion = readWholeNumber(countIn(fileGroup(fileEl), SOURCE_VERSION_COUNT_TYPE), (raw) =>
    invalid(`the file's source version (<header><count-group name="${FILE_GROUP}">) must be a whole number, found "${raw}"`),
  );
  if (sourceVersion !== undefined) model.sourceVersion = sourceVersion;
  const text = parsedText(dom, source, content, ctx.bytes, track.spans, fileEl, index);
  if (text) documentTexts.set(dom, text);
  return { model, dom, unitIndex: index };
}

/**
 * The text of a document just parsed, with the places the scan found for its units and header,
 * when they can be told apart for sure: the scan lists the elements with those names in document
 * order, which a walk of the document matches one to one. Undefined when it cannot be used as it
 * is for a next write (no XML declaration as the writer writes it, no final newline, a text the
 * reader had to normalize, bytes that are not the text's).
 */
function parsedText(
  dom: Document,
  source: string,
  content: string,
  bytes: Uint8Array | undefined,
  found: readonly number[],
  fileEl: Element,
  index: Map<string, UnitSlot>,
): DocumentText | undefined {
  // Only line ends and a BOM are normalized before parsing: the same length, the same text.
  if (source.length !== content.length || !source.endsWith('\n')) return undefined;
  const first = dom.firstChild;
  if (!first || first.nodeType !== 7 /* PROCESSING_INSTRUCTION_NODE */ || first.nodeName !== 'xml') return undefined;
  if ((first as unknown as { data: string }).data !== XML_DECLARATION) return undefined;
  const places = new Map<Element, number>();
  let k = 0;
  // Every element in document order (iteratively: deep nesting is legal).
  for (let node: Node | null = dom.documentElement; node; ) {
    if (isElement(node)) {
      if (isTrackedName(node.tagName)) {
        if (k >= found.length) return undefined;
        places.set(node, k);
        k += 2;
      }
      if (node.firstChild) {
        node = node.firstChild;
        continue;
      }
    }
    while (node && !node.nextSibling) {
      node = node.parentNode;
      if (node === dom) node = null;
    }
    node = node && node.nextSibling;
  }
  if (k !== found.length) return undefined;
  const elements = [...index.values()].map((slot) => slot.element);
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (header) elements.push(header);
  const spans: ElementSpan[] = [];
  for (const element of elements) {
    const at = places.get(element);
    if (at === undefined) return undefined;
    spans.push({ element, start: found[at], end: found[at + 1] });
  }
  let raw = bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (raw && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) raw = raw.subarray(3); // the decoder's BOM
  return textWith(dom, source, raw ?? Buffer.from(source, 'utf8'), spans);
}

/**
 * A DocumentText from a text, its UTF-8 bytes and the places of elements in the text: the places
 * become byte offsets. Undefined unless each span is where it must be (an element's own, in order,
 * not overlapping) and the bytes are the text's.
 */
function textWith(dom: Document, xml: string, bytes: Buffer, spans: ElementSpan[]): DocumentText | undefined {
  spans.sort((a, b) => a.start - b.start);
  let end = 0;
  for (const span of spans) {
    if (span.start < end || span.end <= span.start || span.end > xml.length) return undefined;
    end = span.end;
  }
  // One pass along the text, measuring in UTF-8 what lies between one offset and the next.
  let char = 0;
  let byte = 0;
  const toByte = (offset: number): number => {
    byte += Buffer.byteLength(xml.slice(char, offset), 'utf8');
    char = offset;
    return byte;
  };
  const byteSpans = spans.map(({ element, start, end: stop }) => ({ element, start: toByte(start), end: toByte(stop) }));
  if (toByte(xml.length) !== bytes.length || byteSpans.some((span) => bytes[span.start] !== 0x3c /* < */)) return undefined;
  return { chunks: [bytes], size: bytes.length, spans: byteSpans, changes: changeCount(dom) };
}

/** The text of a `<count>` as a whole number (undefined without the element; `bad` throws for anything else). */
function readWholeNumber(count: Element | undefined, bad: (raw: string) => WorkbenchError): number | undefined {
  if (!count) return undefined;
  const raw = (count.textContent ?? '').trim();
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw bad(raw);
  return Number(raw);
}

/** The file-level `<header><count-group name="workbench:file">`, if any. */
function fileGroup(fileEl: Element): Element | undefined {
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (!header) return undefined;
  for (let node = header.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.namespaceURI === XLIFF12_NS && node.localName === 'count-group' && node.getAttribute('name') === FILE_GROUP) return node;
  }
  return undefined;
}

/** The line of the `index`-th trans-unit of a well-formed file: parses it again, with node positions this time. */
function unitLine(content: string, file: string, index: number): number | undefined {
  const root = parseXmlSafely(content, { file }).documentElement;
  const fileEl = root && firstChildElement(root, XLIFF12_NS, 'file');
  const body = fileEl && firstChildElement(fileEl, XLIFF12_NS, 'body');
  return body ? transUnits(body)[index]?.lineNumber : undefined;
}

/** The elements of a `<trans-unit>` the workbench reads and writes, found in one pass over its children. */
interface UnitParts {
  source?: Element;
  segSource?: Element;
  target?: Element;
  notes: Element[];
  /** The first `<alt-trans alttranstype="previous-version">`: the unit's `previous` (other alt-trans are never touched). */
  previous?: Element;
  /** The revision `<count-group>`: its own name first, then a legacy shared "workbench" (see revisionGroup). */
  revisionGroup?: Element;
  /** The first child element, whatever its namespace. */
  firstElement?: Element;
  /** The first child element outside the XLIFF namespace (those come last, per the schema). */
  firstForeign?: Element;
}

function unitParts(tu: Element): UnitParts {
  const parts: UnitParts = { notes: [] };
  let ownGroupName: string | undefined;
  let ownGroup: Element | undefined;
  let legacyGroup: Element | undefined;
  for (let node = tu.firstChild; node; node = node.nextSibling) {
    if (!isElement(node)) continue;
    parts.firstElement ??= node;
    if (node.namespaceURI !== XLIFF12_NS) {
      parts.firstForeign ??= node;
      continue;
    }
    switch (node.localName) {
      case 'source':
        parts.source ??= node;
        break;
      case 'seg-source':
        parts.segSource ??= node;
        break;
      case 'target':
        parts.target ??= node;
        break;
      case 'note':
        parts.notes.push(node);
        break;
      case 'alt-trans':
        if (!parts.previous && node.getAttribute('alttranstype') === PREVIOUS_VERSION) parts.previous = node;
        break;
      case 'count-group': {
        const name = node.getAttribute('name') ?? '';
        ownGroupName ??= revisionGroupName(tu.getAttribute('id') ?? '');
        if (name === ownGroupName) ownGroup ??= node;
        if (name === REVISION_GROUP || name.startsWith(`${REVISION_GROUP}:`)) legacyGroup ??= node;
        break;
      }
    }
  }
  parts.revisionGroup = ownGroup ?? legacyGroup;
  return parts;
}

function readUnit(tu: Element, invalid: (reason: string) => WorkbenchError, parts = unitParts(tu)): Unit {
  const id = tu.getAttribute('id');
  if (!id) throw invalid(`a <trans-unit> has no id (line ${tu.lineNumber ?? '?'})`);
  const sourceEl = parts.source;
  if (!sourceEl) throw invalid(`trans-unit "${id}" has no <source>`);
  const unit: Unit = { id, source: textOf(sourceEl), approved: tu.getAttribute('approved') === 'yes', revision: 0, notes: [] };

  const targetEl = parts.target;
  if (targetEl) {
    const state = targetEl.getAttribute('state');
    const text = textOf(targetEl);
    // Only the standard states are modelled; an x-… state is left alone in the file.
    if (state && XLIFF_STATES.has(state)) unit.state = state as XliffState;
    if (!(text === '' && state === 'needs-translation')) unit.target = text;
  }

  for (const noteEl of parts.notes) {
    const note: UnitNote = { text: textOf(noteEl) };
    const from = noteEl.getAttribute('from');
    if (from !== null && noteEl.hasAttribute('from')) note.from = from;
    if (noteEl.hasAttribute('priority')) {
      const raw = noteEl.getAttribute('priority') ?? '';
      const priority = Number(raw);
      if (!/^\s*\d+\s*$/.test(raw) || priority < 1 || priority > 10) throw invalid(`trans-unit "${id}": note priority must be 1-10, found "${raw}"`);
      note.priority = priority;
    }
    if (noteEl.hasAttribute('annotates')) {
      const annotates = noteEl.getAttribute('annotates') ?? '';
      if (!NOTE_ANNOTATES.has(annotates)) throw invalid(`trans-unit "${id}": note annotates must be source, target or general, found "${annotates}"`);
      note.annotates = annotates as UnitNote['annotates'];
    }
    unit.notes.push(note);
  }

  const revision = readWholeNumber(revisionCountIn(parts.revisionGroup), (raw) => invalid(`trans-unit "${id}": revision count must be a whole number, found "${raw}"`));
  if (revision !== undefined) unit.revision = revision;
  const sourceVersion = readWholeNumber(countIn(parts.revisionGroup, SOURCE_VERSION_COUNT_TYPE), (raw) =>
    invalid(`trans-unit "${id}": source version count must be a whole number, found "${raw}"`),
  );
  if (sourceVersion !== undefined) unit.sourceVersion = sourceVersion;
  if (parts.previous) unit.previous = readPrevious(parts.previous);
  return unit;
}

/** The `<source>` and `<target>` of an `<alt-trans>` (the first of each in the XLIFF namespace). */
function altTransParts(alt: Element): { source?: Element; target?: Element } {
  const parts: { source?: Element; target?: Element } = {};
  for (let node = alt.firstChild; node; node = node.nextSibling) {
    if (!isElement(node) || node.namespaceURI !== XLIFF12_NS) continue;
    if (node.localName === 'source') parts.source ??= node;
    else if (node.localName === 'target') parts.target ??= node;
  }
  return parts;
}

/** A previous-version alt-trans as `Unit.previous`: no `<source>` reads as "", an empty `<target>` (mandatory in the schema) as no target. */
function readPrevious(alt: Element): NonNullable<Unit['previous']> {
  const { source, target } = altTransParts(alt);
  const previous: NonNullable<Unit['previous']> = { source: source ? textOf(source) : '' };
  const text = target ? textOf(target) : '';
  if (text !== '') previous.target = text;
  return previous;
}

/**
 * Whether writeUnit(tu, unit), `unit` being what readUnit just read from `tu` (with `parts`), would
 * leave the element as it is. writeUnit rewrites only what the model holds, each part only when it
 * differs, so the only things it changes in a unit it is given back are the forms it normalizes: an
 * `approved` other than yes/no, a previous-version alt-trans without target, a revision group
 * under another name (the legacy shared one) or left without a count, and counts not written as
 * plain numbers. Anything else in a unit is written back as read.
 */
function writesAsRead(tu: Element, unit: Unit, parts: UnitParts): boolean {
  if (tu.hasAttribute('approved')) {
    const approved = tu.getAttribute('approved');
    if (approved !== 'yes' && approved !== 'no') return false;
  }
  if (parts.previous && !altTransParts(parts.previous).target) return false;
  const group = parts.revisionGroup;
  if (!group) return true;
  const revision = revisionCountIn(group);
  const sourceVersion = countIn(group, SOURCE_VERSION_COUNT_TYPE);
  if (!revision && !sourceVersion) return !!firstElementChild(group);
  if (group.getAttribute('name') !== revisionGroupName(unit.id)) return false;
  if (revision && textOf(revision) !== String(unit.revision)) return false;
  if (sourceVersion && textOf(sourceVersion) !== String(unit.sourceVersion)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Serializes `model`. With `existing` (a document from parseXliff12), that document is updated in
 * place and everything the model does not describe is kept, but for the units `model.removeUnits`
 * lists, which are taken out (see updateXliff12); without it a new document is built.
 */
export function serializeXliff12(model: LocaleFile, existing?: Document): string {
  if (!existing) return buildXliff12(model, { file: 'serializeXliff12' }).xml;
  assertWritableModel(model);
  // The document is changed here, not by updateXliff12: the text it was read as no longer describes it.
  documentTexts.delete(existing);
  assertRemovableUnits(model);
  const { fileEl, body } = fileAndBody(existing);
  // A bare document: every unit is written (and normalized), as found by id (the first one wins).
  const index = new Map<string, UnitSlot>();
  const removing = new Set(model.removeUnits);
  const removed: Element[] = [];
  for (const tu of transUnits(body)) {
    const id = tu.getAttribute('id') ?? '';
    if (removing.has(id)) removed.push(tu);
    else if (!index.has(id)) index.set(id, { element: tu, position: -1, written: false });
  }
  removeElements(removed);
  applyModel(fileEl, body, model, index);
  return serializeXmlDocumentTracking(existing).xml;
}

/**
 * Builds a new document for `model` in one linear pass (`removeUnits` has nothing to take out of a
 * new document: it is ignored). Returns its text and the document as
 * parseXliff12 would read it back (the model is re-read from the elements written; `file` names the
 * file in the 500 'xliff-write-failed' error thrown if one does not read back).
 */
export function buildXliff12(model: LocaleFile, ctx: { file: string }): Xliff12Output {
  const writeFailed = writeFailure(ctx.file);
  assertWritableModel(model);
  const dom = createSkeleton();
  const { fileEl, body } = fileAndBody(dom);
  writeFileFields(fileEl, model);
  const elements = model.units.map((unit) => {
    const tu = createElementLike(body, XLIFF12_NS, 'trans-unit');
    tu.setAttribute('id', unit.id);
    return tu;
  });
  appendChildLines(body, elements);
  const units: Unit[] = [];
  const index = new Map<string, UnitSlot>();
  // Every <trans-unit> sits in the same context: its children's indentation is the same for all.
  const indents = elements.length ? { inner: childIndent(elements[0]), outer: indentOf(elements[0]) } : undefined;
  model.units.forEach((unit, i) => {
    const tu = elements[i];
    if (indents && isPlainUnit(unit)) writeNewPlainUnit(tu, unit, indents);
    else writeUnit(tu, unit, true);
    index.set(unit.id, { element: tu, position: i, written: true });
    units.push(readUnit(tu, writeFailed));
  });
  return { ...serializeWhole(dom, fileEl, index), parsed: { model: { ...fileFields(model), units }, dom, unitIndex: index } };
}

/**
 * A file written by buildXliff12 or updateXliff12: its text, its UTF-8 bytes (whole, or in chunks
 * to write one after the other; what is not made by the writer is made from the rest on first
 * use), and the document as reading it back gives.
 */
export interface Xliff12Output {
  readonly xml: string;
  readonly bytes: Uint8Array;
  readonly chunks: readonly Uint8Array[];
  parsed: ParsedXliff12;
  /**
   * When the file is the one the document was read or last written as with a few elements written
   * again (see updateXliff12): those elements, each one whole, with their places in `bytes`. The
   * rest of the bytes are as they were. Undefined when the whole file was written.
   */
  written?: WrittenPart[];
}

/** An element written into a file: its text, from `start` to `end` in the file's bytes. */
export interface WrittenPart {
  start: number;
  end: number;
  text: string;
}

/** Serializes a whole document, keeping where its units and header are in the file for the next update. */
function serializeWhole(dom: Document, fileEl: Element, index: Map<string, UnitSlot>): { xml: string; bytes: Buffer; chunks: Buffer[] } {
  const tracked = new Set<Element>();
  for (const slot of index.values()) tracked.add(slot.element);
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (header) tracked.add(header);
  const { xml, spans } = serializeXmlDocumentTracking(dom, tracked);
  const bytes = Buffer.from(xml, 'utf8');
  const text = spans && spans.length === tracked.size ? textWith(dom, xml, bytes, spans) : undefined;
  if (text) documentTexts.set(dom, text);
  else documentTexts.delete(dom);
  return { xml, bytes, chunks: [bytes] };
}

/**
 * The document's new file, from its previous one: the elements in `dirty` (units and header, all
 * with a place in `text`) are serialized again and the rest of the bytes is reused as it is (as
 * views of the previous chunks: nothing of the size of the file is copied, until the chunks are
 * too many). Gives the new parts, for the caller to check them; undefined when an element cannot
 * be serialized on its own (see xmlElementSerializer).
 */
function spliceText(dom: Document, text: DocumentText, dirty: ReadonlySet<Element>): { chunks: Uint8Array[]; size: number; parts: WrittenPart[] } | undefined {
  // The elements' new texts first (in file order), then their bytes, all in one buffer.
  const serialize = xmlElementSerializer();
  const rewritten: { span: ElementSpan; fragment: string; size: number }[] = [];
  let total = 0;
  for (const span of text.spans) {
    if (!dirty.has(span.element)) continue;
    const fragment = serialize(span.element);
    if (fragment === undefined) return undefined;
    const size = Buffer.byteLength(fragment, 'utf8');
    rewritten.push({ span, fragment, size });
    total += size;
  }
  if (rewritten.length !== dirty.size) return undefined;
  const encoded = Buffer.allocUnsafe(total);
  let chunks: Uint8Array[] = [];
  const parts: WrittenPart[] = [];
  const copy = chunkCopier(text.chunks, chunks);
  let copied = 0;
  let written = 0;
  let shift = 0;
  let next = 0; // the next rewritten element, in file order
  // The text's spans are its own (the text was taken out of the map): they move in place.
  for (const span of text.spans) {
    const rewrite = rewritten[next];
    if (rewrite?.span !== span) {
      span.start += shift;
      span.end += shift;
      continue;
    }
    next++;
    encoded.write(rewrite.fragment, written, rewrite.size, 'utf8');
    copy(copied, span.start);
    chunks.push(encoded.subarray(written, written + rewrite.size));
    written += rewrite.size;
    copied = span.end;
    const start = span.start + shift;
    shift += rewrite.size - (span.end - span.start);
    span.start = start;
    span.end = start + rewrite.size;
    parts.push({ start, end: span.end, text: rewrite.fragment });
  }
  copy(copied, text.size);
  const size = text.size + shift;
  if (chunks.length > MAX_CHUNKS) chunks = [Buffer.concat(chunks, size)];
  documentTexts.set(dom, { chunks, size, spans: text.spans, changes: changeCount(dom) });
  return { chunks, size, parts };
}

/** Past this many chunks, a file's bytes are joined into one buffer again (the chunks are written with one system call per thousand or so). */
const MAX_CHUNKS = 4096;

/**
 * A function that appends to `out` views of the bytes from `from` to `to` of the file `chunks`
 * make up, for ranges that follow one another (each call starts at or after the previous end).
 */
function chunkCopier(chunks: readonly Uint8Array[], out: Uint8Array[]): (from: number, to: number) => void {
  let i = 0;
  let base = 0; // where chunks[i] starts in the file
  return (from, to) => {
    while (i < chunks.length && base + chunks[i].byteLength <= from) base += chunks[i++].byteLength;
    let at = from;
    while (at < to) {
      const chunk = chunks[i];
      if (!chunk) throw new Error('chunkCopier: range past the end of the file');
      const end = Math.min(chunk.byteLength, to - base);
      out.push(chunk.subarray(at - base, end));
      at = base + end;
      if (end === chunk.byteLength) base += chunks[i++].byteLength;
    }
  };
}

/**
 * Applies `model` to a document held in memory (from parseXliff12, buildXliff12 or a previous call)
 * and serializes it. The DOM and the index of `current` are updated IN PLACE: whatever happens,
 * `current` must not be used afterwards; use the returned `parsed` (the document as parseXliff12
 * would read the returned text back) on success, and re-read the file on failure.
 *
 * Units equal to the ones last read back from their elements are not touched (elements this module
 * wrote, or read already in the form it writes them: the first save after a parse still writes
 * the units it reads in another form, normalizing legacy revision groups for instance), so a save
 * costs a comparison per unit plus the writing. When only a few units and the header are written
 * (none added or taken out), the new file is the text the document was read or last written as,
 * with those elements written again into it (`written` says where; the rest of the bytes are the
 * same): no serialization of the whole document, and none of the text that did not change.
 *
 * Units absent from the model are kept in the file, unless `model.removeUnits` lists them: those are
 * taken out of the document, the index and the returned model (ids the file does not have are
 * ignored; listing a unit the model holds is refused, 400). `removeUnits` itself is never written
 * nor part of the returned model.
 */
export function updateXliff12(current: ParsedXliff12, model: LocaleFile, ctx: { file: string }): Xliff12Output {
  const writeFailed = writeFailure(ctx.file);
  const previous = current.model.units;
  // Each unit's slot, and whether the unit equals the one read back from its element: looked up
  // once, for the checks and the writing below.
  const modelUnits = model.units;
  const slots: (UnitSlot | undefined)[] = new Array<UnitSlot | undefined>(modelUnits.length);
  const same = new Uint8Array(modelUnits.length);
  for (let i = 0; i < modelUnits.length; i++) {
    const unit = modelUnits[i];
    const slot = current.unitIndex.get(unit.id);
    slots[i] = slot;
    if (slot !== undefined && slot.written && sameUnit(previous[slot.position], unit)) same[i] = 1;
  }
  const unchanged = (_unit: Unit, i: number): boolean => same[i] === 1;
  assertWritableModel(model, unchanged);
  assertRemovableUnits(model);
  const { fileEl, body } = fileAndBody(current.dom);
  // The text of the document as it is now, unless someone else changed the document since.
  const text = documentTexts.get(current.dom);
  documentTexts.delete(current.dom);
  const fresh = text && text.changes === changeCount(current.dom) ? text : undefined;
  const fileAttributes = (): string => FILE_ATTRIBUTES.map((name) => fileEl.getAttribute(name)).join('\u0000');
  const attributesBefore = fresh && fileAttributes();
  const headerBefore = firstChildElement(fileEl, XLIFF12_NS, 'header');
  // First, so that no new unit is placed next to one going away. Positions stay those of `previous` until the model is rebuilt below.
  const removed = removeUnits(current.unitIndex, model.removeUnits);
  const { written, created } = applyModel(fileEl, body, model, current.unitIndex, unchanged, slots);

  const reread = new Map<UnitSlot, Unit>();
  for (const slot of written) reread.set(slot, readUnit(slot.element, writeFailed));
  let units: Unit[];
  if (!created && removed.size === 0) {
    units = previous.slice();
    for (const [slot, unit] of reread) units[slot.position] = unit;
  } else if (!created) {
    // The same elements in the same order, less the removed ones: the units after them move up.
    units = [];
    for (const [position, unit] of previous.entries()) {
      if (removed.has(position)) continue;
      const slot = current.unitIndex.get(unit.id);
      if (!slot) throw writeFailed(`trans-unit "${unit.id}" is missing from the index`);
      units.push(reread.get(slot) ?? unit);
      slot.position = units.length - 1;
    }
  } else {
    // New elements: the model follows the document order, which only a walk of the body gives.
    units = [];
    for (const tu of transUnits(body)) {
      const slot = current.unitIndex.get(tu.getAttribute('id') ?? '');
      if (!slot || slot.element !== tu) throw writeFailed(`trans-unit "${tu.getAttribute('id')}" is missing from the index`);
      units.push(reread.get(slot) ?? previous[slot.position]);
      slot.position = units.length - 1;
    }
  }
  const parsed: ParsedXliff12 = { model: { ...fileFields(model), units }, dom: current.dom, unitIndex: current.unitIndex };
  // Only units and the header changed (no unit added or taken out, the <file> start tag as it
  // was): the new text is the old one with those elements written again, when they are few.
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (fresh && !created && removed.size === 0 && header === headerBefore && fileAttributes() === attributesBefore && written.length * 4 <= fresh.spans.length) {
    const dirty = new Set<Element>(written.map((slot) => slot.element));
    if (header) dirty.add(header);
    const spliced = spliceText(current.dom, fresh, dirty);
    if (spliced) {
      const { chunks, size, parts } = spliced;
      let bytes: Buffer | undefined;
      let xml: string | undefined;
      const whole = (): Buffer => (bytes ??= Buffer.concat(chunks, size));
      // The whole bytes and the text are made only when asked for: writing the file needs only the chunks.
      return {
        chunks,
        parsed,
        written: parts,
        get bytes() {
          return whole();
        },
        get xml() {
          xml ??= whole().toString('utf8');
          return xml;
        },
      };
    }
  }
  return { ...serializeWhole(current.dom, fileEl, current.unitIndex), parsed };
}

/** The attributes of `<file>` the writer sets. */
const FILE_ATTRIBUTES = ['original', 'source-language', 'target-language'];

/**
 * Takes the units `ids` lists out of a document held in memory: their `<trans-unit>` elements go,
 * with the whitespace before each (a `<group>` left without units stays: the strict schema allows
 * it), in one pass per parent however many there are, and so do their index entries. Ids not in the
 * index are ignored. Returns the model positions the removed units had (their slots' positions,
 * left as they were: the caller renumbers the units that stay).
 */
function removeUnits(index: Map<string, UnitSlot>, ids: readonly string[] | undefined): Set<number> {
  const positions = new Set<number>();
  if (!ids?.length) return positions;
  const elements: Element[] = [];
  for (const id of ids) {
    const slot = index.get(id);
    if (!slot) continue;
    index.delete(id);
    positions.add(slot.position);
    elements.push(slot.element);
  }
  removeElements(elements);
  return positions;
}

function writeFailure(file: string): (reason: string) => WorkbenchError {
  return (reason) => new WorkbenchError(500, 'xliff-write-failed', `${file}: refusing to write a file that does not read back: ${reason}`, { details: { file } });
}

function fileAndBody(doc: Document): { fileEl: Element; body: Element } {
  const root = doc.documentElement;
  const fileEl = root && firstChildElement(root, XLIFF12_NS, 'file');
  const body = fileEl && firstChildElement(fileEl, XLIFF12_NS, 'body');
  if (!fileEl || !body) throw new WorkbenchError(500, 'xliff-invalid', 'serializeXliff12: the existing document has no <xliff>/<file>/<body>');
  return { fileEl, body };
}

function fileFields(model: LocaleFile): Omit<LocaleFile, 'units'> {
  const fields: Omit<LocaleFile, 'units'> = { document: model.document, sourceLanguage: model.sourceLanguage, targetLanguage: model.targetLanguage };
  if (model.sourceVersion !== undefined) fields.sourceVersion = model.sourceVersion;
  return fields;
}

/** The file-level fields: the `<file>` attributes and the file's source version in the header. */
function writeFileFields(fileEl: Element, model: LocaleFile): void {
  setAttributeIfChanged(fileEl, 'original', model.document);
  setAttributeIfChanged(fileEl, 'source-language', model.sourceLanguage);
  setAttributeIfChanged(fileEl, 'target-language', model.targetLanguage);
  writeFileSourceVersion(fileEl, model.sourceVersion);
}

/**
 * `<header><count-group name="workbench:file"><count count-type="x-source-version" unit="x-version">N</count>`.
 * The header is created when missing (first in `<file>`); the group goes after whatever the header holds
 * in the XLIFF namespace and before its foreign elements (schema: skl?, phase-group?, (glossary |
 * reference | count-group | note | tool)*, ##other*). Undefined removes the count, and the group once empty.
 */
function writeFileSourceVersion(fileEl: Element, sourceVersion: number | undefined): void {
  let header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  let group = header && fileGroup(fileEl);
  let count = countIn(group, SOURCE_VERSION_COUNT_TYPE);
  if (sourceVersion === undefined) {
    if (count) removeElement(count);
    if (group && !firstElementChild(group)) removeElement(group);
    return;
  }
  if (!header) {
    header = createElementLike(fileEl, XLIFF12_NS, 'header');
    insertChild(fileEl, header, firstElementChild(fileEl) ?? null);
  }
  if (!group) {
    group = createElementLike(header, XLIFF12_NS, 'count-group');
    group.setAttribute('name', FILE_GROUP);
    insertChild(header, group, firstForeignChild(header) ?? null);
  }
  if (!count) count = appendCount(group, SOURCE_VERSION_COUNT_TYPE, SOURCE_VERSION_UNIT);
  setTextIfChanged(count, String(sourceVersion));
}

function firstForeignChild(parent: Element): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) if (isElement(node) && node.namespaceURI !== XLIFF12_NS) return node;
  return undefined;
}

/** Appends `<count count-type="…" unit="…"/>` to a count-group. */
function appendCount(group: Element, countType: string, unit: string): Element {
  const count = createElementLike(group, XLIFF12_NS, 'count');
  count.setAttribute('count-type', countType);
  count.setAttribute('unit', unit);
  insertChild(group, count, null);
  return count;
}

/**
 * Writes the model's units into `body`, found through `index` (new ones are created after the
 * previous model unit and added to it). Units for which `skip` holds are left as they are.
 * `slots`, when given, are the units' slots already looked up in `index` (by position in the model).
 * Returns the slots written, and whether any element was created.
 */
function applyModel(
  fileEl: Element,
  body: Element,
  model: LocaleFile,
  index: Map<string, UnitSlot>,
  skip?: (unit: Unit, i: number) => boolean,
  slots?: readonly (UnitSlot | undefined)[],
): { written: UnitSlot[]; created: boolean } {
  writeFileFields(fileEl, model);
  const written: UnitSlot[] = [];
  let created = false;
  let previous: Element | undefined;
  const units = model.units;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    let slot = slots ? slots[i] : index.get(unit.id);
    if (!slot) {
      const tu = createElementLike(body, XLIFF12_NS, 'trans-unit');
      tu.setAttribute('id', unit.id);
      // After the previous model unit (same parent, e.g. the same <group>), else first in <body>.
      if (previous) insertAfter(previous, tu);
      else insertChild(body, tu, firstElementChild(body) ?? null);
      slot = { element: tu, position: -1, written: false };
      index.set(unit.id, slot);
      writeUnit(tu, unit, true);
      created = true;
    } else if (skip?.(unit, i)) {
      previous = slot.element;
      continue;
    } else {
      writeUnit(slot.element, unit, false);
    }
    slot.written = true;
    written.push(slot);
    previous = slot.element;
  }
  return { written, created };
}

/** Whether writing `b` where `a` was read back would change nothing (the fields the writer uses). */
function sameUnit(a: Unit | undefined, b: Unit): boolean {
  return (
    !!a &&
    a.id === b.id &&
    a.source === b.source &&
    a.target === b.target &&
    a.state === b.state &&
    a.approved === b.approved &&
    a.revision === b.revision &&
    a.sourceVersion === b.sourceVersion &&
    samePrevious(a.previous, b.previous) &&
    sameNotes(a.notes, b.notes)
  );
}

/** A plain loop: called for every unit of a save, where a callback per unit is measurable. */
function sameNotes(a: UnitNote[], b: UnitNote[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const note = a[i];
    const other = b[i];
    if (note.text !== other.text || note.from !== other.from || note.priority !== other.priority || note.annotates !== other.annotates) return false;
  }
  return true;
}

/** Equal as written: an empty previous target is written (and read back) as none. */
function samePrevious(a: Unit['previous'], b: Unit['previous']): boolean {
  if (!a || !b) return a === b;
  return a.source === b.source && (a.target || undefined) === (b.target || undefined);
}

/** A unit writeNewPlainUnit can write: nothing beyond source, target, state and approval. */
function isPlainUnit(unit: Unit): boolean {
  return unit.notes.length === 0 && unit.revision <= 0 && unit.previous === undefined && unit.sourceVersion === undefined;
}

function createSkeleton(): Document {
  const doc = new DOMImplementation().createDocument(XLIFF12_NS, 'xliff', null);
  const root = doc.documentElement as Element;
  root.setAttribute('version', '1.2');
  const fileEl = doc.createElementNS(XLIFF12_NS, 'file');
  fileEl.setAttribute('original', '');
  fileEl.setAttribute('source-language', '');
  fileEl.setAttribute('target-language', '');
  fileEl.setAttribute('datatype', 'plaintext');
  fileEl.setAttributeNS(XML_NS, 'xml:space', 'preserve');
  insertChild(root, fileEl, null);
  const header = doc.createElementNS(XLIFF12_NS, 'header');
  insertChild(fileEl, header, null);
  const tool = doc.createElementNS(XLIFF12_NS, 'tool');
  tool.setAttribute('tool-id', 'translation-workbench');
  tool.setAttribute('tool-name', 'Translation workbench');
  insertChild(header, tool, null);
  insertChild(fileEl, doc.createElementNS(XLIFF12_NS, 'body'), null);
  return doc;
}

function writeUnit(tu: Element, unit: Unit, created: boolean): void {
  // Adding <source>/<target>/<note> does not change the revision group or the first foreign child.
  const parts = unitParts(tu);
  // <source>: first child element (the schema's order is source, seg-source?, target?, then the rest).
  let sourceEl = parts.source;
  if (!sourceEl) {
    sourceEl = createElementLike(tu, XLIFF12_NS, 'source');
    insertChild(tu, sourceEl, parts.firstElement ?? null);
  }
  setTextIfChanged(sourceEl, unit.source);

  // <target>: text + state. Untranslated = empty target with state="needs-translation"; a unit that
  // never had a <target> and has no state keeps having none.
  let targetEl = parts.target;
  const untranslated = unit.target === undefined;
  if (!targetEl && (!untranslated || created || unit.state !== undefined)) {
    targetEl = createElementLike(tu, XLIFF12_NS, 'target');
    insertAfter(parts.segSource ?? sourceEl, targetEl);
  }
  if (targetEl) {
    setTextIfChanged(targetEl, unit.target ?? '');
    const state = untranslated ? 'needs-translation' : unit.state;
    if (state !== undefined) setAttributeIfChanged(targetEl, 'state', state);
    else if (XLIFF_STATES.has(targetEl.getAttribute('state') ?? '')) targetEl.removeAttribute('state');
  }

  if (unit.approved) setAttributeIfChanged(tu, 'approved', 'yes');
  else if (tu.hasAttribute('approved')) setAttributeIfChanged(tu, 'approved', 'no');

  writePrevious(tu, unit.previous, parts, targetEl ?? parts.segSource ?? sourceEl);
  writeNotes(tu, unit.notes, parts);
  writeCounts(tu, unit, parts);
}

/**
 * `previous` ↔ the unit's first `<alt-trans alttranstype="previous-version">` (a new one goes right
 * after `after`, the unit's target). Its `<source>` and `<target>` get the previous texts, changed only
 * when different; the target is mandatory in the schema, so a previous without target gets an empty
 * one. Undefined removes that alt-trans; no other alt-trans is ever touched.
 */
function writePrevious(tu: Element, previous: Unit['previous'], parts: UnitParts, after: Element): void {
  let alt = parts.previous;
  if (!previous) {
    if (alt) removeElement(alt);
    return;
  }
  if (!alt) {
    alt = createElementLike(tu, XLIFF12_NS, 'alt-trans');
    alt.setAttribute('alttranstype', PREVIOUS_VERSION);
    insertAfter(after, alt);
    fillNewPrevious(alt, previous);
    return;
  }
  let { source, target } = altTransParts(alt);
  if (source) setTextIfChanged(source, previous.source);
  else if (previous.source !== '') {
    // Sequence of alt-trans: source?, seg-source?, target, context-group*, note*, ##other*.
    source = createElementLike(alt, XLIFF12_NS, 'source');
    source.appendChild(ownerDocumentOf(alt).createTextNode(previous.source));
    insertChild(alt, source, firstElementChild(alt) ?? null);
  }
  if (!target) {
    target = createElementLike(alt, XLIFF12_NS, 'target');
    let before = firstElementChild(alt);
    while (before && before.namespaceURI === XLIFF12_NS && (before.localName === 'source' || before.localName === 'seg-source')) before = nextElementSibling(before);
    insertChild(alt, target, before ?? null);
  }
  setTextIfChanged(target, previous.target ?? '');
}

/**
 * The children of a new, empty previous-version `<alt-trans>` (already in place), written directly:
 * the nodes the general path of writePrevious makes there, one insertion at a time, with each
 * insertion working out the indentation again. `<source>` (when the previous source is not empty)
 * and `<target>` (mandatory), each on its own line, one step deeper than the alt-trans.
 */
function fillNewPrevious(alt: Element, previous: NonNullable<Unit['previous']>): void {
  const doc = ownerDocumentOf(alt);
  const inner = `\n${childIndent(alt)}`;
  const outer = `\n${indentOf(alt)}`;
  if (previous.source !== '') {
    const source = createElementLike(alt, XLIFF12_NS, 'source');
    source.appendChild(doc.createTextNode(previous.source));
    alt.appendChild(doc.createTextNode(inner));
    alt.appendChild(source);
  }
  const target = createElementLike(alt, XLIFF12_NS, 'target');
  if (previous.target) target.appendChild(doc.createTextNode(previous.target));
  alt.appendChild(doc.createTextNode(inner));
  alt.appendChild(target);
  alt.appendChild(doc.createTextNode(outer));
}

function nextElementSibling(el: Element): Element | undefined {
  for (let node = el.nextSibling; node; node = node.nextSibling) if (isElement(node)) return node;
  return undefined;
}

/**
 * What writeUnit(tu, unit, true) writes into a new, empty `<trans-unit>` for a unit without notes
 * or revision, with plain appends (a new file has thousands): `<source>`, then `<target>`, each on
 * its own line, and approved="yes" when approved.
 */
function writeNewPlainUnit(tu: Element, unit: Unit, indents: { inner: string; outer: string }): void {
  const doc = ownerDocumentOf(tu);
  const source = createElementLike(tu, XLIFF12_NS, 'source');
  if (unit.source !== '') source.appendChild(doc.createTextNode(unit.source));
  const target = createElementLike(tu, XLIFF12_NS, 'target');
  const text = unit.target ?? '';
  if (text !== '') target.appendChild(doc.createTextNode(text));
  const state = unit.target === undefined ? 'needs-translation' : unit.state;
  if (state !== undefined) target.setAttribute('state', state);
  tu.appendChild(doc.createTextNode(`\n${indents.inner}`));
  tu.appendChild(source);
  tu.appendChild(doc.createTextNode(`\n${indents.inner}`));
  tu.appendChild(target);
  tu.appendChild(doc.createTextNode(`\n${indents.outer}`));
  if (unit.approved) tu.setAttribute('approved', 'yes');
}

function noteEquals(el: Element, note: UnitNote): boolean {
  const priority = el.getAttribute('priority');
  return (
    textOf(el) === note.text &&
    (el.hasAttribute('from') ? el.getAttribute('from') : undefined) === note.from &&
    (el.hasAttribute('priority') && priority !== null ? Number(priority) : undefined) === note.priority &&
    (el.hasAttribute('annotates') ? el.getAttribute('annotates') : undefined) === note.annotates
  );
}

/**
 * The model's notes are the unit's notes. Unchanged notes are left untouched (their other attributes too).
 * New ones go where the first old one was, else before the revision group, else before the first
 * foreign child (those come last in a trans-unit: schema `xsd:any ##other` after the XLIFF elements).
 */
function writeNotes(tu: Element, notes: UnitNote[], parts: UnitParts): void {
  const existing = parts.notes;
  if (existing.length === notes.length && existing.every((el, i) => noteEquals(el, notes[i]))) return;
  const before = existing[0] ?? parts.revisionGroup ?? parts.firstForeign ?? null;
  for (const note of notes) {
    const el = createElementLike(tu, XLIFF12_NS, 'note');
    if (note.from !== undefined) el.setAttribute('from', note.from);
    if (note.priority !== undefined) el.setAttribute('priority', String(note.priority));
    if (note.annotates !== undefined) el.setAttribute('annotates', note.annotates);
    if (note.text !== '') el.appendChild(ownerDocumentOf(el).createTextNode(note.text));
    insertChild(tu, el, before);
  }
  for (const el of existing) removeElement(el);
}

/**
 * The unit's `<count-group name="workbench:<id>">`: the revision count (written once the revision is
 * above 0, then kept) and the source-version count (removed when undefined). A group left empty goes.
 */
function writeCounts(tu: Element, unit: Unit, parts: UnitParts): void {
  let group = parts.revisionGroup;
  let revision = revisionCountIn(group);
  let sourceVersion = countIn(group, SOURCE_VERSION_COUNT_TYPE);
  const wantRevision = unit.revision > 0 || !!revision;
  const wantSourceVersion = unit.sourceVersion !== undefined;
  if (!wantRevision && !wantSourceVersion) {
    if (sourceVersion) removeElement(sourceVersion);
    if (group && !firstElementChild(group)) removeElement(group);
    return;
  }
  if (!group) {
    group = createElementLike(tu, XLIFF12_NS, 'count-group');
    insertChild(tu, group, parts.firstForeign ?? null);
  }
  setAttributeIfChanged(group, 'name', revisionGroupName(tu.getAttribute('id') ?? ''));
  if (wantRevision) {
    revision ??= appendCount(group, REVISION_COUNT_TYPE, REVISION_UNIT);
    setTextIfChanged(revision, String(unit.revision));
  }
  if (unit.sourceVersion !== undefined) {
    sourceVersion ??= appendCount(group, SOURCE_VERSION_COUNT_TYPE, SOURCE_VERSION_UNIT);
    setTextIfChanged(sourceVersion, String(unit.sourceVersion));
  } else if (sourceVersion) {
    removeElement(sourceVersion);
  }
}

