/**
 * The canonical XLIFF 1.2 reader/writer of the workbench (one `<file>` per document and locale).
 *
 * Reading keeps the DOM next to the model; writing updates that DOM in place, so whatever the
 * workbench does not understand (unknown attributes, context groups, alt-trans, foreign elements,
 * comments, header contents, units it does not know) survives a save.
 */
import { DOMImplementation } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';
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
  setAttributeIfChanged,
  setTextIfChanged,
  textOf,
} from './domEdit';
import { assertWritableModel } from './xliff12ModelCheck';
import {
  NOTE_ANNOTATES,
  REVISION_COUNT_TYPE,
  REVISION_GROUP,
  REVISION_UNIT,
  XLIFF12_NS,
  XLIFF_STATES,
  revisionCountIn,
  revisionGroupName,
  transUnits,
} from './xliff12Vocabulary';
import { XML_NS, parseXmlSafely, serializeXmlDocument } from './xmlSafety';

export { XLIFF12_NS };

/** Where a unit lives in a document held in memory (see ParsedXliff12.unitIndex). */
export interface UnitSlot {
  /** The unit's `<trans-unit>`. */
  element: Element;
  /** The unit's index in `model.units`. */
  position: number;
  /**
   * The element has been written by this module since the document was read. Writing it again
   * from a unit equal to the one read back then changes nothing, so updateXliff12 skips it.
   */
  written: boolean;
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

export function parseXliff12(content: string, ctx: { file: string }): ParsedXliff12 {
  const { file } = ctx;
  // Without node positions (faster); the one error message that quotes a line re-parses with them.
  const dom = parseXmlSafely(content, { file, malformedCode: 'xliff-malformed', nodePositions: false });
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
    const unit = readUnit(tu, invalid);
    if (index.has(unit.id)) throw invalid(`duplicate trans-unit id "${unit.id}"`);
    index.set(unit.id, { element: tu, position: units.length, written: false });
    units.push(unit);
  }
  const model: LocaleFile = {
    document: requiredAttr('original'),
    sourceLanguage: requiredAttr('source-language'),
    targetLanguage: requiredAttr('target-language'),
    units,
  };
  return { model, dom, unitIndex: index };
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

function readUnit(tu: Element, invalid: (reason: string) => WorkbenchError): Unit {
  const id = tu.getAttribute('id');
  if (!id) throw invalid(`a <trans-unit> has no id (line ${tu.lineNumber ?? '?'})`);
  const parts = unitParts(tu);
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

  const count = revisionCountIn(parts.revisionGroup);
  if (count) {
    const raw = (count.textContent ?? '').trim();
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw invalid(`trans-unit "${id}": revision count must be a whole number, found "${raw}"`);
    unit.revision = Number(raw);
  }
  return unit;
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Serializes `model`. With `existing` (a document from parseXliff12), that document is updated in
 * place and everything the model does not describe is kept; without it a new document is built.
 */
export function serializeXliff12(model: LocaleFile, existing?: Document): string {
  if (!existing) return buildXliff12(model, { file: 'serializeXliff12' }).xml;
  assertWritableModel(model);
  const { fileEl, body } = fileAndBody(existing);
  // A bare document: every unit is written (and normalized), as found by id (the first one wins).
  const index = new Map<string, UnitSlot>();
  for (const tu of transUnits(body)) {
    const id = tu.getAttribute('id') ?? '';
    if (!index.has(id)) index.set(id, { element: tu, position: -1, written: false });
  }
  applyModel(fileEl, body, model, index);
  return serializeXmlDocument(existing);
}

/**
 * Builds a new document for `model` in one linear pass. Returns its text and the document as
 * parseXliff12 would read it back (the model is re-read from the elements written; `file` names the
 * file in the 500 'xliff-write-failed' error thrown if one does not read back).
 */
export function buildXliff12(model: LocaleFile, ctx: { file: string }): { xml: string; parsed: ParsedXliff12 } {
  const writeFailed = writeFailure(ctx.file);
  assertWritableModel(model);
  const dom = createSkeleton();
  const { fileEl, body } = fileAndBody(dom);
  writeFileAttributes(fileEl, model);
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
    if (indents && unit.notes.length === 0 && unit.revision <= 0) writeNewPlainUnit(tu, unit, indents);
    else writeUnit(tu, unit, true);
    index.set(unit.id, { element: tu, position: i, written: true });
    units.push(readUnit(tu, writeFailed));
  });
  const xml = serializeXmlDocument(dom);
  return { xml, parsed: { model: { ...fileFields(model), units }, dom, unitIndex: index } };
}

/**
 * Applies `model` to a document held in memory (from parseXliff12, buildXliff12 or a previous call)
 * and serializes it. The DOM and the index of `current` are updated IN PLACE: whatever happens,
 * `current` must not be used afterwards; use the returned `parsed` (the document as parseXliff12
 * would read the returned text back) on success, and re-read the file on failure.
 *
 * Units equal to the ones last read back from elements already written are not touched, so a save
 * costs a comparison per unit plus the serialization; the first save after a parse writes every unit
 * of the model once, like serializeXliff12 does (normalizing legacy revision groups, for instance).
 */
export function updateXliff12(current: ParsedXliff12, model: LocaleFile, ctx: { file: string }): { xml: string; parsed: ParsedXliff12 } {
  const writeFailed = writeFailure(ctx.file);
  const previous = current.model.units;
  const unchanged = (unit: Unit): boolean => {
    const slot = current.unitIndex.get(unit.id);
    return !!slot && slot.written && sameUnit(previous[slot.position], unit);
  };
  assertWritableModel(model, unchanged);
  const { fileEl, body } = fileAndBody(current.dom);
  const { written, created } = applyModel(fileEl, body, model, current.unitIndex, unchanged);

  const reread = new Map<UnitSlot, Unit>();
  for (const slot of written) reread.set(slot, readUnit(slot.element, writeFailed));
  let units: Unit[];
  if (!created) {
    units = previous.slice();
    for (const [slot, unit] of reread) units[slot.position] = unit;
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
  const xml = serializeXmlDocument(current.dom);
  return { xml, parsed: { model: { ...fileFields(model), units }, dom: current.dom, unitIndex: current.unitIndex } };
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
  return { document: model.document, sourceLanguage: model.sourceLanguage, targetLanguage: model.targetLanguage };
}

function writeFileAttributes(fileEl: Element, model: LocaleFile): void {
  setAttributeIfChanged(fileEl, 'original', model.document);
  setAttributeIfChanged(fileEl, 'source-language', model.sourceLanguage);
  setAttributeIfChanged(fileEl, 'target-language', model.targetLanguage);
}

/**
 * Writes the model's units into `body`, found through `index` (new ones are created after the
 * previous model unit and added to it). Units for which `skip` holds are left as they are.
 * Returns the slots written, and whether any element was created.
 */
function applyModel(
  fileEl: Element,
  body: Element,
  model: LocaleFile,
  index: Map<string, UnitSlot>,
  skip?: (unit: Unit) => boolean,
): { written: UnitSlot[]; created: boolean } {
  writeFileAttributes(fileEl, model);
  const written: UnitSlot[] = [];
  let created = false;
  let previous: Element | undefined;
  for (const unit of model.units) {
    let slot = index.get(unit.id);
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
    } else if (skip?.(unit)) {
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
    a.notes.length === b.notes.length &&
    a.notes.every((note, i) => {
      const other = b.notes[i];
      return note.text === other.text && note.from === other.from && note.priority === other.priority && note.annotates === other.annotates;
    })
  );
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

  writeNotes(tu, unit.notes, parts);
  writeRevision(tu, unit.revision, parts);
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

function writeRevision(tu: Element, revision: number, parts: UnitParts): void {
  let group = parts.revisionGroup;
  let count = revisionCountIn(group);
  if (revision <= 0 && !count) return;
  if (!group) {
    group = createElementLike(tu, XLIFF12_NS, 'count-group');
    insertChild(tu, group, parts.firstForeign ?? null);
  }
  setAttributeIfChanged(group, 'name', revisionGroupName(tu.getAttribute('id') ?? ''));
  if (!count) {
    count = createElementLike(group, XLIFF12_NS, 'count');
    count.setAttribute('count-type', REVISION_COUNT_TYPE);
    count.setAttribute('unit', REVISION_UNIT);
    insertChild(group, count, null);
  }
  setTextIfChanged(count, String(revision));
}

