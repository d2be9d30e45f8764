/**
 * Another tool's XLIFF file (1.x from memoQ, Trados Studio, Okapi, Passolo…, or 2.0) as a document to translate:
 * each segment of it is a paragraph, its inline codes placeholders (see inlineCodes), and the file
 * is given back to that tool with the translations in its `<target>`s, every code, id and all else
 * as the tool wrote it.
 *
 * A segment is a Trados `<mrk mtype="seg">` of a unit's `<seg-source>`, else a unit's `<source>`
 * (2.0: each `<segment>` of a `<unit>`).
 * Units marked translate="no", binary units and segments with no words (codes alone, as Trados
 * keeps a document's layout) are kept as they are and are not paragraphs.
 */
import type { Document, Element } from '@xmldom/xmldom';
import type { Block } from '../domain/segmentMarkdown';
import type { DocumentMeta, Segment, Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { childElements, isElement } from './domEdit';
import { placeholderProblem, withoutPlaceholders } from '../domain/placeholders';
import { codedText, UncodableText, writeCoded, type CodedText, type CodeOrigin } from './inlineCodes';
import { MEMOQ_NS, SDL_NS } from './toolStates';
import { parseXmlSafely, serializeXmlDocument } from './xmlSafety';
import { XLIFF20_NS } from './xliff20';
import { translatable, unitsIn } from './xliffReading';

const XLIFF_1_NAMESPACES = new Set(['urn:oasis:names:tc:xliff:document:1.2', 'urn:oasis:names:tc:xliff:document:1.1', 'urn:oasis:names:tc:xliff:document:1.0']);

/** One segment of the file, where it is, and its text with placeholders. */
interface FileSegment {
  unit: Element;
  /** The element holding the source text: `<source>`, or a segment `<mrk>` of `<seg-source>`. */
  source: Element;
  /** XLIFF 2.0: the `<segment>` the source is in (its `<target>` and `state` go there). */
  segment2?: Element;
  /** The segment's `mid` when the unit is cut into Trados segments. */
  mid?: string;
  coded: CodedText;
  /** Its words: a segment of codes alone is no paragraph. */
  hasWords: boolean;
}

/** The file parsed, and its segments in order. */
function segmentsOf(content: string, file: string): { doc: Document; root: Element; ns: string | null; segments: FileSegment[] } {
  const doc = parseXmlSafely(content, { file, malformedCode: 'xliff-malformed' });
  const root = doc.documentElement;
  const is1 = !!root && root.localName === 'xliff' && (root.namespaceURI === null || XLIFF_1_NAMESPACES.has(root.namespaceURI));
  const is2 = !!root && root.localName === 'xliff' && root.namespaceURI === XLIFF20_NS;
  if (!root || !(is1 || is2)) {
    throw new WorkbenchError(422, 'xliff-invalid', `${file} is not an XLIFF file: it cannot be translated as a document`, { params: { file } });
  }
  const ns = root.namespaceURI;
  const segments: FileSegment[] = [];
  const add = (unit: Element, source: Element, extra: { mid?: string; segment2?: Element }): void => {
    let coded: CodedText;
    try {
      coded = codedText(source, ns);
    } catch (err) {
      if (err instanceof UncodableText) return; // kept as it is, not a paragraph
      throw err;
    }
    segments.push({ unit, source, ...extra, coded, hasWords: /[\p{L}\p{N}]/u.test(withoutPlaceholders(coded.text)) });
  };
  for (const fileEl of childElements(root, ns, 'file')) {
    if (is2) {
      // 2.0: units anywhere in <file> (through <group>s), a paragraph per <segment>.
      for (const { el, translate } of unitsIn(fileEl, ns, new Set(['unit']), translatable(fileEl, true))) {
        if (!translate) continue;
        for (const segment of childElements(el, ns, 'segment')) {
          const source = childElements(segment, ns, 'source')[0];
          if (source) add(el, source, { segment2: segment });
        }
      }
      continue;
    }
    const body = childElements(fileEl, ns, 'body')[0];
    if (!body) continue;
    for (const { el, translate } of unitsIn(body, ns, new Set(['trans-unit']), translatable(fileEl, true))) {
      if (!translate) continue;
      const segSource = childElements(el, ns, 'seg-source')[0];
      const marks = segSource ? Array.from(segSource.getElementsByTagNameNS(ns, 'mrk')).filter((mrk) => mrk.getAttribute('mtype') === 'seg') : [];
      if (marks.length > 0) for (const mrk of marks) add(el, mrk, { mid: mrk.getAttribute('mid') ?? '' });
      else {
        const source = childElements(el, ns, 'source')[0];
        if (source) add(el, source, {});
      }
    }
  }
  return { doc, root, ns, segments };
}

/** The paragraph text of a segment: its placeholders and words, without the whitespace around them (kept in the file). */
const paragraphText = (segment: FileSegment): string => segment.coded.text.trim();

/** An XLIFF file (1.x or 2.0) read as a source document: its metadata, and a paragraph per segment with words. */
export function readXliffDocument(content: string, id: string): { meta: DocumentMeta; blocks: Block[] } {
  const { root, ns, segments } = segmentsOf(content, `${id}.xlf`);
  const fileEl = childElements(root, ns, 'file')[0];
  const original = fileEl?.getAttribute('original') ?? '';
  const meta: DocumentMeta = {
    title: original ? original.replace(/^.*[\\/]/, '') : id,
    // 1.x names the languages on each <file>, 2.0 once on the root.
    language: fileEl?.getAttribute('source-language') || root.getAttribute('srcLang') || 'en',
    bilingual: true,
  };
  const blocks: Block[] = segments.filter((segment) => segment.hasWords).map((segment) => ({ kind: 'paragraph', text: paragraphText(segment), translatable: true }));
  return { meta, blocks };
}

/**
 * The file `content` with the translations of `units` (by the document's segments, in order) in
 * its targets, their placeholders turned back into the source's codes, and each translated
 * segment's state set the way its tool reads it: memoQ's `mq:status`, Trados' `sdl:seg conf`, and
 * XLIFF's `state` (and `approved` for an approved one). Untranslated segments are left as they are.
 * Refused (409 'codes-broken', every paragraph named) when a translation's placeholders do not fit
 * its source's, unless `force` (those translations are then left out, not written broken).
 */
export function writeXliffDocument(content: string, segments: readonly Segment[], units: ReadonlyMap<string, Unit>, options: { file: string; targetLanguage: string; force?: boolean }): string {
  const { doc, root, ns, segments: fileSegments } = segmentsOf(content, options.file);
  const withWords = fileSegments.filter((segment) => segment.hasWords);
  const paragraphs = segments.filter((segment) => segment.translatable);
  if (paragraphs.length !== withWords.length) {
    throw new WorkbenchError(409, 'source-changed-on-disk', `${options.file} does not have the paragraphs of the document any more (${withWords.length} in the file, ${paragraphs.length} in the document): update the source first`, { params: { file: options.file } });
  }
  // Every translation whose codes do not fit, before anything is written.
  const broken: string[] = [];
  const taken: { segment: FileSegment; unit: Unit }[] = [];
  withWords.forEach((fileSegment, i) => {
    const unit = units.get(paragraphs[i].id);
    if (!unit?.target) return;
    if (placeholderProblem(fileSegment.coded.text, unit.target)) broken.push(paragraphs[i].id);
    else taken.push({ segment: fileSegment, unit });
  });
  if (broken.length > 0 && !options.force) {
    throw new WorkbenchError(409, 'codes-broken', `${broken.length} translation(s) would break the codes of ${options.file} (placeholders missing, added or out of order): fix them, or export without them with force`, {
      details: { paragraphs: broken },
      params: { count: broken.length, file: options.file },
    });
  }
  if (ns === XLIFF20_NS) {
    if (!root.getAttribute('trgLang')) root.setAttribute('trgLang', options.targetLanguage);
  } else {
    for (const fileEl of childElements(root, ns, 'file')) {
      if (!fileEl.getAttribute('target-language')) fileEl.setAttribute('target-language', options.targetLanguage);
    }
  }
  for (const { segment, unit } of taken) writeSegment(doc, ns, segment, unit, options.file);
  return serializeXmlDocument(doc);
}

/** The translation with the whitespace its source has around its words in the file (a paragraph is trimmed; the file keeps its own). */
function withSourceSpaces(segment: FileSegment, unit: Unit): string {
  const text = segment.coded.text;
  return `${/^\s*/.exec(text)?.[0] ?? ''}${unit.target ?? ''}${/\s*$/.exec(text)?.[0] ?? ''}`;
}

/** The source's code elements the placeholders stand for (both ends of a pair). */
function codeElements(codes: ReadonlyMap<number, CodeOrigin>): Element[] {
  return [...codes.values()].flatMap((origin) => (origin.kind === 'pair' ? [origin.open, origin.close] : [origin.element])).filter((el): el is Element => !!el);
}

/** A Trados target's segment `<mrk>` of `mid`, if it has one. */
function segmentMark(target: Element, ns: string | null, mid: string): Element | undefined {
  return Array.from(target.getElementsByTagNameNS(ns, 'mrk')).find((mrk) => mrk.getAttribute('mtype') === 'seg' && mrk.getAttribute('mid') === mid);
}

/** XLIFF 2.0: the translation in the segment's `<target>` (after its `<source>`), and its `state`. */
function writeSegment2(doc: Document, ns: string | null, segment: FileSegment, segmentEl: Element, unit: Unit, file: string): void {
  let target = childElements(segmentEl, ns, 'target')[0];
  if (!target) {
    target = doc.createElementNS(ns, 'target');
    segmentEl.insertBefore(target, segment.source.nextSibling);
  }
  while (target.firstChild) target.removeChild(target.firstChild);
  writeCoded(target, withSourceSpaces(segment, unit), segment.coded.codes, `${file}, unit ${segment.unit.getAttribute('id') ?? '?'}`);
  segmentEl.setAttribute('state', unit.approved ? 'final' : 'translated');
}

/** Writes one translated segment into its unit's target, and the states its tool reads. */
function writeSegment(doc: Document, ns: string | null, segment: FileSegment, unit: Unit, file: string): void {
  if (segment.segment2) return writeSegment2(doc, ns, segment, segment.segment2, unit, file);
  const tu = segment.unit;
  let target = childElements(tu, ns, 'target')[0];
  if (!target) {
    target = doc.createElementNS(ns, 'target');
    const after = childElements(tu, ns, 'seg-source')[0] ?? childElements(tu, ns, 'source')[0];
    tu.insertBefore(target, after ? after.nextSibling : tu.firstChild);
  }
  let holder: Element = target;
  if (segment.mid !== undefined) {
    // Trados: the target mirrors the seg-source, one segment <mrk> per segment.
    let mark = segmentMark(target, ns, segment.mid);
    if (!mark) {
      if (!Array.from(target.childNodes).some((node) => isElement(node))) {
        // An empty target: the seg-source's structure, its segments emptied.
        while (target.firstChild) target.removeChild(target.firstChild);
        const segSource = segment.source.parentNode as Element;
        for (let node = segSource.firstChild; node; node = node.nextSibling) {
          const copy = node.cloneNode(true) as Element;
          if (isElement(copy) && copy.localName === 'mrk' && copy.getAttribute('mtype') === 'seg') while (copy.firstChild) copy.removeChild(copy.firstChild);
          target.appendChild(copy);
        }
      }
      mark = segmentMark(target, ns, segment.mid);
    }
    if (!mark) {
      mark = doc.createElementNS(ns, 'mrk');
      mark.setAttribute('mtype', 'seg');
      mark.setAttribute('mid', segment.mid);
      target.appendChild(mark);
    }
    holder = mark;
    // A code the tool left outside the segment in its target (Trados puts a segment's leading code
    // there) is in the translation: it is not written twice.
    const inside = new Set(codeElements(segment.coded.codes).map((el) => `${el.localName} ${el.getAttribute('id') ?? ''}`));
    for (const node of Array.from(target.childNodes)) {
      if (isElement(node) && node.localName !== 'mrk' && inside.has(`${node.localName} ${node.getAttribute('id') ?? ''}`)) target.removeChild(node);
    }
  }
  while (holder.firstChild) holder.removeChild(holder.firstChild);
  writeCoded(holder, withSourceSpaces(segment, unit), segment.coded.codes, `${file}, unit ${tu.getAttribute('id') ?? '?'}`);

  const approved = unit.approved;
  if (segment.mid === undefined) target.setAttribute('state', approved ? 'signed-off' : 'translated');
  if (approved) tu.setAttribute('approved', 'yes');
  if (tu.hasAttributeNS(MEMOQ_NS, 'status')) tu.setAttributeNS(MEMOQ_NS, tu.getAttributeNodeNS(MEMOQ_NS, 'status')?.name ?? 'mq:status', approved ? 'Reviewer1Confirmed' : 'Confirmed');
  if (segment.mid !== undefined) {
    const defs = Array.from(tu.getElementsByTagNameNS(SDL_NS, 'seg-defs'))[0];
    let seg = defs ? Array.from(defs.getElementsByTagNameNS(SDL_NS, 'seg')).find((s) => s.getAttribute('id') === segment.mid) : undefined;
    if (defs && !seg) {
      seg = doc.createElementNS(SDL_NS, `${defs.prefix ? `${defs.prefix}:` : ''}seg`);
      seg.setAttribute('id', segment.mid);
      defs.appendChild(seg);
    }
    seg?.setAttribute('conf', approved ? 'ApprovedTranslation' : 'Translated');
  }
}
