/**
 * A locale file held for a change without parsing its units: the file's bytes, the model (from its
 * snapshot), and a DOM of the file in which every `<trans-unit>` is a placeholder (its start tag,
 * empty). A unit is parsed, from its own bytes, only when a change writes into it; the units no
 * change touches are copied as bytes. A book's 16,000 units cost a scan of the text and a DOM of
 * 16,000 empty elements instead of a DOM of the whole file (a fifth of the time, a tenth of the
 * memory), and unknown content round-trips exactly: what is not written is the file's own bytes,
 * what is written was parsed from them.
 */
import type { Document, Element, Node } from '@xmldom/xmldom';
import type { LocaleFile, Unit } from '../domain/types';
import { firstChildElement, isElement, ownerDocumentOf } from './domEdit';
import { fileAndBody, type ParsedXliff12, type UnitSlot } from './xliff12Model';
import { forgetPlaceholder, markSkeleton, placeholderText, setPlaceholder } from './xliff12Placeholders';
import { changeCount, documentTexts, isTrackedName, trackedElements } from './xliff12Text';
import { REVISION_COUNT_TYPE, SOURCE_VERSION_COUNT_TYPE, transUnits, XLIFF12_NS } from './xliff12Vocabulary';
import { scanXml } from './xmlScan';
import { type ElementSpan, parseXmlSafely, XML_DECLARATION } from './xmlSafety';

/**
 * The offset just past the `>` of the start tag that begins at `start` (quoted values skipped), or
 * -1: in a text (a character offset), or in a file's bytes (its markup is ASCII: a byte offset).
 */
export function startTagEnd(xml: string | Uint8Array, start: number): number {
  const codeAt = typeof xml === 'string' ? (i: number) => xml.charCodeAt(i) : (i: number) => xml[i];
  let quote = 0;
  for (let i = start + 1; i < xml.length; i++) {
    const c = codeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return i + 1;
    }
  }
  return -1;
}

const DECLARATION = `<?xml ${XML_DECLARATION}?>`;

/**
 * The file `bytes` (UTF-8, as the workbench writes it: its XML declaration, no BOM, no CR, a final
 * newline), whose model is `model` (read before from these very bytes: a snapshot stamped with the
 * file's identity), held with placeholders for its units. Undefined when the file is not in that
 * form or does not match the model (unit ids and order): the caller parses it in full. `written`,
 * when known, says which units are written as read (see writesAsRead; by position in the model);
 * without it, a unit is taken as written as read only when its text shows it at a glance.
 */
export function readSkeletonXliff12(bytes: Buffer, model: LocaleFile, ctx: { file: string }, written?: readonly boolean[]): ParsedXliff12 | undefined {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a || bytes.includes(0x0d)) return undefined;
  // The bytes as Latin-1, one character per byte: the markup is ASCII, so the scan finds the
  // elements at their byte offsets, without decoding megabytes of UTF-8 (the file's characters were
  // checked when the model was read from it; only its markup is scanned again).
  const latin1 = bytes.toString('latin1');
  if (!latin1.startsWith(DECLARATION)) return undefined;
  const track = { names: isTrackedName, spans: [] as number[] };
  if (scanXml(latin1, track, true)) return undefined;
  const found = track.spans;
  // The skeleton: the text with each unit's element replaced by its start tag, empty.
  const parts: string[] = [];
  const unitSpans: { start: number; end: number; written: boolean }[] = [];
  const headerSpans: { start: number; end: number }[] = [];
  let copied = 0;
  let previousEnd = 0;
  for (let k = 0; k < found.length; k += 2) {
    const start = found[k];
    const end = found[k + 1];
    if (start < previousEnd) return undefined; // nested: not a file of ours
    previousEnd = end;
    const tagEnd = startTagEnd(latin1, start);
    if (tagEnd < 0 || tagEnd > end) return undefined;
    const name = /^<([^\s/>]+)/.exec(latin1.slice(start, Math.min(tagEnd, start + 200)))?.[1] ?? '';
    if (name.slice(name.indexOf(':') + 1) === 'header') {
      headerSpans.push({ start, end });
      continue;
    }
    const selfClosing = latin1.charCodeAt(tagEnd - 2) === 0x2f; /* / */
    parts.push(bytes.toString('utf8', copied, start), selfClosing ? bytes.toString('utf8', start, tagEnd) : `${bytes.toString('utf8', start, tagEnd - 1)}/>`);
    copied = end;
    unitSpans.push({ start, end, written: written ? written[unitSpans.length] === true : writesAsReadText(latin1, start, end, model.units[unitSpans.length]) });
  }
  parts.push(bytes.toString('utf8', copied));
  if (unitSpans.length !== model.units.length || headerSpans.length > 1) return undefined;
  let dom: Document;
  try {
    dom = parseXmlSafely(parts.join(''), { file: ctx.file, malformedCode: 'xliff-malformed', nodePositions: false });
  } catch {
    return undefined;
  }
  let fileEl: Element;
  let body: Element;
  try {
    ({ fileEl, body } = fileAndBody(dom));
  } catch {
    return undefined;
  }
  const elements = transUnits(body);
  // Every tracked element of the skeleton, in document order, must be one of these (see parsedText).
  const tracked = trackedElements(dom).length;
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (elements.length !== unitSpans.length || tracked !== unitSpans.length + headerSpans.length || !header !== (headerSpans.length === 0)) return undefined;
  const index = new Map<string, UnitSlot>();
  const spans: ElementSpan[] = [];
  for (const [i, element] of elements.entries()) {
    const unit = model.units[i];
    if (element.getAttribute('id') !== unit.id || index.has(unit.id)) return undefined;
    const { start, end, written } = unitSpans[i];
    index.set(unit.id, { element, position: i, written });
    spans.push({ element, start, end });
    setPlaceholder(element, bytes, start, end);
  }
  if (header) spans.push({ element: header, start: headerSpans[0].start, end: headerSpans[0].end });
  spans.sort((a, b) => a.start - b.start);
  markSkeleton(dom);
  documentTexts.set(dom, { chunks: [bytes], size: bytes.length, spans, changes: changeCount(dom) });
  return { model, dom, unitIndex: index };
}

/** A count as the writer writes it, with its text: made once, used for every unit of a book. */
const countAsWritten = (type: string): RegExp => new RegExp(`<count count-type="${type}" unit="[^"]*">([^<]*)</count>`);
const REVISION_COUNT = countAsWritten(REVISION_COUNT_TYPE);
const SOURCE_VERSION_COUNT = countAsWritten(SOURCE_VERSION_COUNT_TYPE);

/**
 * writesAsRead for a unit known by its text (as Latin-1: its markup is ASCII) and by the unit read
 * from it: true when the text shows none of the forms the writer normalizes (see writesAsRead), as
 * the writer writes them: no previous version, or one with a target, the revision group under the
 * unit's own name with its counts equal to the unit's. Anything it cannot tell so cheaply is false
 * (the unit is parsed and written when a change comes: the same outcome, a little later).
 */
export function writesAsReadText(latin1: string, start: number, end: number, unit: Unit | undefined): boolean {
  const text = latin1.slice(start, end);
  const startTag = text.slice(0, startTagEnd(text, 0));
  // The writer gives every unit xml:space="preserve" (see writeUnit).
  if (!/\sxml:space\s*=\s*(["'])preserve\1/.test(startTag)) return false;
  const approved = /\sapproved\s*=\s*(["'])([^"']*)\1/.exec(startTag);
  if (approved && approved[2] !== 'yes' && approved[2] !== 'no') return false;
  if (!unit) return false;
  if (text.includes('alt-trans')) {
    // The writer's previous version, with its target: <alt-trans alttranstype="previous-version"> … <target>.
    if (text.indexOf('<alt-trans') !== text.lastIndexOf('<alt-trans') || !/<alt-trans alttranstype="previous-version">\s*<source(?:>[^<]*<\/source>|\/>)\s*<target\/?>/.test(text)) return false;
  }
  if (!text.includes('count-group')) return true;
  if (!/^[\x21-\x7e]*$/.test(unit.id) || /[<>&"']/.test(unit.id)) return false;
  const groups = text.split('<count-group').length - 1;
  if (groups !== 1 || !text.includes(`<count-group name="workbench:${unit.id}">`)) return false;
  const revision = REVISION_COUNT.exec(text)?.[1];
  const sourceVersion = SOURCE_VERSION_COUNT.exec(text)?.[1];
  const counts = text.split('<count ').length - 1;
  if (counts !== (revision === undefined ? 0 : 1) + (sourceVersion === undefined ? 0 : 1) || counts === 0) return false;
  return (revision === undefined || revision === String(unit.revision)) && (sourceVersion === undefined || sourceVersion === String(unit.sourceVersion));
}

/**
 * The unit of `slot` as an element of its document: a placeholder is filled with its unit's
 * content, parsed from its bytes with the namespaces in scope where it stands (its attributes are
 * already the unit's: it was parsed from the unit's own start tag); any other element is returned
 * as it is. The element stays where it is: a replacement would make xmldom renumber every sibling,
 * the whole body of a book, for each unit.
 */
export function realizeUnit(slot: UnitSlot, file: string): Element {
  const placeholder = slot.element;
  const text = placeholderText(placeholder);
  if (text === undefined) return placeholder;
  // The declarations in scope, nearest first (an inner one hides an outer one of the same prefix).
  const declared = new Map<string, string>();
  for (let node: Node | null = placeholder; node && isElement(node); node = node.parentNode) {
    const attrs = node.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const attr = attrs[i];
      if ((attr.name === 'xmlns' || attr.prefix === 'xmlns') && !declared.has(attr.name)) declared.set(attr.name, attr.value);
    }
  }
  const escape = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const wrapper = `<w${[...declared].map(([name, value]) => ` ${name}="${escape(value)}"`).join('')}>${text}</w>`;
  const parsed = parseXmlSafely(wrapper, { file, malformedCode: 'xliff-malformed', nodePositions: false });
  const element = parsed.documentElement && firstChildElementOf(parsed.documentElement);
  if (!element || element.attributes.length !== placeholder.attributes.length) {
    throw new Error(`realizeUnit: the bytes of ${placeholder.getAttribute('id')} are not its placeholder's unit`);
  }
  const doc = ownerDocumentOf(placeholder);
  for (let child = element.firstChild; child; child = child.nextSibling) placeholder.appendChild(doc.importNode(child, true));
  forgetPlaceholder(placeholder);
  return placeholder;
}

function firstChildElementOf(parent: Element): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) if (isElement(node)) return node;
  return undefined;
}
