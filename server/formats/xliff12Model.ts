/** The shared shapes of the XLIFF 1.2 locale file modules: a document held in memory with its unit index, what a write gives, and the file-level parts (`<file>` attributes, the header's source version). */
import { xmldomPackage } from '../lazyPackages';
import type { Document, Element } from '@xmldom/xmldom';
import type { LocaleFile } from '../domain/types';
import { WorkbenchError } from '../errors';
import { createElementLike, firstChildElement, firstElementChild, insertChild, isElement, removeElement, setAttributeIfChanged, setTextIfChanged } from './domEdit';
import { countIn, FILE_GROUP, SOURCE_VERSION_COUNT_TYPE, SOURCE_VERSION_UNIT, XLIFF12_NS } from './xliff12Vocabulary';
import { XML_NS } from './xmlSafety';
import type { HeldXliff12 } from './xliff12Spans';

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

export interface ParsedXliff12 {
  model: LocaleFile;
  /** The parsed document: pass it back to updateXliff12 to keep what the model does not hold. */
  dom: Document;
  /** Every unit of the model by id: built once per parsed DOM, kept up to date by updateXliff12. */
  unitIndex: Map<string, UnitSlot>;
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
  parsed: HeldXliff12;
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

/**
 * The output of a write that spliced a file's changed elements into its previous bytes: the
 * chunks as they are (writing the file needs only them); the whole bytes and the text made on
 * first use.
 */
export function splicedOutput(chunks: readonly Uint8Array[], size: number, parsed: HeldXliff12, written: WrittenPart[]): Xliff12Output {
  let bytes: Buffer | undefined;
  let xml: string | undefined;
  const whole = (): Buffer => (bytes ??= Buffer.concat(chunks, size));
  return {
    chunks,
    parsed,
    written,
    get bytes() {
      return whole();
    },
    get xml() {
      xml ??= whole().toString('utf8');
      return xml;
    },
  };
}

export function writeFailure(file: string): (reason: string) => WorkbenchError {
  return (reason) => new WorkbenchError(500, 'xliff-write-failed', `${file}: refusing to write a file that does not read back: ${reason}`, { details: { file } });
}

export function fileAndBody(doc: Document): { fileEl: Element; body: Element } {
  const root = doc.documentElement;
  const fileEl = root && firstChildElement(root, XLIFF12_NS, 'file');
  const body = fileEl && firstChildElement(fileEl, XLIFF12_NS, 'body');
  if (!fileEl || !body) throw new WorkbenchError(500, 'xliff-invalid', 'the document has no <xliff>/<file>/<body>');
  return { fileEl, body };
}

export function fileFields(model: LocaleFile): Omit<LocaleFile, 'units'> {
  const fields: Omit<LocaleFile, 'units'> = { document: model.document, sourceLanguage: model.sourceLanguage, targetLanguage: model.targetLanguage };
  if (model.sourceVersion !== undefined) fields.sourceVersion = model.sourceVersion;
  return fields;
}

/** The file-level `<header><count-group name="workbench:file">`, if any. */
export function fileGroup(fileEl: Element): Element | undefined {
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (!header) return undefined;
  for (let node = header.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.namespaceURI === XLIFF12_NS && node.localName === 'count-group' && node.getAttribute('name') === FILE_GROUP) return node;
  }
  return undefined;
}

/** The attributes of `<file>` the writer sets. */
export const FILE_ATTRIBUTES = ['original', 'source-language', 'target-language'];

/** The file-level fields: the `<file>` attributes and the file's source version in the header. */
export function writeFileFields(fileEl: Element, model: LocaleFile): void {
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
export function writeFileSourceVersion(fileEl: Element, sourceVersion: number | undefined): void {
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

export function firstForeignChild(parent: Element): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) if (isElement(node) && node.namespaceURI !== XLIFF12_NS) return node;
  return undefined;
}

/** Appends `<count count-type="…" unit="…"/>` to a count-group. */
export function appendCount(group: Element, countType: string, unit: string): Element {
  const count = createElementLike(group, XLIFF12_NS, 'count');
  count.setAttribute('count-type', countType);
  count.setAttribute('unit', unit);
  insertChild(group, count, null);
  return count;
}

export function createSkeleton(): Document {
  const doc = new (xmldomPackage().DOMImplementation)().createDocument(XLIFF12_NS, 'xliff', null);
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

/** The text of a `<count>` as a whole number (undefined without the element; `bad` throws for anything else). */
export function readWholeNumber(count: Element | undefined, bad: (raw: string) => WorkbenchError): number | undefined {
  if (!count) return undefined;
  const raw = (count.textContent ?? '').trim();
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw bad(raw);
  return Number(raw);
}
