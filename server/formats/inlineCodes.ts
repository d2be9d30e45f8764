/**
 * Inline codes of another tool's XLIFF file (1.x or 2.0) as placeholders in a paragraph's text, and back.
 *
 * A code becomes a tag in the text, numbered in the order the source has them, as OmegaT shows
 * them: a standalone code (`<x/>`, `<ph>`, `<it>`, `<bx/>`, `<ex/>`) is `<x1/>`; a code that wraps
 * text (`<g>`, a `<mrk>` that is not a segment) is `<g2>…</g2>`, and so is a pair of `<bpt>` and
 * `<ept>` (matched by `rid`, else `id`). The translator moves the tags with the words; nothing of
 * the code's own content is in the text. Writing a translation back, each tag is replaced by a
 * copy of the source's code, so the tool finds its codes exactly as it wrote them.
 */
import type { Document, Element, Node } from '@xmldom/xmldom';
import { WorkbenchError } from '../errors';
import { CODE_TAG } from '../domain/placeholders';
import { isElement } from './domEdit';

/** What a placeholder stands for in the source: a code alone, an element that wraps text, or a begin/end pair. */
export type CodeOrigin = { kind: 'x'; element: Element } | { kind: 'g'; element: Element } | { kind: 'pair'; open: Element; close?: Element };

/** A text with its codes as placeholders, and what each number stands for. */
export interface CodedText {
  text: string;
  codes: Map<number, CodeOrigin>;
}

/** Elements that stand alone in the text: 1.x codes, 2.0's `<ph>` and its markers `<sm/>`/`<em/>`, and `<cp>` (a character XML cannot hold, kept as the code it is). */
const STANDALONE = new Set(['x', 'ph', 'it', 'bx', 'ex', 'sm', 'em', 'cp']);
/** Elements that wrap text: 1.x `<g>`, `<mrk>`; 2.0 `<pc>`, `<mrk>`. */
const WRAPPING = new Set(['g', 'mrk', 'pc']);

/** Why a text cannot be held with placeholders (a foreign element, its own text looking like one). */
export class UncodableText extends Error {}

/** The text of `container` (a `<source>`, a segment `<mrk>`) with its codes as placeholders. */
export function codedText(container: Element, ns: string | null): CodedText {
  const codes = new Map<number, CodeOrigin>();
  const pairs = new Map<string, number>();
  let next = 1;
  const walk = (parent: Element, depth: number): string => {
    if (depth > 64) throw new UncodableText('inline elements nested more than 64 deep');
    let out = '';
    for (let node: Node | null = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3 /* TEXT_NODE */ || node.nodeType === 4 /* CDATA_SECTION_NODE */) {
        const text = (node as unknown as { data: string }).data;
        CODE_TAG.lastIndex = 0;
        if (CODE_TAG.test(text)) throw new UncodableText(`its text holds "${text.match(CODE_TAG)?.[0] ?? ''}", which reads as a placeholder`);
        out += text;
        continue;
      }
      if (!isElement(node)) continue;
      if (node.namespaceURI !== ns) throw new UncodableText(`its text holds a <${node.tagName}> of another vocabulary`);
      const name = node.localName ?? '';
      if (WRAPPING.has(name)) {
        const n = next++;
        codes.set(n, { kind: 'g', element: node });
        out += `<g${n}>${walk(node, depth + 1)}</g${n}>`;
      } else if (name === 'bpt' || name === 'sc') {
        const n = next++;
        codes.set(n, { kind: 'pair', open: node });
        pairs.set(node.getAttribute('rid') || node.getAttribute('id') || `#${n}`, n);
        out += `<g${n}>`;
      } else if (name === 'ept' || name === 'ec') {
        // A 1.x end names its begin by rid (or id); a 2.0 <ec> by startRef.
        const n = pairs.get(node.getAttribute('startRef') || node.getAttribute('rid') || node.getAttribute('id') || '');
        const origin = n === undefined ? undefined : codes.get(n);
        if (n === undefined || origin?.kind !== 'pair' || origin.close) {
          // An end without its begin (it crosses a segment boundary): a code of its own.
          const m = next++;
          codes.set(m, { kind: 'x', element: node });
          out += `<x${m}/>`;
        } else {
          origin.close = node;
          out += `</g${n}>`;
        }
      } else if (STANDALONE.has(name)) {
        const n = next++;
        codes.set(n, { kind: 'x', element: node });
        out += `<x${n}/>`;
      } else {
        throw new UncodableText(`its text holds a <${name}>, which is not an inline element of XLIFF`);
      }
    }
    return out;
  };
  const text = walk(container, 0);
  // A begin whose end is in another segment stands alone, as a code of its own.
  let result = text;
  for (const [n, origin] of codes) {
    if (origin.kind === 'pair' && !origin.close) {
      codes.set(n, { kind: 'x', element: origin.open });
      result = result.replace(`<g${n}>`, `<x${n}/>`);
    }
  }
  return { text: result, codes };
}

/**
 * Fills `into` (an empty `<target>` or segment `<mrk>`) with `text`, each placeholder replaced by a
 * copy of the source's code it stands for. Throws 409 'codes-broken' when the placeholders do not
 * fit (see placeholderProblem): the tool would not get its codes back.
 */
export function writeCoded(into: Element, text: string, codes: ReadonlyMap<number, CodeOrigin>, where: string): void {
  const doc = into.ownerDocument as unknown as Document;
  // The elements open where the text goes, each with the number of its placeholder.
  const stack: { element: Element; n: number }[] = [{ element: into, n: 0 }];
  let at = 0;
  const broken = (reason: string): WorkbenchError => new WorkbenchError(409, 'codes-broken', `${where}: ${reason}`, { params: { where, reason } });
  for (const match of text.matchAll(CODE_TAG)) {
    const top = stack[stack.length - 1].element;
    if (match.index > at) top.appendChild(doc.createTextNode(text.slice(at, match.index)));
    at = match.index + match[0].length;
    const [tag, closing, kind, number, selfClosing] = match;
    const n = Number(number);
    const origin = codes.get(n);
    if (!origin) throw broken(`${tag} is not a code of its source`);
    if (kind === 'x') {
      if (origin.kind !== 'x' || !selfClosing || closing) throw broken(`${tag} does not stand for a code of its own`);
      top.appendChild(origin.element.cloneNode(true));
    } else if (origin.kind === 'g') {
      if (selfClosing) throw broken(`${tag} stands for a code that wraps text`);
      if (!closing) {
        const copy = origin.element.cloneNode(false) as Element;
        top.appendChild(copy);
        stack.push({ element: copy, n });
      } else if (stack.length < 2 || stack[stack.length - 1].n !== n) {
        throw broken(`${tag} closes what it did not open`);
      } else {
        stack.pop();
      }
    } else if (origin.kind === 'pair') {
      const element = closing ? origin.close : origin.open;
      if (!element || selfClosing) throw broken(`${tag} does not fit its pair of codes`);
      top.appendChild(element.cloneNode(true));
    } else {
      throw broken(`${tag} does not stand for a pair of codes`);
    }
  }
  if (stack.length > 1) throw broken('a pair of codes is opened and not closed');
  if (at < text.length) stack[0].element.appendChild(doc.createTextNode(text.slice(at)));
}
