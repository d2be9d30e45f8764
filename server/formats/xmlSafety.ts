/**
 * Safe XML parsing and serialization on top of @xmldom/xmldom, shared by the XLIFF 1.2 reader/writer
 * (and meant for XLIFF 2.0 / TMX import later).
 *
 * - No DOCTYPE, ever: a DTD is the door to entity expansion (billion laughs) and external entities
 *   (XXE). A pre-scan refuses it before xmldom sees the text; the parsed document is checked again.
 * - Well-formedness errors carry the right line and column. xmldom is lenient (a bare `&` passes)
 *   and its locator lags behind on end tags, so the pre-scan checks the structure itself
 *   (tags, attributes, references, comments, CDATA) and reports exact positions; xmldom's own
 *   errors (e.g. an unbound namespace prefix) are reported with its locator.
 * - Line endings are normalized the XML 1.0 way only (CR LF / CR → LF): xmldom's default also turns
 *   U+2028, U+2029 and U+0085 into LF, which would corrupt translations.
 */
import { xmldomPackage } from '../lazyPackages';
import iconv from 'iconv-lite';
import type { Document, Element } from '@xmldom/xmldom';
import { WorkbenchError } from '../errors';
import { findInvalidXmlChar, positionAt, scanXml, type ScanTrack, type XmlPosition } from './xmlScan';
import { cacheXmldomExpressions } from './xmldomExpressionCache';
import { elementSerializer, serializeDocument, type ElementSpan, type SpanRecorder } from './xmlSerialize';

export { findInvalidXmlChar, positionAt, type ElementSpan, type ScanTrack, type XmlPosition };

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlParseOptions {
  /** Names the file in error messages. */
  file: string;
  /** Error code for malformed XML (default 'xml-malformed'). */
  malformedCode?: string;
  /**
   * Whether nodes get `lineNumber` / `columnNumber` (default true). Tracking them costs a few percent
   * of a large parse; errors get their exact position either way (a failed parse is redone with them).
   */
  nodePositions?: boolean;
}

/** XML 1.0 end-of-line handling (section 2.11): CR LF and lone CR become LF. Nothing else. */
export function normalizeXmlLineEndings(source: string): string {
  return source.replace(/\r\n?/g, '\n');
}

/**
 * Decodes an XML file's bytes in the encoding it is in, found the way XML 1.0 (appendix F) finds
 * it: a byte-order mark (UTF-8, UTF-16 LE/BE), `<?` as 16-bit characters (UTF-16 without a mark),
 * else the `encoding` of the XML declaration, else UTF-8. Any encoding Node's TextDecoder knows is
 * read (windows-1252, ISO-8859-x, Shift_JIS…); one it does not know is refused naming it (400), and
 * bytes that are not valid in the encoding are a malformed file (422), never guessed at. The text
 * returned has no BOM; its declaration still names the encoding it was read from (a string has none).
 */
export function decodeXmlBytes(bytes: Uint8Array, options: XmlParseOptions): string {
  const { encoding, named, skip } = detectEncoding(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch (cause) {
    throw new WorkbenchError(400, 'xml-encoding-unsupported', `${options.file}: it is in the encoding "${named}", which the workbench cannot read: save it as UTF-8 (or UTF-16) and send it again`, {
      cause,
      details: { file: options.file, encoding: named },
      params: { file: options.file, encoding: named },
    });
  }
  const rest = bytes.subarray(skip);
  // What the bytes read as with what they do not define as U+FFFD: the text, or where it is wrong.
  let lossy: string;
  let cause: unknown;
  if (decoder.encoding === 'windows-1252') {
    // Node 20's TextDecoder reads windows-1252 (and the labels that name it: iso-8859-1, latin1,
    // us-ascii) as ISO-8859-1, turning “ ” — € into control characters: iconv-lite reads it right.
    // The five bytes windows-1252 leaves undefined make the file invalid in it.
    lossy = iconv.decode(Buffer.from(rest.buffer, rest.byteOffset, rest.byteLength), 'windows-1252');
    if (!lossy.includes('\uFFFD')) return lossy;
  } else {
    try {
      return decoder.decode(rest);
    } catch (err) {
      cause = err;
      lossy = new TextDecoder(encoding, { ignoreBOM: true }).decode(rest);
    }
  }
  const at = lossy.indexOf('\uFFFD');
  const reason = `the file is not valid ${named}${encoding === 'utf-8' && named === 'UTF-8' ? '' : ' (as it says it is)'}`;
  throw malformed(options, at < 0 ? { line: 1, column: 1 } : positionAt(lossy, at), reason, cause);
}

/** Whether an XML file's bytes are in UTF-8 by what they say of themselves (see decodeXmlBytes): readers of UTF-8 alone leave others to it. */
export function isUtf8Xml(bytes: Uint8Array): boolean {
  return detectEncoding(bytes).encoding === 'utf-8';
}

/** The encoding of an XML file's bytes (see decodeXmlBytes): the TextDecoder label, the name to show, and the bytes of a BOM to skip. */
function detectEncoding(bytes: Uint8Array): { encoding: string; named: string; skip: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', named: 'UTF-8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', named: 'UTF-16 (little-endian)', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', named: 'UTF-16 (big-endian)', skip: 2 };
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return { encoding: 'utf-16le', named: 'UTF-16 (little-endian)', skip: 0 };
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return { encoding: 'utf-16be', named: 'UTF-16 (big-endian)', skip: 0 };
  // ASCII-compatible: the declaration, read as ASCII, says which.
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]{0,39})["']/.exec(head)?.[1];
  if (!declared || /^utf-?8$/i.test(declared)) return { encoding: 'utf-8', named: 'UTF-8', skip: 0 };
  // A file that says UTF-16 yet has no 16-bit characters cannot be it; TextDecoder's label rules name the rest.
  if (/^utf-?16/i.test(declared)) return { encoding: 'x-not-utf-16', named: `${declared} (declared, but the file is not in 16-bit characters)`, skip: 0 };
  return { encoding: declared, named: declared, skip: 0 };
}

/**
 * Parses `content` into a DOM. Throws WorkbenchError 400 'xml-doctype-forbidden' for any DOCTYPE,
 * 422 `malformedCode` (`${file}: line L, column C: reason`, details {file, line, column}) otherwise.
 */
export function parseXmlSafely(content: string, options: XmlParseOptions): Document {
  return parseXmlTracking(content, options).doc;
}

/**
 * parseXmlSafely, also giving the text the document was parsed from (`content` without a BOM, line
 * ends normalized) and, when `track` is given, the places of the elements it names in that text
 * (see ScanTrack: `track.spans` is filled).
 */
export function parseXmlTracking(content: string, options: XmlParseOptions, track?: ScanTrack): { doc: Document; source: string } {
  const source = normalizeXmlLineEndings(content.startsWith('\uFEFF') ? content.slice(1) : content);

  const issue = scanXml(source, track);
  if (issue?.kind === 'doctype') throw doctypeForbidden(options, positionAt(source, issue.offset));
  if (issue) throw malformed(options, positionAt(source, issue.offset), issue.reason);

  let parsed = parseWithXmldom(source, options.nodePositions ?? true);
  // xmldom's positions are needed only to report its error: parse again with them.
  if (!parsed.ok && !parsed.located) {
    const located = parseWithXmldom(source, true);
    if (!located.ok) parsed = located;
  }
  if (!parsed.ok) {
    const { report, cause } = parsed;
    if (/doctype/i.test(report.message)) throw doctypeForbidden(options, report.position);
    throw malformed(options, report.position, plainReason(source, report), cause);
  }
  const doc = parsed.doc;
  // Defence in depth: the scan above must have caught it, but never hand out a document with a DTD.
  for (let node = doc.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 10 /* DOCUMENT_TYPE_NODE */) throw doctypeForbidden(options, { line: 1, column: 1 });
  }
  if (doc.doctype) throw doctypeForbidden(options, { line: 1, column: 1 });
  return { doc, source };
}

/**
 * xmldom's reason in a sentence a person can act on, where it has none of its own: an unbound
 * namespace prefix ("NamespaceError: prefix is non-null and namespace is null") names the prefix
 * and the name it is on, found in the tag at the reported place.
 */
function plainReason(source: string, report: { message: string; position: XmlPosition }): string {
  if (!/prefix is non-null and namespace is null|unbound|namespace prefix/i.test(report.message)) return report.message;
  const lines = source.split('\n', report.position.line);
  const offset = lines.slice(0, -1).reduce((sum, line) => sum + line.length + 1, 0) + report.position.column - 1;
  // The tag at that place (xmldom points at its start, or into it).
  const tagStart = source.lastIndexOf('<', offset + 1);
  const tag = tagStart < 0 ? '' : source.slice(tagStart, source.indexOf('>', tagStart) + 1 || undefined);
  const declared = new Set([...source.matchAll(/\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*["'][^"']+["']/g)].map((m) => m[1]));
  for (const m of tag.matchAll(/(?:^<\/?|\s)([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)/g)) {
    const prefix = m[1];
    if (prefix === 'xml' || prefix === 'xmlns' || declared.has(prefix)) continue;
    return `the prefix "${prefix}" of "${prefix}:${m[2]}" is not declared: the file has no xmlns:${prefix}="…" for it (the tool that wrote it left the declaration out, or the file was cut)`;
  }
  return `a namespace prefix is used without being declared (${report.message.replace(/^Error: /, '')})`;
}

type XmldomOutcome =
  | { ok: true; doc: Document }
  | { ok: false; located: boolean; report: { message: string; position: XmlPosition }; cause: unknown };

/** Runs xmldom, stopping at its first error or warning (with its position when `locator` is on). */
function parseWithXmldom(source: string, locator: boolean): XmldomOutcome {
  cacheXmldomExpressions();
  let first: { level: string; message: string; position: XmlPosition } | undefined;
  const parser = new (xmldomPackage().DOMParser)({
    locator,
    // Lines are already normalized; keep xmldom from rewriting U+2028/U+2029/U+0085.
    normalizeLineEndings: (s: string) => s,
    onError: (level, message, context: { locator?: { lineNumber?: number; columnNumber?: number } }) => {
      // xmldom warns about U+FFFD in the text; that character is legitimate content.
      if (level === 'warning' && message.startsWith('Unicode replacement character')) return;
      first ??= {
        level,
        message,
        position: { line: context?.locator?.lineNumber || 1, column: context?.locator?.columnNumber || 1 },
      };
      throw new Error(message);
    },
  });
  try {
    return { ok: true, doc: parser.parseFromString(source, 'application/xml') };
  } catch (cause) {
    const report = first ?? { message: cause instanceof Error ? cause.message : String(cause), position: locatorOf(cause) };
    return { ok: false, located: locator, report, cause };
  }
}

/**
 * Serializes a document: the canonical `<?xml version="1.0" encoding="UTF-8"?>` declaration (added or
 * rewritten: the bytes are always written as UTF-8), CR in text escaped as `&#13;` so it survives
 * line-end normalization on the next read, and a final newline.
 */
export function serializeXmlDocument(doc: Document): string {
  return serializeXmlDocumentTracking(doc).xml;
}

/** The XML declaration serializeXmlDocument writes (the data of the `<?xml ?>` processing instruction). */
export const XML_DECLARATION = 'version="1.0" encoding="UTF-8"';

/**
 * serializeXmlDocument, also giving the places of the `tracked` elements in the text (in the order
 * their end tags are written), unless they cannot be known (the text then has no `spans`).
 */
export function serializeXmlDocumentTracking(
  doc: Document,
  tracked?: ReadonlySet<Element>,
  substitute?: (el: Element) => string | undefined,
): { xml: string; spans?: ElementSpan[] } {
  const first = doc.firstChild;
  if (first && first.nodeType === 7 /* PROCESSING_INSTRUCTION_NODE */ && first.nodeName === 'xml') {
    (first as unknown as { data: string }).data = XML_DECLARATION;
  } else {
    const pi = doc.createProcessingInstruction('xml', XML_DECLARATION);
    doc.insertBefore(pi, doc.firstChild);
    doc.insertBefore(doc.createTextNode('\n'), pi.nextSibling);
  }
  const recorder: SpanRecorder | undefined = tracked || substitute ? { tracked: tracked ?? new Set(), spans: [], substitute } : undefined;
  const serialized = serializeDocument(doc, recorder); // what xmldom's XMLSerializer writes, faster
  const xml = escapeCarriageReturns(serialized);
  const spans = recorder?.spans && xml !== serialized ? shiftedPastCarriageReturns(serialized, recorder.spans) : recorder?.spans;
  return { xml: xml.endsWith('\n') ? xml : `${xml}\n`, spans };
}

/** The places of `spans` in `text` once each CR in it is written `&#13;` (four characters longer). */
function shiftedPastCarriageReturns(text: string, spans: readonly ElementSpan[]): ElementSpan[] {
  const crs: number[] = [];
  for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) crs.push(at);
  const before = (offset: number): number => {
    // How many CRs lie before `offset` (binary search).
    let low = 0;
    let high = crs.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (crs[mid] < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return spans.map(({ element, start, end }) => ({ element, start: start + 4 * before(start), end: end + 4 * before(end) }));
}

/**
 * A function giving the text serializeXmlDocument writes for an element within its document (CRs
 * escaped the same way), or undefined when only a serialization of the whole document can write it.
 * For elements of a document that does not change while the function is used (see elementSerializer).
 */
export function xmlElementSerializer(): (el: Element) => string | undefined {
  const serialize = elementSerializer();
  return (el) => {
    const text = serialize(el);
    return text === undefined ? undefined : escapeCarriageReturns(text);
  };
}

/**
 * After parsing, CR can only exist in the DOM as text the caller put there (or a decoded &#13;):
 * attribute values are escaped by xmldom, parsed comments/CDATA/PIs have had their CRs normalized.
 * Written as `&#13;`, it survives the line-end normalization of the next read.
 */
export function escapeCarriageReturns(text: string): string {
  return text.includes('\r') ? text.replace(/\r/g, '&#13;') : text;
}

function locatorOf(err: unknown): XmlPosition {
  const locator = (err as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
  return { line: locator?.lineNumber || 1, column: locator?.columnNumber || 1 };
}

function malformed(options: XmlParseOptions, at: XmlPosition, reason: string, cause?: unknown): WorkbenchError {
  const { file } = options;
  return new WorkbenchError(
    422,
    options.malformedCode ?? 'xml-malformed',
    `${file}: line ${at.line}, column ${at.column}: ${reason.replace(/^Error: /, '')}`,
    { cause, details: { file, line: at.line, column: at.column }, params: { file, line: at.line, column: at.column, reason: reason.replace(/^Error: /, '') } },
  );
}

function doctypeForbidden(options: XmlParseOptions, at: XmlPosition): WorkbenchError {
  const { file } = options;
  return new WorkbenchError(
    400,
    'xml-doctype-forbidden',
    `${file}: line ${at.line}, column ${at.column}: DOCTYPE declarations are not allowed (no DTDs, no entities)`,
    { details: { file, line: at.line, column: at.column }, params: { file, line: at.line, column: at.column } },
  );
}
