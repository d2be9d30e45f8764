/**
 * XLIFF 2.0 export of a locale, for CAT tools that read 2.0 (the workbench itself stores 1.2).
 *
 * Written with xmldom rather than the `xliff` package: its js2xliff cannot write a segment's
 * `state` nor a note's `category`, both of which carry the workflow state here (see the README).
 */
import { xmldomPackage } from '../lazyPackages';
import { ownerDocumentOf } from './domEdit';
import { appendIndented, closeIndented } from './indentedDom';
import type { Element } from '@xmldom/xmldom';
import type { LocaleFile, Segment, SourceDocument, Unit, UnitNote, WorkflowState } from '../domain/types';
import { workflowState } from '../domain/workflowState';
import { WorkbenchError } from '../errors';
import { codePointLabel, findInvalidXmlChar } from './xmlScan';
import { XML_NS, serializeXmlDocument } from './xmlSafety';

export const XLIFF20_NS = 'urn:oasis:names:tc:xliff:document:2.0';
/** The workbench's own attributes (wb:revision on <unit>, wb:from on <note>); the 2.0 schema allows other-namespace attributes there. */
export const WORKBENCH_NS = 'urn:x-translation-workbench';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** XLIFF 2.0 segment state for each workflow state: 2.0 has no "needs work", so those go back to initial, with their target kept. */
const SEGMENT_STATE: Record<WorkflowState, 'initial' | 'translated' | 'final'> = {
  untranslated: 'initial',
  translated: 'translated',
  approved: 'final',
  drifted: 'initial',
  'needs-work': 'initial',
};

/**
 * Builds an XLIFF 2.0 file of the document's translatable segments, in document order, with the
 * locale's translations: one `<unit id="<segment id>">` each, its `<segment state>` from the
 * workflow state, notes for drift and review, and the unit's revision as `wb:revision`.
 */
export function buildXliff20(input: { document: SourceDocument; file: LocaleFile }): string {
  const { document, file } = input;
  if (file.document !== document.id) {
    throw new WorkbenchError(400, 'xliff-invalid-model', `the locale file is for document "${file.document}", not "${document.id}"`);
  }
  const segments = document.segments.filter((segment) => segment.translatable);
  // The schema wants at least one <unit> in a <file>: an empty export would not be valid XLIFF.
  if (segments.length === 0) throw new WorkbenchError(422, 'xliff-empty', `"${document.id}" has no translatable paragraphs to export`);

  const doc = new (xmldomPackage().DOMImplementation)().createDocument(XLIFF20_NS, 'xliff', null);
  const root = doc.documentElement as Element;
  // Declared up front, in this order, so the serializer writes them first and declares nothing further down.
  root.setAttributeNS(XMLNS_NS, 'xmlns', XLIFF20_NS);
  root.setAttributeNS(XMLNS_NS, 'xmlns:wb', WORKBENCH_NS);
  root.setAttribute('version', '2.0');
  root.setAttribute('srcLang', file.sourceLanguage);
  root.setAttribute('trgLang', file.targetLanguage);
  const fileEl = appendIndented(root, 'file', 1, XLIFF20_NS);
  fileEl.setAttribute('id', document.id);
  // Texts keep their spaces and line breaks: the default lets a reader normalize them.
  fileEl.setAttributeNS(XML_NS, 'xml:space', 'preserve');

  const units = new Map(file.units.map((unit) => [unit.id, unit]));
  for (const segment of segments) writeUnit(fileEl, segment, units.get(segment.id));
  closeIndented(fileEl, 1);
  closeIndented(root, 0);
  return serializeXmlDocument(doc);
}

function writeUnit(fileEl: Element, segment: Segment, unit: Unit | undefined): void {
  const state = workflowState(segment, unit);
  const unitEl = appendIndented(fileEl, 'unit', 2, XLIFF20_NS);
  unitEl.setAttribute('id', segment.id);
  if (unit) unitEl.setAttributeNS(WORKBENCH_NS, 'wb:revision', String(unit.revision));

  const notes = unit ? unitNotes(segment, unit, state) : [];
  if (notes.length > 0) {
    const notesEl = appendIndented(unitEl, 'notes', 3, XLIFF20_NS);
    for (const note of notes) writeNote(notesEl, note, segment.id);
    closeIndented(notesEl, 3);
  }

  const segmentEl = appendIndented(unitEl, 'segment', 3, XLIFF20_NS);
  segmentEl.setAttribute('state', SEGMENT_STATE[state]);
  writeText(appendIndented(segmentEl, 'source', 4, XLIFF20_NS), segment.text, segment.id);
  if (state !== 'untranslated' && unit?.target !== undefined) writeText(appendIndented(segmentEl, 'target', 4, XLIFF20_NS), unit.target, segment.id);
  closeIndented(segmentEl, 3);
  closeIndented(unitEl, 2);
}

interface NoteOut {
  text: string;
  category?: string;
  appliesTo?: 'source' | 'target';
  priority?: number;
  from?: string;
}

/**
 * The unit's notes as 2.0 notes. A drifted unit first gets the workbench's own note saying so (2.0
 * has no state for it). A note on the target signed by someone is what a reviewer writes when
 * sending a translation back (Workbench.reject): category "review".
 */
function unitNotes(segment: Segment, unit: Unit, state: WorkflowState): NoteOut[] {
  const out: NoteOut[] = [];
  if (state === 'drifted') {
    // Before migration a drifted unit still holds the old source itself.
    const previous = unit.previous?.source ?? (unit.source !== segment.text ? unit.source : undefined);
    const text =
      previous === undefined
        ? 'The source text has changed since this was translated: check the translation against it.'
        : `The source text has changed since this was translated: check the translation against it. The previous source text was:\n${previous}`;
    out.push({ text, category: 'workbench', appliesTo: 'source' });
  }
  for (const note of unit.notes) out.push(noteOut(note));
  return out;
}

function noteOut(note: UnitNote): NoteOut {
  const out: NoteOut = { text: note.text };
  if (note.annotates === 'target' && note.from !== undefined && note.from !== 'workbench') out.category = 'review';
  else if (note.from === 'workbench') out.category = 'workbench';
  if (note.annotates === 'source' || note.annotates === 'target') out.appliesTo = note.annotates;
  if (note.priority !== undefined) out.priority = note.priority;
  if (note.from !== undefined) out.from = note.from;
  return out;
}

function writeNote(notesEl: Element, note: NoteOut, unitId: string): void {
  const el = appendIndented(notesEl, 'note', 4, XLIFF20_NS);
  if (note.category !== undefined) el.setAttribute('category', note.category);
  if (note.appliesTo !== undefined) el.setAttribute('appliesTo', note.appliesTo);
  if (note.priority !== undefined) el.setAttribute('priority', String(note.priority));
  if (note.from !== undefined) {
    refuseInvalidChars(note.from, 'note author', unitId);
    el.setAttributeNS(WORKBENCH_NS, 'wb:from', note.from);
  }
  // A <note> holds text only: no <cp> for characters XML cannot hold.
  refuseInvalidChars(note.text, 'note', unitId);
  if (note.text !== '') el.appendChild(ownerDocumentOf(el).createTextNode(note.text));
}

/**
 * Writes `text` into a `<source>`/`<target>`. Characters XML cannot hold (control characters) are
 * written as `<cp hex>`, the 2.0 way of carrying them; a lone surrogate is no character at all and
 * is refused.
 */
function writeText(el: Element, text: string, unitId: string): void {
  const doc = ownerDocumentOf(el);
  let rest = text;
  for (let found = findInvalidXmlChar(rest); found; found = findInvalidXmlChar(rest)) {
    if (found.codePoint >= 0xd800 && found.codePoint <= 0xdfff) refuseInvalidChars(rest, 'text', unitId);
    if (found.index > 0) el.appendChild(doc.createTextNode(rest.slice(0, found.index)));
    const cp = doc.createElementNS(XLIFF20_NS, 'cp');
    cp.setAttribute('hex', found.codePoint.toString(16).toUpperCase().padStart(4, '0'));
    el.appendChild(cp);
    rest = rest.slice(found.index + 1);
  }
  if (rest !== '') el.appendChild(doc.createTextNode(rest));
}

function refuseInvalidChars(text: string, what: string, unitId: string): void {
  const found = findInvalidXmlChar(text);
  if (found) {
    throw new WorkbenchError(400, 'xml-invalid-char', `the ${what} of unit "${unitId}" contains ${codePointLabel(found.codePoint)}, which XLIFF 2.0 cannot hold there`, {
      details: { unit: unitId, field: what, index: found.index },
    });
  }
}
