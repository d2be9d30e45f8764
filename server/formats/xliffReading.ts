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
 * The text of a `<source>`/`<target>`: its text, and the text inside wrapping inline elements.
 * `<cp hex>` (2.0) is the character it stands for. Any other inline element is a code the
 * workbench, which keeps plain text and Markdown, cannot keep: the unit is skipped (SkipUnit).
 */
export function inlineText(container: Element, ns: string | null, wrappers: ReadonlySet<string>): string {
  let out = '';
  let node: Node | null = container.firstChild;
  while (node) {
    let descend = false;
    if (node.nodeType === 3 /* TEXT_NODE */ || node.nodeType === 4 /* CDATA_SECTION_NODE */) {
      out += (node as unknown as { data: string }).data;
    } else if (isElement(node)) {
      const name = node.localName ?? '';
      if (node.namespaceURI !== ns) throw new SkipUnit(`its text holds a <${node.tagName}> of another vocabulary, which the workbench cannot keep`);
      if (wrappers.has(name)) descend = true;
      else if (ns === XLIFF20_NS && name === 'cp') out += codePoint(node);
      else if (!(ns === XLIFF20_NS && MARKERS_2.has(name))) {
        throw new SkipUnit(`its text holds an inline code <${name}>: the workbench stores plain text and Markdown and cannot keep codes`);
      }
    }
    // Comments and processing instructions are not text.
    if (descend && node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== container && !node.nextSibling) node = node.parentNode;
    node = !node || node === container ? null : node.nextSibling;
  }
  return out;
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
