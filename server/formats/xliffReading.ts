/** What the XLIFF readers of every version share: collecting units, languages, groups and inline text. */
import type { Element, Node } from '@xmldom/xmldom';
import type { InterchangeFile, InterchangeUnit, UnmappedState } from '../domain/interchange';
import { WorkbenchError } from '../errors';
import { isElement } from './domEdit';
import { XLIFF20_NS } from './xliff20';

/** Thrown inside a unit's reading when the unit cannot be imported; the unit goes to `skipped`. */
export class SkipUnit extends Error {}

/** Collects units, their ids unique across the file (a later duplicate is skipped). */
export class Collector {
  readonly units: InterchangeUnit[] = [];
  readonly skipped: { id: string; reason: string }[] = [];
  /** The ids seen, each in its scope (see add). */
  private readonly ids = new Set<string>();

  /**
   * Reads the unit `el` with `read`, or lists it as skipped with the reason. Ids are unique only in
   * their `scope`: XLIFF scopes them per `<file>`, and some tools (Passolo) repeat them across the
   * groups of one file, so the scope is the file and the group the unit is in: the same id in two
   * files, or two groups, is two units; the same id twice in one group is a second unit skipped.
   */
  add(el: Element, translate: boolean, read: (id: string) => InterchangeUnit, scope = '', fallbackId?: string): void {
    // A unit without id (Weblate writes them) is another tool's to name: with `fallbackId` it is read, and matched by its source.
    const id = el.getAttribute('id') || fallbackId || '';
    const line = el.lineNumber ? ` (line ${el.lineNumber})` : '';
    if (id === '') return this.skip(id, `a <${el.localName}> without id${line}`);
    if (!translate) return this.skip(id, 'marked translate="no"');
    const key = `${scope}\u0000${id}`;
    if (this.ids.has(key)) return this.skip(id, `a second unit with this id${line}`);
    try {
      const unit = read(id);
      this.ids.add(key);
      this.units.push(unit);
    } catch (err) {
      if (!(err instanceof SkipUnit)) throw err;
      this.skip(id, err.message);
    }
  }

  skip(id: string, reason: string): void {
    this.skipped.push({ id, reason });
  }
}

/** Languages of several `<file>`s: they must agree (BCP 47 tags compare without case). */
export class Agreement {
  value?: string;
  private seenAt?: Element;
  constructor(
    private readonly which: 'source' | 'target',
    private readonly file: string,
  ) {}

  see(language: string | null, fileEl: Element): void {
    if (!language) return;
    if (this.value === undefined) {
      this.value = language;
      this.seenAt = fileEl;
    } else if (this.value.toLowerCase() !== language.toLowerCase()) {
      const where = (el: Element | undefined): string => (el?.lineNumber ? ` (line ${el.lineNumber})` : '');
      throw new WorkbenchError(
        422,
        'xliff-languages-differ',
        `${this.file}: its <file> elements disagree on the ${this.which} language: "${this.value}"${where(this.seenAt)} and "${language}"${where(fileEl)}`,
        { details: { file: this.file, languages: [this.value, language] } },
      );
    }
  }
}

/** The file read: its languages, units and skipped units. */
export function finish(file: InterchangeFile, collector: Collector, source: string | undefined, target: string | undefined): InterchangeFile {
  if (source !== undefined) file.sourceLanguage = source;
  if (target !== undefined) file.targetLanguage = target;
  file.units = collector.units;
  file.skipped = collector.skipped;
  // The states without meaning here, counted, each with how its units were read.
  const unmapped = new Map<string, UnmappedState>();
  for (const unit of collector.units) {
    if (unit.unmappedState === undefined) continue;
    const key = `${unit.unmappedState}\u0000${unit.status}`;
    const seen = unmapped.get(key);
    if (seen) seen.units++;
    else unmapped.set(key, { state: unit.unmappedState, units: 1, readAs: unit.status });
  }
  if (unmapped.size > 0) file.unmappedStates = [...unmapped.values()];
  return file;
}

/** Whether an element is to be translated: its own translate="yes|no", else what it inherits. */
export function translatable(el: Element, inherited: boolean): boolean {
  const value = el.getAttribute('translate');
  return value === 'no' ? false : value === 'yes' ? true : inherited;
}

/**
 * The unit elements under `container` in document order, through nested `<group>`s, each with
 * whether it is to be translated (groups pass translate="no" down). Walked with a stack of its
 * own: nesting as deep as the file likes cannot overflow the call stack.
 */
export function unitsIn(container: Element, ns: string | null, names: ReadonlySet<string>, translate: boolean): { el: Element; translate: boolean; group: number }[] {
  const out: { el: Element; translate: boolean; group: number }[] = [];
  // Groups are numbered as met (0: no group), each unit with the number of the group it is in.
  let groups = 0;
  const stack: { next: Node | null; translate: boolean; group: number }[] = [{ next: container.firstChild, translate, group: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const node = top.next;
    if (!node) {
      stack.pop();
      continue;
    }
    top.next = node.nextSibling;
    if (!isElement(node) || node.namespaceURI !== ns) continue;
    if (node.localName === 'group') stack.push({ next: node.firstChild, translate: translatable(node, top.translate), group: ++groups });
    else if (names.has(node.localName ?? '')) out.push({ el: node, translate: translatable(node, top.translate), group: top.group });
  }
  return out;
}

/** 2.0 `<sm/>`/`<em/>` only mark where an annotation starts and ends, and hold no text. */
const MARKERS_2 = new Set(['sm', 'em']);

/**
 * The text of a `<source>`/`<target>`: its text, and the text inside wrapping inline elements, with
 * the formatting our Markdown can hold written as Markdown: a 1.x `<g ctype="bold">` (or
 * `x-html-b`, `x-html-strong`) as `**…**`, an italic one as `*…*`; a 2.0 `<pc>` by its `subType`
 * (`xlf:b`, `xlf:i`), or by its original data when that is Markdown (Okapi's Markdown filter keeps
 * `**`, `_`, `` ` ``, `[`, `](url)` as the codes' data); a code (`<ph>`, `<bpt>`, `<ept>`, `<it>`,
 * 2.0 `<ph>`) whose content or data is a Markdown delimiter, as that delimiter. `<cp hex>` (2.0) is
 * the character it stands for. Any other inline element is a code the workbench, which keeps plain
 * text and Markdown, cannot keep: the unit is skipped (SkipUnit), with the code named.
 */
export function inlineText(container: Element, ns: string | null, wrappers: ReadonlySet<string>): string {
  return inlineOf(container, ns, wrappers, originalDataOf(container, ns), 0);
}

/** How deep wrapping elements may nest in a text (no tool nests formatting deeper; a file that does is refused for the unit, not the stack). */
const MAX_INLINE_DEPTH = 64;

function inlineOf(container: Element, ns: string | null, wrappers: ReadonlySet<string>, data: ReadonlyMap<string, string>, depth: number): string {
  if (depth > MAX_INLINE_DEPTH) throw new SkipUnit(`its text nests inline elements more than ${MAX_INLINE_DEPTH} deep`);
  let out = '';
  for (let node: Node | null = container.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3 /* TEXT_NODE */ || node.nodeType === 4 /* CDATA_SECTION_NODE */) {
      out += (node as unknown as { data: string }).data;
      continue;
    }
    if (!isElement(node)) continue; // comments and processing instructions are not text
    const name = node.localName ?? '';
    if (node.namespaceURI !== ns) throw new SkipUnit(`its text holds a <${node.tagName}> of another vocabulary, which the workbench cannot keep`);
    if (wrappers.has(name)) {
      const [open, close] = wrapperMarkdown(node, ns, data);
      out += emphasized(inlineOf(node, ns, wrappers, data, depth + 1), open, close);
    } else if (ns === XLIFF20_NS && name === 'cp') out += codePoint(node);
    else if (ns === XLIFF20_NS && MARKERS_2.has(name)) continue;
    else {
      const delimiter = markdownCode(node, ns, data);
      if (delimiter === undefined) throw new SkipUnit(`its text holds an inline code <${name}>: the workbench stores plain text and Markdown and cannot keep codes`);
      out += delimiter;
    }
  }
  return out;
}

/** A Markdown delimiter as a code's data may hold it: emphasis, code spans, strikethrough, a link's brackets and address. */
const MARKDOWN_DELIMITER = /^(?:\*{1,3}|_{1,3}|`{1,3}|~~|\[|!\[|\]\([^()\s]*\)|\]\[[^\]]*\]|\])$/;
const BOLD_CTYPES = new Set(['bold', 'x-bold', 'x-html-b', 'x-html-strong', 'x-strong']);
const ITALIC_CTYPES = new Set(['italic', 'x-italic', 'x-html-i', 'x-html-em', 'x-emphasis']);

/** The Markdown a wrapping element stands for: delimiters before and after its text ('' when none: its text alone). */
function wrapperMarkdown(el: Element, ns: string | null, data: ReadonlyMap<string, string>): [string, string] {
  if (ns === XLIFF20_NS && el.localName === 'pc') {
    const start = data.get(el.getAttribute('dataRefStart') ?? '');
    const end = data.get(el.getAttribute('dataRefEnd') ?? '');
    if (start !== undefined && end !== undefined && MARKDOWN_DELIMITER.test(start) && MARKDOWN_DELIMITER.test(end)) return [start, end];
    const subType = el.getAttribute('subType');
    if (subType === 'xlf:b') return ['**', '**'];
    if (subType === 'xlf:i') return ['*', '*'];
    return ['', ''];
  }
  const ctype = el.getAttribute('ctype') ?? '';
  if (BOLD_CTYPES.has(ctype)) return ['**', '**'];
  if (ITALIC_CTYPES.has(ctype)) return ['*', '*'];
  return ['', ''];
}

/** `text` between delimiters, its surrounding spaces kept outside them (Markdown emphasis cannot begin or end with a space). */
function emphasized(text: string, open: string, close: string): string {
  if (open === '' && close === '') return text;
  const [, before, inner, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? ['', '', text, ''];
  return inner === '' ? text : `${before}${open}${inner}${close}${after}`;
}

/** A code that holds a Markdown delimiter as its content (1.x) or data (2.0), as that delimiter; undefined otherwise. */
function markdownCode(el: Element, ns: string | null, data: ReadonlyMap<string, string>): string | undefined {
  const name = el.localName ?? '';
  if (ns === XLIFF20_NS) {
    if (name !== 'ph') return undefined;
    const value = data.get(el.getAttribute('dataRef') ?? '');
    return value !== undefined && MARKDOWN_DELIMITER.test(value) ? value : undefined;
  }
  if (!['ph', 'bpt', 'ept', 'it'].includes(name)) return undefined;
  const content = el.textContent ?? '';
  return MARKDOWN_DELIMITER.test(content) ? content : undefined;
}

/** A 2.0 unit's original data (`<originalData><data id>`), by id; empty for 1.x. */
function originalDataOf(container: Element, ns: string | null): ReadonlyMap<string, string> {
  const data = new Map<string, string>();
  if (ns !== XLIFF20_NS) return data;
  let unit: Node | null = container;
  while (unit && !(isElement(unit) && unit.localName === 'unit')) unit = unit.parentNode;
  if (!unit || !isElement(unit)) return data;
  for (let child = unit.firstChild; child; child = child.nextSibling) {
    if (!isElement(child) || child.localName !== 'originalData') continue;
    for (let item = child.firstChild; item; item = item.nextSibling) {
      if (isElement(item) && item.localName === 'data') data.set(item.getAttribute('id') ?? '', item.textContent ?? '');
    }
  }
  return data;
}

/** The character a 2.0 `<cp hex>` stands for. */
function codePoint(cp: Element): string {
  const hex = cp.getAttribute('hex') ?? '';
  const value = /^[0-9A-Fa-f]{1,6}$/.test(hex) ? parseInt(hex, 16) : NaN;
  // A surrogate is half of a character, not one.
  if (!(value >= 0 && value <= 0x10ffff) || (value >= 0xd800 && value <= 0xdfff)) throw new SkipUnit(`its text holds <cp hex="${hex}">, which is not a Unicode character`);
  return String.fromCodePoint(value);
}

/** A whole number written in a file, or undefined. */
export function wholeNumber(raw: string): number | undefined {
  const text = raw.trim();
  return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}
