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
  childElements,
  createElementLike,
  firstChildElement,
  insertAfter,
  insertChild,
  ownerDocumentOf,
  removeElement,
  setAttributeIfChanged,
  setTextIfChanged,
} from './domEdit';
import { assertWritableModel } from './xliff12ModelCheck';
import {
  NOTE_ANNOTATES,
  REVISION_COUNT_TYPE,
  REVISION_UNIT,
  XLIFF12_NS,
  XLIFF_STATES,
  revisionCount,
  revisionGroup,
  revisionGroupName,
  transUnits,
} from './xliff12Vocabulary';
import { XML_NS, parseXmlSafely, serializeXmlDocument } from './xmlSafety';

export { XLIFF12_NS };

export interface ParsedXliff12 {
  model: LocaleFile;
  /** The parsed document: pass it back to serializeXliff12 to keep what the model does not hold. */
  dom: Document;
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
  const dom = parseXmlSafely(content, { file, malformedCode: 'xliff-malformed' });
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
  const seen = new Set<string>();
  for (const tu of transUnits(body)) {
    const unit = readUnit(tu, invalid);
    if (seen.has(unit.id)) throw invalid(`duplicate trans-unit id "${unit.id}"`);
    seen.add(unit.id);
    units.push(unit);
  }
  const model: LocaleFile = {
    document: requiredAttr('original'),
    sourceLanguage: requiredAttr('source-language'),
    targetLanguage: requiredAttr('target-language'),
    units,
  };
  return { model, dom };
}

function readUnit(tu: Element, invalid: (reason: string) => WorkbenchError): Unit {
  const id = tu.getAttribute('id');
  if (!id) throw invalid(`a <trans-unit> has no id (line ${tu.lineNumber ?? '?'})`);
  const sourceEl = firstChildElement(tu, XLIFF12_NS, 'source');
  if (!sourceEl) throw invalid(`trans-unit "${id}" has no <source>`);
  const unit: Unit = { id, source: sourceEl.textContent ?? '', approved: tu.getAttribute('approved') === 'yes', revision: 0, notes: [] };

  const targetEl = firstChildElement(tu, XLIFF12_NS, 'target');
  if (targetEl) {
    const state = targetEl.getAttribute('state');
    const text = targetEl.textContent ?? '';
    // Only the standard states are modelled; an x-… state is left alone in the file.
    if (state && XLIFF_STATES.has(state)) unit.state = state as XliffState;
    if (!(text === '' && state === 'needs-translation')) unit.target = text;
  }

  for (const noteEl of childElements(tu, XLIFF12_NS, 'note')) {
    const note: UnitNote = { text: noteEl.textContent ?? '' };
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

  const count = revisionCount(tu);
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
  assertWritableModel(model);
  const doc = existing ?? createSkeleton();
  const root = doc.documentElement;
  const fileEl = root && firstChildElement(root, XLIFF12_NS, 'file');
  const body = fileEl && firstChildElement(fileEl, XLIFF12_NS, 'body');
  if (!fileEl || !body) throw new WorkbenchError(500, 'xliff-invalid', 'serializeXliff12: the existing document has no <xliff>/<file>/<body>');

  setAttributeIfChanged(fileEl, 'original', model.document);
  setAttributeIfChanged(fileEl, 'source-language', model.sourceLanguage);
  setAttributeIfChanged(fileEl, 'target-language', model.targetLanguage);

  const byId = new Map<string, Element>();
  for (const tu of transUnits(body)) if (!byId.has(tu.getAttribute('id') ?? '')) byId.set(tu.getAttribute('id') ?? '', tu);

  let previous: Element | undefined;
  for (const unit of model.units) {
    let tu = byId.get(unit.id);
    const created = !tu;
    if (!tu) {
      tu = createElementLike(body, XLIFF12_NS, 'trans-unit');
      tu.setAttribute('id', unit.id);
      // After the previous model unit (same parent, e.g. the same <group>), else first in <body>.
      if (previous) insertAfter(previous, tu);
      else insertChild(body, tu, childElements(body)[0] ?? null);
    }
    writeUnit(tu, unit, created);
    previous = tu;
  }
  return serializeXmlDocument(doc);
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
  // <source>: first child element (the schema's order is source, seg-source?, target?, then the rest).
  let sourceEl = firstChildElement(tu, XLIFF12_NS, 'source');
  if (!sourceEl) {
    sourceEl = createElementLike(tu, XLIFF12_NS, 'source');
    insertChild(tu, sourceEl, childElements(tu)[0] ?? null);
  }
  setTextIfChanged(sourceEl, unit.source);

  // <target>: text + state. Untranslated = empty target with state="needs-translation"; a unit that
  // never had a <target> and has no state keeps having none.
  let targetEl = firstChildElement(tu, XLIFF12_NS, 'target');
  const untranslated = unit.target === undefined;
  if (!targetEl && (!untranslated || created || unit.state !== undefined)) {
    targetEl = createElementLike(tu, XLIFF12_NS, 'target');
    insertAfter(firstChildElement(tu, XLIFF12_NS, 'seg-source') ?? sourceEl, targetEl);
  }
  if (targetEl) {
    setTextIfChanged(targetEl, unit.target ?? '');
    const state = untranslated ? 'needs-translation' : unit.state;
    if (state !== undefined) setAttributeIfChanged(targetEl, 'state', state);
    else if (XLIFF_STATES.has(targetEl.getAttribute('state') ?? '')) targetEl.removeAttribute('state');
  }

  if (unit.approved) setAttributeIfChanged(tu, 'approved', 'yes');
  else if (tu.hasAttribute('approved')) setAttributeIfChanged(tu, 'approved', 'no');

  writeNotes(tu, unit.notes);
  writeRevision(tu, unit.revision);
}

/** Foreign-namespace children come last in a trans-unit (schema: `xsd:any ##other` after the XLIFF elements). */
function firstForeignChild(tu: Element): Element | undefined {
  return childElements(tu).find((el) => el.namespaceURI !== XLIFF12_NS);
}

function noteEquals(el: Element, note: UnitNote): boolean {
  const priority = el.getAttribute('priority');
  return (
    (el.textContent ?? '') === note.text &&
    (el.hasAttribute('from') ? el.getAttribute('from') : undefined) === note.from &&
    (el.hasAttribute('priority') && priority !== null ? Number(priority) : undefined) === note.priority &&
    (el.hasAttribute('annotates') ? el.getAttribute('annotates') : undefined) === note.annotates
  );
}

/** The model's notes are the unit's notes. Unchanged notes are left untouched (their other attributes too). */
function writeNotes(tu: Element, notes: UnitNote[]): void {
  const existing = childElements(tu, XLIFF12_NS, 'note');
  if (existing.length === notes.length && existing.every((el, i) => noteEquals(el, notes[i]))) return;
  const before = existing[0] ?? revisionGroup(tu) ?? firstForeignChild(tu) ?? null;
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

function writeRevision(tu: Element, revision: number): void {
  let group = revisionGroup(tu);
  let count = revisionCount(tu, group);
  if (revision <= 0 && !count) return;
  if (!group) {
    group = createElementLike(tu, XLIFF12_NS, 'count-group');
    insertChild(tu, group, firstForeignChild(tu) ?? null);
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

