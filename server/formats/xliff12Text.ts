/** The byte-splicing cache of the XLIFF 1.2 writer: the text a document was read or last written as, with where its units and header are, so that a save writes only the elements it changed and reuses the rest of the bytes (measured in the drift issue: a save on a 16,000-paragraph file went from 280 ms to 60 ms). */
import type { Document, Element, Node } from '@xmldom/xmldom';
import { firstChildElement, isElement } from './domEdit';
import type { UnitSlot, WrittenPart } from './xliff12Model';
import { isSkeleton, placeholderText } from './xliff12Placeholders';
import { XLIFF12_NS } from './xliff12Vocabulary';
import { type ElementSpan, serializeXmlDocumentTracking, XML_DECLARATION, xmlElementSerializer } from './xmlSafety';

/**
 * The file a document held in memory was last read from or written as, while the document is
 * changed only by updateXliff12: its UTF-8 bytes (in chunks, one after the other), and where each
 * `<trans-unit>` of its index and the file's `<header>` are in them (in document order, not
 * overlapping). The next update then writes only the elements it changed, and reuses the rest of
 * the bytes as they are (see spliceText). Kept by document, and dropped by any other writer of the
 * document.
 */
export interface DocumentText {
  chunks: readonly Uint8Array[];
  size: number;
  spans: ElementSpan[];
  /** xmldom's count of changes to the document's nodes when the text was taken: a change since by anyone else makes it stale. */
  changes: number | undefined;
  /**
   * Where the spans are now, once a splice has moved them (made by the first splice, then handed
   * on): their positions in `spans` are those of the text the places were made for, moved by the
   * size changes of the elements rewritten before them since (see SpanPlaces).
   */
  places?: SpanPlaces;
}

/**
 * The spans of a text whose elements get rewritten a few at a time: each span found by element,
 * and moved by what was rewritten before it, in O(log n) (a Fenwick tree of the size changes),
 * so that a save of one unit in a book does not move 16,000 spans.
 */
export class SpanPlaces {
  private readonly byElement = new Map<Element, number>();
  /** Fenwick tree over span indexes (1-based): the size change of each rewritten span. */
  private readonly shifts: Float64Array;

  constructor(readonly spans: ElementSpan[]) {
    spans.forEach((span, i) => this.byElement.set(span.element, i));
    this.shifts = new Float64Array(spans.length + 1);
  }

  indexOf(element: Element): number | undefined {
    return this.byElement.get(element);
  }

  /** How far the span at `index` has moved: the size changes of the spans before it. */
  shiftOf(index: number): number {
    let sum = 0;
    for (let i = index; i > 0; i -= i & -i) sum += this.shifts[i];
    return sum;
  }

  /** The span at `index` is now `size` bytes long (it starts where it did). */
  resize(index: number, size: number): void {
    const span = this.spans[index];
    const change = size - (span.end - span.start);
    span.end = span.start + size;
    for (let i = index + 1; i < this.shifts.length; i += i & -i) this.shifts[i] += change;
  }
}

export const documentTexts = new WeakMap<Document, DocumentText>();

/** xmldom's internal change counter of a document (bumped on every child list and attribute list change), if it has one. */
export function changeCount(doc: Document): number | undefined {
  const inc = (doc as unknown as { _inc?: unknown })._inc;
  return typeof inc === 'number' ? inc : undefined;
}

/** Names (as written, with any prefix) of the elements whose places in a text are kept. */
export function isTrackedName(name: string): boolean {
  const local = name.slice(name.indexOf(':') + 1);
  return local === 'trans-unit' || local === 'header';
}

/** The elements of a document whose places in its text are kept (see isTrackedName), in document order (walked iteratively: deep nesting is legal). */
export function trackedElements(dom: Document): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = dom.documentElement; node; ) {
    if (isElement(node)) {
      if (isTrackedName(node.tagName)) found.push(node);
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
  return found;
}

/**
 * The text of a document just parsed, with the places the scan found for its units and header,
 * when they can be told apart for sure: the scan lists the elements with those names in document
 * order, which a walk of the document matches one to one. Undefined when it cannot be used as it
 * is for a next write (no XML declaration as the writer writes it, no final newline, a text the
 * reader had to normalize, bytes that are not the text's).
 */
export function parsedText(
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
  const tracked = trackedElements(dom);
  if (tracked.length * 2 !== found.length) return undefined;
  const places = new Map<Element, number>(tracked.map((element, i) => [element, 2 * i]));
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
export function textWith(dom: Document, xml: string, bytes: Buffer, spans: ElementSpan[]): DocumentText | undefined {
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

/** Serializes a whole document, keeping where its units and header are in the file for the next update. */
export function serializeWhole(dom: Document, fileEl: Element, index: Map<string, UnitSlot>): { xml: string; bytes: Buffer; chunks: Buffer[] } {
  const tracked = new Set<Element>();
  for (const slot of index.values()) tracked.add(slot.element);
  const header = firstChildElement(fileEl, XLIFF12_NS, 'header');
  if (header) tracked.add(header);
  // Units held as placeholders are written as the bytes they stand for (see readSkeletonXliff12).
  const { xml, spans } = serializeXmlDocumentTracking(dom, tracked, isSkeleton(dom) ? placeholderText : undefined);
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
export function spliceText(dom: Document, text: DocumentText, dirty: ReadonlySet<Element>): { chunks: Uint8Array[]; size: number; parts: WrittenPart[] } | undefined {
  const places = text.places ?? new SpanPlaces(text.spans);
  // The elements' new texts first (in file order), then their bytes, all in one buffer.
  const serialize = xmlElementSerializer();
  const rewritten: { index: number; fragment: string; size: number }[] = [];
  let total = 0;
  for (const element of dirty) {
    const index = places.indexOf(element);
    if (index === undefined) return undefined;
    const fragment = serialize(element);
    if (fragment === undefined) return undefined;
    const size = Buffer.byteLength(fragment, 'utf8');
    rewritten.push({ index, fragment, size });
    total += size;
  }
  rewritten.sort((a, b) => a.index - b.index);
  const encoded = Buffer.allocUnsafe(total);
  let chunks: Uint8Array[] = [];
  const parts: WrittenPart[] = [];
  const copy = chunkCopier(text.chunks, chunks);
  let copied = 0;
  let written = 0;
  let growth = 0;
  // In file order: where each element is in the previous text, its new bytes, and where it is in the new one.
  for (const { index, fragment, size } of rewritten) {
    const span = places.spans[index];
    const shift = places.shiftOf(index);
    const start = span.start + shift;
    const end = span.end + shift;
    encoded.write(fragment, written, size, 'utf8');
    copy(copied, start);
    chunks.push(encoded.subarray(written, written + size));
    written += size;
    copied = end;
    parts.push({ start: start + growth, end: start + growth + size, text: fragment });
    growth += size - (end - start);
  }
  copy(copied, text.size);
  // The spans move once all are written: a span's shift counts only the elements before it.
  for (const { index, size } of rewritten) places.resize(index, size);
  const size = text.size + growth;
  if (chunks.length > maxChunks(size)) chunks = [Buffer.concat(chunks, size)];
  documentTexts.set(dom, { chunks, size, spans: text.spans, changes: changeCount(dom), places });
  return { chunks, size, parts };
}

/**
 * Past this many chunks, a file's bytes are joined into one buffer again. Each splice lists every
 * chunk again (a cost that grows with their number; a chunk it does not cut is taken as it is, see
 * chunkCopier) and a join copies the whole file (a cost that falls with it, and a pause of tens of
 * milliseconds for a book, which is what the slowest saves wait for): the sum is least near the
 * square root of the file's size over 4, about two thousand chunks for a book's 18 MB file and 300
 * for the manifesto's. (At most 4096: the chunks are written with one system call per thousand or so.)
 */
export function maxChunks(size: number): number {
  return Math.max(64, Math.min(4096, Math.round(Math.sqrt(size / 4))));
}

/**
 * A function that appends to `out` views of the bytes from `from` to `to` of the file `chunks`
 * make up, for ranges that follow one another (each call starts at or after the previous end).
 */
export function chunkCopier(chunks: readonly Uint8Array[], out: Uint8Array[]): (from: number, to: number) => void {
  let i = 0;
  let base = 0; // where chunks[i] starts in the file
  // The view pushed last, while it is still the last one of `out`: a range that goes on from where
  // it ends in the same chunk widens it instead of adding a view (a source update copies the bytes
  // before and of each unit it keeps in two calls: a book's file in 32,000 views, then joined).
  let last = { at: -1, chunk: -1, from: 0, to: 0 };
  return (from, to) => {
    while (i < chunks.length && base + chunks[i].byteLength <= from) base += chunks[i++].byteLength;
    let at = from;
    while (at < to) {
      const chunk = chunks[i];
      if (!chunk) throw new Error('chunkCopier: range past the end of the file');
      const end = Math.min(chunk.byteLength, to - base);
      const continues = last.chunk === i && last.to === at - base && last.at === out.length - 1;
      const start = continues ? last.from : at - base;
      // A whole chunk is taken as it is (chunks are never changed): a view of it costs an object.
      const view = start === 0 && end === chunk.byteLength ? chunk : chunk.subarray(start, end);
      if (continues) out[last.at] = view;
      else out.push(view);
      last = { at: out.length - 1, chunk: i, from: start, to: end };
      at = base + end;
      if (end === chunk.byteLength) base += chunks[i++].byteLength;
    }
  };
}
