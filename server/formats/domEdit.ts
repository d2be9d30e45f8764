/**
 * Small helpers to edit an xmldom tree in place while keeping it readable: new elements get the
 * indentation of their siblings, removed ones take their leading whitespace with them. Only
 * element-only content is indented; text content is never touched here.
 */
import type { Document, Element, Node, Text } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const INDENT_STEP = '  ';

export function isElement(node: Node | null | undefined): node is Element {
  return !!node && node.nodeType === ELEMENT_NODE;
}

/**
 * Direct element children, optionally only those in namespace `ns` (null: in no namespace, as in
 * XLIFF 1.0 and TMX) with local name `name`.
 */
export function childElements(parent: Node, ns?: string | null, name?: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (!isElement(node)) continue;
    if (ns !== undefined && node.namespaceURI !== ns) continue;
    if (name !== undefined && node.localName !== name) continue;
    out.push(node);
  }
  return out;
}

export function firstChildElement(parent: Node, ns: string, name: string): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.namespaceURI === ns && node.localName === name) return node;
  }
  return undefined;
}

/** Creates an element in `ns`, reusing the prefix `context` uses for that namespace (if any). */
export function createElementLike(context: Element, ns: string, localName: string): Element {
  const doc = ownerDocumentOf(context);
  const prefix = context.namespaceURI === ns ? context.prefix : context.lookupPrefix(ns);
  return doc.createElementNS(ns, prefix ? `${prefix}:${localName}` : localName);
}

/** `el.textContent`, without walking the subtree in the usual case of at most one text child. */
export function textOf(el: Element): string {
  const first = el.firstChild;
  if (!first) return '';
  if (!first.nextSibling && (first.nodeType === TEXT_NODE || first.nodeType === CDATA_SECTION_NODE)) return (first as Text).data;
  return el.textContent ?? '';
}

/** The first element child of `parent`, whatever its name. */
export function firstElementChild(parent: Node): Element | undefined {
  for (let node = parent.firstChild; node; node = node.nextSibling) if (isElement(node)) return node;
  return undefined;
}

/** Replaces the content of `el` by `text` unless its text content already equals it (inline markup then survives). */
export function setTextIfChanged(el: Element, text: string): void {
  if (textOf(el) === text) return;
  while (el.firstChild) el.removeChild(el.firstChild);
  if (text !== '') el.appendChild(ownerDocumentOf(el).createTextNode(text));
}

/** Sets an attribute only when its value differs (keeps attribute order and avoids needless churn). */
export function setAttributeIfChanged(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** The document `node` belongs to (elements always have one). */
export function ownerDocumentOf(node: Node): Document {
  const doc = node.ownerDocument;
  if (!doc) throw new Error('node has no owner document');
  return doc;
}

function isWhitespaceText(node: Node | null | undefined): node is Text {
  return !!node && node.nodeType === TEXT_NODE && /^[ \t\n\r]*$/.test((node as Text).data);
}

function depth(node: Node): number {
  let d = 0;
  for (let p = node.parentNode; p && isElement(p); p = p.parentNode) d++;
  return d;
}

/** The indentation of the line `el` starts on, when it starts its own line. */
export function indentOf(el: Element): string {
  const prev = el.previousSibling;
  if (isWhitespaceText(prev) && prev.data.includes('\n')) return prev.data.slice(prev.data.lastIndexOf('\n') + 1);
  return INDENT_STEP.repeat(depth(el));
}

/** The indentation of `parent`'s children: that of its first child on its own line, else one step deeper than it. */
export function childIndent(parent: Element): string {
  for (const child of childElements(parent)) {
    const prev = child.previousSibling;
    if (isWhitespaceText(prev) && prev.data.includes('\n')) return prev.data.slice(prev.data.lastIndexOf('\n') + 1);
  }
  return indentOf(parent) + indentStep(parent);
}

/** The file's indentation step, as seen between `el` and its parent (two spaces when unknown). */
function indentStep(el: Element): string {
  const parent = el.parentNode;
  if (isElement(parent)) {
    const inner = indentOf(el);
    const outer = indentOf(parent);
    if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  }
  return INDENT_STEP;
}

/**
 * Inserts `child` into element-only `parent` before `before` (null: after the last element child),
 * on its own line, indented like its siblings.
 */
export function insertChild(parent: Element, child: Element, before: Node | null): void {
  const doc = ownerDocumentOf(parent);
  const indent = childIndent(parent);
  const last = childElements(parent).at(-1);
  if (!last) {
    // Empty (or whitespace-only) parent: open it up.
    for (let node = parent.firstChild; node; ) {
      const next = node.nextSibling;
      if (isWhitespaceText(node)) parent.removeChild(node);
      node = next;
    }
    parent.appendChild(doc.createTextNode(`\n${indent}`));
    parent.appendChild(child);
    parent.appendChild(doc.createTextNode(`\n${indentOf(parent)}`));
  } else if (before === null) {
    insertAfter(last, child);
  } else {
    parent.insertBefore(child, before);
    parent.insertBefore(doc.createTextNode(`\n${indent}`), before);
  }
}

/**
 * Inserts `child` right after `ref`, on its own line with the same indentation.
 *
 * xmldom re-indexes a parent's whole child list on every insertion that is not an append, so
 * inserting after the last element (followed only by the closing line's whitespace) is done with
 * appends: the trailing text node takes the new line's whitespace and a new one closes the parent.
 * The serialized result is the same either way.
 */
export function insertAfter(ref: Element, child: Element): void {
  const parent = ref.parentNode;
  if (!parent) throw new Error('insertAfter: reference element has no parent');
  const doc = ownerDocumentOf(ref);
  const separator = `\n${indentOf(ref)}`;
  const next = ref.nextSibling;
  if (next && next === parent.lastChild && next.nodeType === TEXT_NODE) {
    const trailing = next as Text;
    const closing = trailing.data;
    trailing.replaceData(0, trailing.length, separator);
    parent.appendChild(child);
    parent.appendChild(doc.createTextNode(closing));
    return;
  }
  const ws = doc.createTextNode(separator);
  parent.insertBefore(ws, next);
  parent.insertBefore(child, ws.nextSibling);
}

/**
 * Appends `children` to element-only `parent`, which must have no child nodes yet, one per line:
 * the same result as inserting them one by one with insertChild, in a single linear pass.
 */
export function appendChildLines(parent: Element, children: Iterable<Element>): void {
  if (parent.firstChild) throw new Error('appendChildLines: the parent is not empty');
  const doc = ownerDocumentOf(parent);
  let separator: string | undefined;
  for (const child of children) {
    separator ??= `\n${childIndent(parent)}`;
    parent.appendChild(doc.createTextNode(separator));
    parent.appendChild(child);
  }
  if (separator !== undefined) parent.appendChild(doc.createTextNode(`\n${indentOf(parent)}`));
}

/** Removes `el` and the whitespace that put it on its own line. */
export function removeElement(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  const prev = el.previousSibling;
  if (isWhitespaceText(prev)) parent.removeChild(prev);
  parent.removeChild(el);
}

/**
 * Removes every element of `elements` (those without a parent are skipped, duplicates count once)
 * and, like removeElement, the whitespace that put it on its own line; a parent left without any
 * element child (an emptied `<group>`) stays. Costs one pass over the children of each parent
 * involved, however many are removed from it.
 *
 * xmldom rebuilds a parent's whole child list (`childNodes`) from its sibling chain on every
 * removal, so removing k of a parent's n children one by one costs k passes of n (1,000 units out
 * of a 16,000-unit body: over half a second). Here all but one of a parent's nodes to remove are
 * unlinked from the sibling chain directly, as xmldom's own removal does it, and the last one goes
 * through removeChild: the child list is then rebuilt once, and the document's change counter (for
 * live node lists) bumped, by xmldom itself.
 */
export function removeElements(elements: Iterable<Element>): void {
  const byParent = new Map<Node, Set<Node>>();
  for (const el of elements) {
    const parent = el.parentNode;
    if (!parent) continue;
    let doomed = byParent.get(parent);
    if (!doomed) byParent.set(parent, (doomed = new Set()));
    // Read before anything is unlinked: the whitespace right before the element in the file.
    const prev = el.previousSibling;
    if (isWhitespaceText(prev)) doomed.add(prev);
    doomed.add(el);
  }
  for (const [parent, doomed] of byParent) {
    const list = parent.childNodes as unknown as { length: number; [index: number]: Node | undefined };
    const before = list.length;
    let last: Node | undefined;
    for (const node of doomed) {
      if (last) unlink(last);
      last = node;
    }
    if (last) parent.removeChild(last);
    // The rebuilt list is shorter by all the nodes removed; xmldom clears only the first stale entry past its end.
    for (let i = list.length; i < before; i++) delete list[i];
  }
}

/** The links between nodes: read-only in xmldom's types, plain properties at run time (its removeChild sets them). */
interface NodeLinks {
  parentNode: Node | null;
  previousSibling: Node | null;
  nextSibling: Node | null;
  firstChild: Node | null;
  lastChild: Node | null;
}

const links = (node: Node): NodeLinks => node as unknown as NodeLinks;

/**
 * Takes `node` out of its parent's sibling chain, as xmldom's removeChild does, but without
 * rebuilding the parent's child list: only for removeElements, which has it rebuilt afterwards.
 */
function unlink(node: Node): void {
  const own = links(node);
  const parent = own.parentNode;
  if (!parent) return;
  const { previousSibling: prev, nextSibling: next } = own;
  if (prev) links(prev).nextSibling = next;
  else links(parent).firstChild = next;
  if (next) links(next).previousSibling = prev;
  else links(parent).lastChild = prev;
  own.parentNode = null;
  own.previousSibling = null;
  own.nextSibling = null;
}
