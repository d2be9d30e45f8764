import type { Element } from '@xmldom/xmldom';
import { ownerDocumentOf } from './domEdit';

/** One step of indentation in the files the workbench writes. */
const INDENT = '  ';

/** Appends a new element (in namespace `ns` when given) to `parent` on its own line, `depth` steps in. */
export function appendIndented(parent: Element, name: string, depth: number, ns?: string): Element {
  const doc = ownerDocumentOf(parent);
  const el = ns === undefined ? doc.createElement(name) : doc.createElementNS(ns, name);
  parent.appendChild(doc.createTextNode(`\n${INDENT.repeat(depth)}`));
  parent.appendChild(el);
  return el;
}

/** Puts the end tag of an element whose children were appended by `appendIndented` on its own line. */
export function closeIndented(el: Element, depth: number): void {
  el.appendChild(ownerDocumentOf(el).createTextNode(`\n${INDENT.repeat(depth)}`));
}
