/**
 * A faster stand-in for xmldom's `new XMLSerializer().serializeToString(document)` that produces
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
import { XMLSerializer } from '@xmldom/xmldom';
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
export function serializeDocument(doc: Document): string {
  if ((doc as unknown as { type?: string }).type === 'html') return new XMLSerializer().serializeToString(doc);
  try {
    return serializeChildren(doc);
  } catch (err) {
    if (err instanceof Unsupported) return new XMLSerializer().serializeToString(doc);
    throw err;
  }
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

function escapeText(data: string): string {
  return TEXT_SPECIAL.test(data) ? data.replace(/[<&>]/g, encode) : data;
}

function escapeAttribute(value: string): string {
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

/**
 * The document's children, walked without recursion (deeply nested files are legal). The output
 * grows as one string: V8 concatenates strings as ropes, cheaper here than joining an array.
 */
function serializeChildren(doc: Document): string {
  let out = '';
  // xmldom's nodeSerializeToString: the document element's namespace starts in scope, unprefixed,
  // when no prefix is bound to it.
  let initial: InScope[] = [];
  const root = doc.documentElement;
  if (root && root.namespaceURI && root.prefix == null && root.lookupPrefix(root.namespaceURI) == null) {
    initial = [{ namespace: root.namespaceURI, prefix: null }];
  }

  // For each open element: its closing tag and the namespaces in scope for its children.
  const closing: string[] = [];
  const scopes: InScope[][] = [initial];
  const tag: StartTag = { text: '', name: '', inScope: initial };
  let node: Node | null = doc.firstChild;
  while (node) {
    switch (node.nodeType) {
      case ELEMENT_NODE: {
        const el = node as Element;
        startTag(el, scopes[scopes.length - 1], tag);
        out += tag.text;
        if (el.firstChild) {
          out += '>';
          closing.push(tag.name);
          scopes.push(tag.inScope);
          node = el.firstChild;
          continue;
        }
        out += '/>';
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
      if (!node || node === doc) {
        node = null;
        break;
      }
      out += `</${closing.pop()}>`;
      scopes.pop();
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
