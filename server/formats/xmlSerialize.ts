/**
 * A faster stand-in for xmldom's `new (xmldomPackage().XMLSerializer)().serializeToString(document)` that produces
 * the same text, character for character, for the documents the workbench handles: elements,
 * attributes, text, CDATA sections, comments and processing instructions, in an XML (not HTML)
 * document. Anything else (a DocumentType, an entity reference, an HTML document, an element in the
 * XHTML namespace) is handed to xmldom itself.
 *
 * It follows xmldom 0.9's algorithm step by step (namespace bookkeeping included: which prefix an
 * element is written with, which `xmlns` declarations are added), without what makes xmldom's slow
 * on megabytes: a closure-driven tree walk allocating a frame per node, and a copy of the in-scope
 * namespace list for every element (here a list is copied only when an element adds to it).
 */
import { xmldomPackage } from '../lazyPackages';
import type { Attr, Document, Element, Node } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
/** xmldom writes empty XHTML elements with an end tag unless they are void: left to xmldom. */
const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

/** A namespace in scope; `prefix` null only for the document element's own namespace (as in xmldom). */
interface InScope {
  prefix: string | null;
  namespace: string | null;
}

class Unsupported extends Error {}

/** Where an element is in a serialized text: from its `<` to just past its end tag (or its `/>`). */
export interface ElementSpan {
  element: Element;
  start: number;
  end: number;
}

/**
 * Elements whose spans a serialization records (in the order their end tags are written); `spans`
 * is set to undefined when the text is written by xmldom's serializer, which gives no positions.
 */
export interface SpanRecorder {
  tracked: ReadonlySet<Element>;
  spans: ElementSpan[] | undefined;
  /**
   * The text to write for an element instead of serializing it, when it gives one (elements that
   * stand for bytes read before: see readSkeletonXliff12). A document serialized with it is never
   * handed to xmldom's serializer, which would write the elements themselves.
   */
  substitute?: (el: Element) => string | undefined;
}

export function serializeDocument(doc: Document, recorder?: SpanRecorder): string {
  if ((doc as unknown as { type?: string }).type !== 'html') {
    try {
      return serializeChildren(doc, initialScope(doc), recorder);
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
    }
  }
  if (recorder?.substitute) throw new Error('serializeDocument: a document with substituted elements cannot be handed to xmldom');
  if (recorder) recorder.spans = undefined;
  return new (xmldomPackage().XMLSerializer)().serializeToString(doc);
}

/**
 * A function giving the text serializeDocument writes for an element (in its document, whose
 * namespace declarations it takes into account), or undefined when the element holds a node only
 * xmldom's serializer writes. What is in scope below each ancestor is worked out once per
 * function, for all the elements it writes: the document must not change while it is used.
 */
export function elementSerializer(): (el: Element) => string | undefined {
  /** The namespaces in scope for the children of a node (undefined: not worked out yet). */
  const below = new Map<Node, InScope[]>();
  const scopeBelow = (node: Node, doc: Document): InScope[] => {
    let scope = below.get(node);
    if (scope) return scope;
    if (node === doc) {
      scope = initialScope(doc);
    } else {
      const parent = node.parentNode;
      if (!parent || node.nodeType !== ELEMENT_NODE) throw new Unsupported();
      const tag: StartTag = { text: '', name: '', inScope: [] };
      startTag(node as Element, scopeBelow(parent, doc), tag);
      scope = tag.inScope;
    }
    below.set(node, scope);
    return scope;
  };
  return (el) => {
    const doc = el.ownerDocument;
    const parent = el.parentNode;
    if (!doc || !parent || (doc as unknown as { type?: string }).type === 'html') return undefined;
    try {
      const tag: StartTag = { text: '', name: '', inScope: [] };
      startTag(el, scopeBelow(parent, doc), tag);
      if (!el.firstChild) return `${tag.text}/>`;
      const { text, name, inScope } = tag;
      return `${text}>${serializeChildren(el, inScope)}</${name}>`;
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  };
}

const TEXT_SPECIAL = /[<&>]/;
const ATTRIBUTE_SPECIAL = /[<>&"\t\n\r]/;

/** xmldom's `_xmlEncoder`. */
function encode(c: string): string {
  switch (c) {
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '&':
      return '&amp;';
    case '"':
      return '&quot;';
    default:
      return `&#${c.charCodeAt(0)};`;
  }
}

/** Text content as the serializer writes it. */
export function escapeText(data: string): string {
  return TEXT_SPECIAL.test(data) ? data.replace(/[<&>]/g, encode) : data;
}

/** An attribute's value as the serializer writes it (between double quotes). */
export function escapeAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(/[<>&"\t\n\r]/g, encode) : value;
}

/** xmldom's `needNamespaceDefine`. */
function needsDeclaration(node: Element | Attr, inScope: readonly InScope[]): boolean {
  const prefix = node.prefix || '';
  const uri = node.namespaceURI;
  if (!uri) return false;
  if ((prefix === 'xml' && uri === XML_NAMESPACE) || uri === XMLNS_NAMESPACE) return false;
  for (let i = inScope.length - 1; i >= 0; i--) {
    if (inScope[i].prefix === prefix) return inScope[i].namespace !== uri;
  }
  return true;
}

function declaration(prefix: string, uri: string | null): string {
  return ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttribute(String(uri))}"`;
}

/** xmldom's nodeSerializeToString: the document element's namespace starts in scope, unprefixed, when no prefix is bound to it. */
function initialScope(doc: Document): InScope[] {
  const root = doc.documentElement;
  if (root && root.namespaceURI && root.prefix == null && root.lookupPrefix(root.namespaceURI) == null) {
    return [{ namespace: root.namespaceURI, prefix: null }];
  }
  return [];
}

/**
 * The children of `container` (a document, or an element whose children see the namespaces
 * `initial`), walked without recursion (deeply nested files are legal). The output grows as one
 * string: V8 concatenates strings as ropes, cheaper here than joining an array.
 */
function serializeChildren(container: Node, initial: InScope[], recorder?: SpanRecorder): string {
  let out = '';
  // For each open element: its closing tag, the namespaces in scope for its children, and where
  // it starts when its span is recorded (-1 when not).
  const closing: string[] = [];
  const scopes: InScope[][] = [initial];
  const starts: number[] = [];
  const opened: Element[] = [];
  const tracked = recorder?.tracked;
  const substitute = recorder?.substitute;
  const tag: StartTag = { text: '', name: '', inScope: initial };
  let node: Node | null = container.firstChild;
  while (node) {
    switch (node.nodeType) {
      case ELEMENT_NODE: {
        const el = node as Element;
        const start = tracked?.has(el) ? out.length : -1;
        const instead = substitute?.(el);
        if (instead !== undefined) {
          out += instead;
          if (start >= 0) recorder?.spans?.push({ element: el, start, end: out.length });
          break;
        }
        startTag(el, scopes[scopes.length - 1], tag);
        out += tag.text;
        if (el.firstChild) {
          out += '>';
          closing.push(tag.name);
          scopes.push(tag.inScope);
          starts.push(start);
          opened.push(el);
          node = el.firstChild;
          continue;
        }
        out += '/>';
        if (start >= 0) recorder?.spans?.push({ element: el, start, end: out.length });
        break;
      }
      case TEXT_NODE:
        out += escapeText((node as unknown as { data: string }).data);
        break;
      case CDATA_SECTION_NODE:
        out += `<![CDATA[${(node as unknown as { data: string }).data.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
        break;
      case COMMENT_NODE:
        out += `<!--${(node as unknown as { data: string }).data}-->`;
        break;
      case PROCESSING_INSTRUCTION_NODE: {
        const pi = node as unknown as { target: string; data: string };
        out += `<?${pi.target} ${pi.data}?>`;
        break;
      }
      default:
        throw new Unsupported();
    }
    // Next node: the next sibling, else close elements on the way up until one has a next sibling.
    while (node && !node.nextSibling) {
      node = node.parentNode;
      if (!node || node === container) {
        node = null;
        break;
      }
      out += `</${closing.pop()}>`;
      scopes.pop();
      const start = starts.pop() as number;
      const el = opened.pop() as Element;
      if (start >= 0) recorder?.spans?.push({ element: el, start, end: out.length });
    }
    node = node && node.nextSibling;
  }
  return out;
}

interface StartTag {
  /** The start tag without its closing `>` or `/>`. */
  text: string;
  /** The name the element is written with. */
  name: string;
  /** The namespaces in scope for its children. */
  inScope: InScope[];
}

/** An element's start tag (xmldom's ELEMENT_NODE case), written into `tag`. */
function startTag(el: Element, inScope: InScope[], tag: StartTag): void {
  const attrs = el.attributes;
  const len = attrs.length;
  const nodeName = el.tagName;
  let name = nodeName;
  const uri = el.namespaceURI;
  if (uri === XHTML_NAMESPACE) throw new Unsupported();
  if (!el.prefix && uri) {
    let defaultNamespace: string | null | undefined;
    for (let i = 0; i < len; i++) {
      const attr = attrs[i];
      if (attr.name === 'xmlns') {
        defaultNamespace = attr.value;
        break;
      }
    }
    if (!defaultNamespace) {
      for (let i = inScope.length - 1; i >= 0; i--) {
        if (inScope[i].prefix === '' && inScope[i].namespace === uri) {
          defaultNamespace = inScope[i].namespace;
          break;
        }
      }
    }
    if (defaultNamespace !== uri) {
      for (let i = inScope.length - 1; i >= 0; i--) {
        if (inScope[i].namespace === uri) {
          if (inScope[i].prefix) name = `${inScope[i].prefix}:${nodeName}`;
          break;
        }
      }
    }
  }
  let text = `<${name}`;

  // The children's scope: the same list unless this element adds to it (xmldom copies it always).
  let scope = inScope;
  for (let i = 0; i < len; i++) {
    const attr = attrs[i];
    if (attr.prefix == 'xmlns') {
      if (scope === inScope) scope = inScope.slice();
      scope.push({ prefix: attr.localName, namespace: attr.value });
    } else if (attr.nodeName == 'xmlns') {
      if (scope === inScope) scope = inScope.slice();
      scope.push({ prefix: '', namespace: attr.value });
    }
  }
  for (let i = 0; i < len; i++) {
    const attr = attrs[i];
    if (needsDeclaration(attr, scope)) {
      const prefix = attr.prefix || '';
      text += declaration(prefix, attr.namespaceURI);
      if (scope === inScope) scope = inScope.slice();
      scope.push({ prefix, namespace: attr.namespaceURI });
    }
    text += ` ${attr.name}="${escapeAttribute(attr.value)}"`;
  }
  if (nodeName === name && needsDeclaration(el, scope)) {
    const prefix = el.prefix || '';
    text += declaration(prefix, uri);
    if (scope === inScope) scope = inScope.slice();
    scope.push({ prefix, namespace: uri });
  }
  tag.text = text;
  tag.name = name;
  tag.inScope = scope;
}
