/** A small XML well-formedness scanner with exact error positions (no DTD support: DOCTYPE is reported). */

/** Characters outside the XML 1.0 `Char` production (lone surrogates included, thanks to the `u` flag). */
const INVALID_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface XmlPosition {
  line: number;
  column: number;
}

/** The first character not allowed in XML 1.0, or undefined. */
export function findInvalidXmlChar(text: string): { index: number; codePoint: number } | undefined {
  const m = INVALID_XML_CHAR.exec(text);
  return m ? { index: m.index, codePoint: m[0].codePointAt(0) ?? 0 } : undefined;
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

const NAME = /[^\s<>/=?!'"&]+/y;
const REFERENCE = /&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|([^\s&;<>'"]+));/y;
const PREDEFINED_ENTITIES = new Set(['lt', 'gt', 'amp', 'apos', 'quot']);

function matchAt(re: RegExp, source: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(source);
}

/** Checks `&` references in [from, to): only char refs and the five predefined entities exist without a DTD. */
function checkReferences(source: string, from: number, to: number): ScanIssue | undefined {
  // Search a slice: indexOf on the whole source would rescan the rest of the file for every text node.
  const text = source.slice(from, to);
  for (let t = text.indexOf('&'); t >= 0; t = text.indexOf('&', t + 1)) {
    const k = from + t;
    const m = matchAt(REFERENCE, text, t);
    if (!m) return { kind: 'malformed', offset: k, reason: 'a bare "&" must be written as &amp;' };
    if (m[3] !== undefined) {
      if (!PREDEFINED_ENTITIES.has(m[3])) return { kind: 'malformed', offset: k, reason: `undefined entity &${m[3]};` };
    } else {
      const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2], 16);
      if (!(code <= 0x10ffff) || findInvalidXmlChar(String.fromCodePoint(code))) {
        return { kind: 'malformed', offset: k, reason: `character reference ${m[0]} is not an XML character` };
      }
    }
  }
  return undefined;
}

export function scanXml(source: string): ScanIssue | undefined {
  const bad = (offset: number, reason: string): ScanIssue => ({ kind: 'malformed', offset, reason });
  const invalid = findInvalidXmlChar(source);
  const stack: Array<{ name: string; offset: number }> = [];
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
        const stray = source.slice(i, textEnd).search(/[^ \t\n]/);
        if (stray >= 0) return bad(i + stray, rootSeen ? 'content after the root element' : 'text before the root element');
      }
      const cdataEnd = source.slice(i, textEnd).indexOf(']]>');
      if (cdataEnd >= 0) return bad(i + cdataEnd, '"]]>" is not allowed in text');
      const refIssue = checkReferences(source, i, textEnd);
      if (refIssue) return refIssue;
    }
    if (lt < 0) break;
    i = lt;

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
    if (source.startsWith('<!', i)) return bad(i, 'markup declarations are not allowed');
    if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i + 2);
      if (end < 0) return bad(i, 'processing instruction not terminated');
      const target = /^[^\s?]*/.exec(source.slice(i + 2, end))?.[0] ?? '';
      if (!target) return bad(i, 'processing instruction without a target');
      if (target.toLowerCase() === 'xml' && i !== 0) return bad(i, 'the XML declaration is allowed only at the very start of the file');
      i = end + 2;
      continue;
    }
    if (source.startsWith('</', i)) {
      const name = matchAt(NAME, source, i + 2)?.[0];
      if (!name) return bad(i, 'end tag without a name');
      let j = i + 2 + name.length;
      while (j < n && ' \t\n'.includes(source[j])) j++;
      if (source[j] !== '>') return bad(j, `end tag </${name}> not closed with ">"`);
      const open = stack.pop();
      if (!open) return bad(i, `end tag </${name}> without a start tag`);
      if (open.name !== name) {
        const at = positionAt(source, open.offset);
        return bad(i, `end tag </${name}> does not match start tag <${open.name}> (line ${at.line}, column ${at.column})`);
      }
      i = j + 1;
      continue;
    }

    // Start tag.
    if (rootSeen && stack.length === 0) return bad(i, 'content after the root element');
    const name = matchAt(NAME, source, i + 1)?.[0];
    if (!name) return bad(i, '"<" must be written as &lt; in text');
    let j = i + 1 + name.length;
    const attributes = new Set<string>();
    let selfClosing = false;
    for (;;) {
      const wsStart = j;
      while (j < n && ' \t\n'.includes(source[j])) j++;
      if (j >= n) return bad(i, `start tag <${name}> not closed`);
      if (source.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (source[j] === '>') {
        j++;
        break;
      }
      if (j === wsStart) return bad(j, `whitespace required before an attribute in <${name}>`);
      const attr = matchAt(NAME, source, j)?.[0];
      if (!attr) return bad(j, `unexpected character in start tag <${name}>`);
      if (attributes.has(attr)) return bad(j, `attribute ${attr} appears twice in <${name}>`);
      attributes.add(attr);
      j += attr.length;
      while (j < n && ' \t\n'.includes(source[j])) j++;
      if (source[j] !== '=') return bad(j, `attribute ${attr} of <${name}> has no value`);
      j++;
      while (j < n && ' \t\n'.includes(source[j])) j++;
      const quote = source[j];
      if (quote !== '"' && quote !== "'") return bad(j, `value of attribute ${attr} must be quoted`);
      const end = source.indexOf(quote, j + 1);
      if (end < 0) return bad(j, `value of attribute ${attr} not terminated`);
      const lessThan = source.indexOf('<', j + 1);
      if (lessThan >= 0 && lessThan < end) return bad(lessThan, `"<" is not allowed in the value of attribute ${attr}`);
      const refIssue = checkReferences(source, j + 1, end);
      if (refIssue) return refIssue;
      j = end + 1;
    }
    rootSeen = true;
    if (!selfClosing) stack.push({ name, offset: i });
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
