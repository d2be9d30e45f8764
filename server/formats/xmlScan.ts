/** A small XML well-formedness scanner with exact error positions (no DTD support: DOCTYPE is reported). */

/**
 * Code units that may start a character outside the XML 1.0 `Char` production: C0 controls other
 * than tab, LF and CR, U+FFFE, U+FFFF and surrogates (fine only as a high-low pair). A plain
 * (non-`u`) class: V8 scans it several times faster than the equivalent Unicode-aware negated class.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;

export interface XmlPosition {
  line: number;
  column: number;
}

/** The first character not allowed in XML 1.0, or undefined. */
export function findInvalidXmlChar(text: string): { index: number; codePoint: number } | undefined {
  const re = SUSPECT_XML_CHAR;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const index = m.index;
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        re.lastIndex = index + 2; // a surrogate pair: U+10000 to U+10FFFF, allowed
        continue;
      }
    }
    re.lastIndex = 0;
    return { index, codePoint: code };
  }
  re.lastIndex = 0;
  return undefined;
}

/**
 * scanXml for what a serializer alone decides: the markup (tags, attributes, references, comments,
 * CDATA sections), not the characters of the texts it was given, when those were all checked
 * before (as a model's are before it is written, see assertWritableModel).
 */
export function scanMarkup(source: string): ScanIssue | undefined {
  return scanXml(source, undefined, true);
}

/** `U+0007` style label. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Line and column (1-based, columns in characters) of `offset` in `source`. */
export function positionAt(source: string, offset: number): XmlPosition {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  // Columns count characters (code points), as editors do.
  return { line, column: Array.from(before.slice(lineStart)).length + 1 };
}

/*
 * Well-formedness pre-scan, run before xmldom (see xmlSafety.ts). Deliberately a little more
 * permissive than XML about names (xmldom checks those); strict about what xmldom tolerates or
 * mislocates (a bare `&`, undefined entities, end-tag positions); and it finds any DOCTYPE before
 * a parser could act on it.
 */

export type ScanIssue = { kind: 'doctype'; offset: number } | { kind: 'malformed'; offset: number; reason: string };

const REFERENCE = /&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|([^\s&;<>'"]+));/y;
const PREDEFINED_ENTITIES = new Set(['lt', 'gt', 'amp', 'apos', 'quot']);

const TAB = 0x09;
const LF = 0x0a;
const SPACE = 0x20;
const GT = 0x3e;

/** The XML whitespace the scanner skips inside tags (line ends are normalized to LF before). */
function isTagSpace(code: number): boolean {
  return code === SPACE || code === LF || code === TAB;
}

/** Characters that end a name: JavaScript's `\s` and `<>/=?!'"&` (the class the scanner always used). */
const NAME_STOP_ASCII = new Uint8Array(128);
for (const ch of '\t\n\v\f\r <>/=?!\'"&') NAME_STOP_ASCII[ch.charCodeAt(0)] = 1;
function isNameChar(code: number): boolean {
  if (code < 128) return NAME_STOP_ASCII[code] === 0;
  // The non-ASCII members of `\s`.
  return !(
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The end of the name starting at `at` (`at` itself when there is none). */
function nameEnd(source: string, at: number): number {
  let j = at;
  while (j < source.length && isNameChar(source.charCodeAt(j))) j++;
  return j;
}

/**
 * Forward-only finder of the next occurrence of `needle`: the scanner asks for increasing
 * positions, so each stretch of the source is searched once, whatever the number of questions.
 */
function forwardFinder(source: string, needle: string): (from: number) => number {
  let found = -2; // not searched yet
  return (from) => {
    if (found === -1) return -1;
    if (found < from) found = source.indexOf(needle, from);
    return found;
  };
}

/**
 * Elements whose place in the text a scan records: for each start tag whose name `names` accepts,
 * in document order, its offset and the offset just past its end tag (or past the `/>` of an empty
 * element) go to `spans`, two numbers per element. Only meaningful when the scan finds no issue.
 */
export interface ScanTrack {
  names: (name: string) => boolean;
  spans: number[];
}

/**
 * The first issue found in `source` (a DOCTYPE, or what makes it not well-formed), or undefined.
 * With `markupOnly`, characters XML does not allow are not looked for: for a text whose every
 * character was checked before it was written into it (see scanMarkup).
 */
export function scanXml(source: string, track?: ScanTrack, markupOnly = false): ScanIssue | undefined {
  const bad = (offset: number, reason: string): ScanIssue => ({ kind: 'malformed', offset, reason });
  // One native pass for the characters XML forbids (a plain character class: cheap even on megabytes).
  const invalid = markupOnly ? undefined : findInvalidXmlChar(source);
  const nextAmpersand = forwardFinder(source, '&');
  const nextCdataEnd = forwardFinder(source, ']]>');

  /** Checks `&` references in [from, to): only char refs and the five predefined entities exist without a DTD. */
  const checkReferences = (from: number, to: number): ScanIssue | undefined => {
    for (let k = nextAmpersand(from); k >= 0 && k < to; k = nextAmpersand(k + 1)) {
      // A match cannot run past `to`: it stops at "<" or a quote, which none of its parts accepts.
      REFERENCE.lastIndex = k;
      const m = REFERENCE.exec(source);
      if (!m) return bad(k, 'a bare "&" must be written as &amp;');
      if (m[3] !== undefined) {
        if (!PREDEFINED_ENTITIES.has(m[3])) return bad(k, `undefined entity &${m[3]};`);
      } else {
        const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2], 16);
        if (!(code <= 0x10ffff) || findInvalidXmlChar(String.fromCodePoint(code))) {
          return bad(k, `character reference ${m[0]} is not an XML character`);
        }
      }
    }
    return undefined;
  };

  /** Open elements; `span` is the index in `track.spans` of a tracked element's start (-1 for others). */
  const stack: Array<{ name: string; offset: number; span: number }> = [];
  let rootSeen = false;
  let i = 0;
  const n = source.length;

  while (i < n) {
    const lt = source.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (invalid && invalid.index < textEnd) {
      return bad(invalid.index, `character ${codePointLabel(invalid.codePoint)} is not allowed in XML`);
    }
    if (textEnd > i) {
      if (stack.length === 0) {
        for (let k = i; k < textEnd; k++) {
          if (!isTagSpace(source.charCodeAt(k))) return bad(k, rootSeen ? 'content after the root element' : 'text before the root element');
        }
      }
      // "]]>" contains no "<": an occurrence starting before textEnd lies entirely in this text.
      const cdataEnd = nextCdataEnd(i);
      if (cdataEnd >= 0 && cdataEnd < textEnd) return bad(cdataEnd, '"]]>" is not allowed in text');
      const refIssue = checkReferences(i, textEnd);
      if (refIssue) return refIssue;
    }
    if (lt < 0) break;
    i = lt;
    const next = source.charCodeAt(i + 1);

    if (next === 0x21 /* ! */) {
      if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i + 4);
        if (end < 0) return bad(i, 'comment not terminated');
        const body = source.slice(i + 4, end);
        if (body.includes('--') || body.endsWith('-')) return bad(i, '"--" is not allowed inside a comment');
        i = end + 3;
        continue;
      }
      if (source.startsWith('<![CDATA[', i)) {
        if (stack.length === 0) return bad(i, 'CDATA section outside the root element');
        const end = source.indexOf(']]>', i + 9);
        if (end < 0) return bad(i, 'CDATA section not terminated');
        i = end + 3;
        continue;
      }
      if (/^<!DOCTYPE/i.test(source.slice(i, i + 9))) return { kind: 'doctype', offset: i };
      return bad(i, 'markup declarations are not allowed');
    }
    if (next === 0x3f /* ? */) {
      const end = source.indexOf('?>', i + 2);
      if (end < 0) return bad(i, 'processing instruction not terminated');
      const target = /^[^\s?]*/.exec(source.slice(i + 2, end))?.[0] ?? '';
      if (!target) return bad(i, 'processing instruction without a target');
      if (target.toLowerCase() === 'xml' && i !== 0) return bad(i, 'the XML declaration is allowed only at the very start of the file');
      i = end + 2;
      continue;
    }
    if (next === 0x2f /* / */) {
      const nameStop = nameEnd(source, i + 2);
      if (nameStop === i + 2) return bad(i, 'end tag without a name');
      const name = source.slice(i + 2, nameStop);
      let j = nameStop;
      while (j < n && isTagSpace(source.charCodeAt(j))) j++;
      if (j >= n || source.charCodeAt(j) !== GT) return bad(j, `end tag </${name}> not closed with ">"`);
      const open = stack.pop();
      if (!open) return bad(i, `end tag </${name}> without a start tag`);
      if (open.name !== name) {
        const at = positionAt(source, open.offset);
        return bad(i, `end tag </${name}> does not match start tag <${open.name}> (line ${at.line}, column ${at.column})`);
      }
      if (open.span >= 0 && track) track.spans[open.span + 1] = j + 1;
      i = j + 1;
      continue;
    }

    // Start tag.
    if (rootSeen && stack.length === 0) return bad(i, 'content after the root element');
    const nameStop = nameEnd(source, i + 1);
    if (nameStop === i + 1) return bad(i, '"<" must be written as &lt; in text');
    const name = source.slice(i + 1, nameStop);
    let j = nameStop;
    let firstAttribute: string | undefined;
    let attributes: Set<string> | undefined;
    // No "<" can precede an attribute value in the tag (the loop stops at one), so the first "<"
    // after the tag's own is the first after any of its values.
    let nextLt = -2;
    let selfClosing = false;
    for (;;) {
      const wsStart = j;
      while (j < n && isTagSpace(source.charCodeAt(j))) j++;
      if (j >= n) return bad(i, `start tag <${name}> not closed`);
      const c = source.charCodeAt(j);
      if (c === 0x2f /* / */ && source.charCodeAt(j + 1) === GT) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (c === GT) {
        j++;
        break;
      }
      if (j === wsStart) return bad(j, `whitespace required before an attribute in <${name}>`);
      const attrStop = nameEnd(source, j);
      if (attrStop === j) return bad(j, `unexpected character in start tag <${name}>`);
      const attr = source.slice(j, attrStop);
      if (firstAttribute === undefined) {
        firstAttribute = attr;
      } else {
        attributes ??= new Set([firstAttribute]);
        if (attributes.has(attr)) return bad(j, `attribute ${attr} appears twice in <${name}>`);
        attributes.add(attr);
      }
      j = attrStop;
      while (j < n && isTagSpace(source.charCodeAt(j))) j++;
      if (source.charCodeAt(j) !== 0x3d /* = */) return bad(j, `attribute ${attr} of <${name}> has no value`);
      j++;
      while (j < n && isTagSpace(source.charCodeAt(j))) j++;
      const quote = source.charCodeAt(j);
      if (quote !== 0x22 && quote !== 0x27) return bad(j, `value of attribute ${attr} must be quoted`);
      const end = source.indexOf(quote === 0x22 ? '"' : "'", j + 1);
      if (end < 0) return bad(j, `value of attribute ${attr} not terminated`);
      if (nextLt === -2) nextLt = source.indexOf('<', j + 1);
      if (nextLt >= 0 && nextLt < end) return bad(nextLt, `"<" is not allowed in the value of attribute ${attr}`);
      const refIssue = checkReferences(j + 1, end);
      if (refIssue) return refIssue;
      j = end + 1;
    }
    rootSeen = true;
    let span = -1;
    if (track && track.names(name)) {
      span = track.spans.length;
      track.spans.push(i, j);
    }
    if (!selfClosing) stack.push({ name, offset: i, span });
    i = j;
  }

  if (invalid) return bad(invalid.index, `character ${codePointLabel(invalid.codePoint)} is not allowed in XML`);
  const open = stack.pop();
  if (open) {
    const at = positionAt(source, open.offset);
    return bad(n, `unexpected end of file: <${open.name}> (line ${at.line}, column ${at.column}) is not closed`);
  }
  if (!rootSeen) return bad(n, 'no root element');
  return undefined;
}
