/**
 * TMX 1.4b, the translation-memory exchange format: writing a locale's pairs for other tools'
 * memories, and reading other tools' memories as language variants per unit.
 */
import { xmldomPackage } from '../lazyPackages';
import { appendIndented, closeIndented } from './indentedDom';
import type { Element, Node } from '@xmldom/xmldom';
import { WorkbenchError } from '../errors';
import { childElements, isElement, ownerDocumentOf } from './domEdit';
import { codePointLabel, findInvalidXmlChar } from './xmlScan';
import { XML_NS, parseXmlSafely, serializeXmlDocument } from './xmlSafety';

export interface TmxPair {
  /** Becomes the unit's `tuid` (the workbench's segment id). */
  id?: string;
  source: string;
  target: string;
  /** When the translation last changed (anything `Date` parses, ISO 8601 in practice). */
  changedAt?: string;
  /** Who changed it last. */
  changedBy?: string;
}

export interface TmxInput {
  sourceLanguage: string;
  targetLanguage: string;
  pairs: TmxPair[];
  creationTool: string;
  creationToolVersion: string;
}

export interface TmxUnit {
  tuid?: string;
  variants: { lang: string; text: string }[];
}

export interface TmxFile {
  /** The header's `srclang`, unless it is `*all*` (any variant may be the source). */
  sourceLanguage?: string;
  units: TmxUnit[];
  /** `<tu>`s without a single usable variant (a `<tuv>` with a language and a `<seg>`). */
  skipped: number;
}

/** Builds a TMX 1.4b document of translation pairs: one `<tu>` per pair, a `<tuv>` for each language. */
export function buildTmx(input: TmxInput): string {
  const { sourceLanguage, targetLanguage } = input;
  for (const [what, value] of [
    ['source language', sourceLanguage],
    ['target language', targetLanguage],
    ['creation tool', input.creationTool],
    ['creation tool version', input.creationToolVersion],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw new WorkbenchError(400, 'tmx-invalid-model', `the ${what} is missing`);
    refuseInvalidChars(value, what);
  }
  const doc = new (xmldomPackage().DOMImplementation)().createDocument(null, 'tmx', null);
  const root = doc.documentElement as Element;
  root.setAttribute('version', '1.4');
  const header = appendIndented(root, 'header', 1);
  header.setAttribute('creationtool', input.creationTool);
  header.setAttribute('creationtoolversion', input.creationToolVersion);
  header.setAttribute('segtype', 'paragraph');
  header.setAttribute('o-tmf', 'workbench');
  header.setAttribute('adminlang', 'en');
  header.setAttribute('srclang', sourceLanguage);
  header.setAttribute('datatype', 'plaintext');
  const body = appendIndented(root, 'body', 1);
  input.pairs.forEach((pair, i) => {
    const where = pair.id === undefined ? `pair ${i + 1}` : `pair "${pair.id}"`;
    const tu = appendIndented(body, 'tu', 2);
    if (pair.id !== undefined) {
      refuseInvalidChars(pair.id, `id of ${where}`);
      tu.setAttribute('tuid', pair.id);
    }
    if (pair.changedAt !== undefined) tu.setAttribute('changedate', tmxDate(pair.changedAt, where));
    if (pair.changedBy !== undefined) {
      refuseInvalidChars(pair.changedBy, `author of ${where}`);
      tu.setAttribute('changeid', pair.changedBy);
    }
    writeVariant(tu, sourceLanguage, pair.source, `source of ${where}`);
    writeVariant(tu, targetLanguage, pair.target, `target of ${where}`);
    closeIndented(tu, 2);
  });
  if (input.pairs.length > 0) closeIndented(body, 1);
  closeIndented(root, 0);
  return serializeXmlDocument(doc);
}

function writeVariant(tu: Element, lang: string, text: string, what: string): void {
  // TMX has no way to carry a character XML cannot hold (XLIFF 2.0's <cp>): refuse it.
  refuseInvalidChars(text, what);
  const tuv = appendIndented(tu, 'tuv', 3);
  tuv.setAttributeNS(XML_NS, 'xml:lang', lang);
  const seg = appendIndented(tuv, 'seg', 4);
  if (text !== '') seg.appendChild(ownerDocumentOf(seg).createTextNode(text));
  closeIndented(tuv, 3);
}

/** A date as TMX writes it: YYYYMMDDThhmmssZ, in UTC. */
function tmxDate(value: string, where: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new WorkbenchError(400, 'tmx-invalid-model', `the change date of ${where} is not a date: "${value}"`);
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function refuseInvalidChars(text: string, what: string): void {
  const found = findInvalidXmlChar(text);
  if (found) {
    throw new WorkbenchError(400, 'xml-invalid-char', `the ${what} contains ${codePointLabel(found.codePoint)}, which XML cannot hold`, {
      details: { field: what, index: found.index },
    });
  }
}

/**
 * Reads a TMX file (1.1 to 1.4b): each `<tu>` as its language variants. Unsafe or malformed XML is
 * refused by parseXmlSafely (400 'xml-doctype-forbidden', 422 'tmx-malformed' with line and
 * column); a root that is not `<tmx version="1.x">` is 422 'tmx-unsupported'.
 */
export function readTmx(content: string, ctx: { file: string }): TmxFile {
  const { file } = ctx;
  const root = parseXmlSafely(content, { file, malformedCode: 'tmx-malformed' }).documentElement;
  const unsupported = (reason: string): WorkbenchError => new WorkbenchError(422, 'tmx-unsupported', `${file}: ${reason}`, { details: { file }, params: { file, reason } });
  if (!root || root.localName !== 'tmx' || root.namespaceURI !== null) {
    throw unsupported(`not a TMX file: the root element is <${root?.tagName ?? ''}>, not <tmx>`);
  }
  const version = root.getAttribute('version') ?? '';
  if (!/^1\.[1-4]b?$/.test(version)) throw unsupported(`TMX version ${JSON.stringify(version)} is not supported (1.1 to 1.4b are)`);

  const result: TmxFile = { units: [], skipped: 0 };
  const header = childElements(root, null, 'header')[0];
  const srclang = header?.getAttribute('srclang');
  if (srclang && srclang !== '*all*') result.sourceLanguage = srclang;
  for (const body of childElements(root, null, 'body')) {
    for (const tu of childElements(body, null, 'tu')) {
      const variants: TmxUnit['variants'] = [];
      for (const tuv of childElements(tu, null, 'tuv')) {
        // TMX 1.4 says xml:lang; 1.1 to 1.3 said lang.
        const lang = tuv.getAttributeNS(XML_NS, 'lang') || tuv.getAttribute('lang');
        const seg = childElements(tuv, null, 'seg')[0];
        if (lang && seg) variants.push({ lang, text: segText(seg) });
      }
      if (variants.length === 0) {
        result.skipped++;
        continue;
      }
      const unit: TmxUnit = { variants };
      if (tu.hasAttribute('tuid')) unit.tuid = tu.getAttribute('tuid') ?? '';
      result.units.push(unit);
    }
  }
  return result;
}

/**
 * Inline elements whose content is native code of the original format (`<b>`, an RTF control word,
 * a placeholder's markup): not text a reader sees, and nothing the workbench, which keeps plain
 * text, could store. Their content is dropped.
 */
const CODES = new Set(['bpt', 'ept', 'ph', 'it', 'ut']);

/**
 * The text of a `<seg>`. `<hi>` only marks a stretch of the sentence (a term, a highlight): its
 * text is the sentence's. `<sub>` holds translatable text carried inside a code (a footnote, an
 * alternative text): its words are text people read, so it is kept, even inside a dropped code.
 */
function segText(seg: Element): string {
  let out = '';
  // Each open element with whether text directly in it is kept; walked without recursion.
  const stack: { next: Node | null; keep: boolean }[] = [{ next: seg.firstChild, keep: true }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const node = top.next;
    if (!node) {
      stack.pop();
      continue;
    }
    top.next = node.nextSibling;
    if (node.nodeType === 3 /* TEXT_NODE */ || node.nodeType === 4 /* CDATA_SECTION_NODE */) {
      if (top.keep) out += (node as unknown as { data: string }).data;
    } else if (isElement(node)) {
      const name = node.localName ?? '';
      stack.push({ next: node.firstChild, keep: name === 'sub' ? true : CODES.has(name) ? false : top.keep });
    }
  }
  return out;
}
