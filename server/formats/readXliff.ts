/**
 * Reads XLIFF files made by other CAT tools (1.0, 1.1, 1.2 and 2.0) into one interchange model, for
 * importing translations. Lenient where tools differ (no namespace, groups, several files), strict
 * where guessing would lose text: a unit with inline codes is skipped, and says why.
 */
import type { Element, Node } from '@xmldom/xmldom';
import type { InterchangeFile, InterchangeStatus, InterchangeUnit } from '../domain/interchange';
import { WorkbenchError } from '../errors';
import { isElement } from './domEdit';
import { XLIFF20_NS, WORKBENCH_NS } from './xliff20';
import { REVISION_COUNT_TYPE, REVISION_GROUP, XLIFF12_NS, revisionGroupName } from './xliff12Vocabulary';
import { parseXmlSafely } from './xmlSafety';

export type { InterchangeFile, InterchangeStatus, InterchangeUnit };

/** The tool id the workbench's XLIFF 1.2 writer puts in every header (xliff12.ts createSkeleton). */
const WORKBENCH_TOOL_ID = 'translation-workbench';
const XLIFF11_NS = 'urn:oasis:names:tc:xliff:document:1.1';
/** XLIFF 1.0 had no namespace; 1.1 and 1.2 files are read alike (1.2 only added to 1.1). */
const NAMESPACES_1 = new Set<string | null>([null, XLIFF11_NS, XLIFF12_NS]);
const VERSIONS_1 = new Set(['1.0', '1.1', '1.2']);
/** 2.1 keeps the 2.0 core and its namespace unchanged. */
const VERSIONS_2 = new Set(['2.0', '2.1']);

/**
 * Parses an XLIFF 1.0/1.1/1.2/2.0 file. Unsafe or malformed XML is refused by parseXmlSafely
 * (400 'xml-doctype-forbidden', 422 'xliff-malformed' with line and column); a root that is not a
 * supported `<xliff>` is 422 'xliff-unsupported'; `<file>`s that disagree on their languages are
 * 422 'xliff-languages-differ'.
 */
export function readXliff(content: string, ctx: { file: string }): InterchangeFile {
  const { file } = ctx;
  const root = parseXmlSafely(content, { file, malformedCode: 'xliff-malformed' }).documentElement;
  const unsupported = (reason: string): WorkbenchError => new WorkbenchError(422, 'xliff-unsupported', `${file}: ${reason}`, { details: { file } });
  if (!root || root.localName !== 'xliff') {
    throw unsupported(`not an XLIFF file: the root element is <${root?.tagName ?? ''}>, not <xliff>`);
  }
  const version = root.getAttribute('version') ?? '';
  const ns = root.namespaceURI;
  if (ns === XLIFF20_NS) {
    if (!VERSIONS_2.has(version)) throw unsupported(`XLIFF version ${JSON.stringify(version)} is not supported in namespace ${ns} (only 2.0 and 2.1)`);
    return read2(root, version);
  }
  if (NAMESPACES_1.has(ns)) {
    if (!VERSIONS_1.has(version)) throw unsupported(`XLIFF version ${JSON.stringify(version)} is not supported (1.0, 1.1, 1.2, 2.0 and 2.1 are)`);
    return read1(root, version, file);
  }
  throw unsupported(`unknown XLIFF namespace ${ns}: expected ${XLIFF12_NS}, ${XLIFF11_NS}, ${XLIFF20_NS} or none`);
}

/** Thrown inside a unit's reading when the unit cannot be imported; the unit goes to `skipped`. */
class SkipUnit extends Error {}

/** Collects units, their ids unique across the file (a later duplicate is skipped). */
class Collector {
  readonly units: InterchangeUnit[] = [];
  readonly skipped: { id: string; reason: string }[] = [];
  private readonly ids = new Set<string>();

  add(el: Element, translate: boolean, read: (id: string) => InterchangeUnit): void {
    const id = el.getAttribute('id') ?? '';
    const line = el.lineNumber ? ` (line ${el.lineNumber})` : '';
    if (id === '') return this.skip(id, `a <${el.localName}> without id${line}`);
    if (!translate) return this.skip(id, 'marked translate="no"');
    if (this.ids.has(id)) return this.skip(id, `a second unit with this id${line}`);
    try {
      const unit = read(id);
      this.ids.add(id);
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

// ---------------------------------------------------------------------------------------------
// XLIFF 1.x

/** Inline elements of 1.x that only wrap text: their text is the unit's text. */
const WRAPPERS_1 = new Set(['g', 'mrk']);
/** States a tool uses for translations that are not ready; anything named "fuzzy" (x-fuzzy) counts too. */
const FUZZY_QUALIFIERS = new Set(['fuzzy-match', 'mt-suggestion', 'tm-suggestion', 'leveraged-mt', 'leveraged-tm']);

function read1(root: Element, version: string, fileName: string): InterchangeFile {
  const ns = root.namespaceURI;
  const result: InterchangeFile = { version, units: [], skipped: [] };
  const collector = new Collector();
  const languages = { source: new Agreement('source', fileName), target: new Agreement('target', fileName) };
  for (const fileEl of children(root, ns, 'file')) {
    languages.source.see(fileEl.getAttribute('source-language'), fileEl);
    languages.target.see(fileEl.getAttribute('target-language'), fileEl);
    if (result.original === undefined && fileEl.hasAttribute('original')) result.original = fileEl.getAttribute('original') ?? undefined;
    const body = children(fileEl, ns, 'body')[0];
    if (!body) continue;
    const ours = writtenByWorkbench(fileEl, ns);
    for (const { el, translate } of unitsIn(body, ns, new Set(['trans-unit', 'bin-unit']), translatable(fileEl, true))) {
      if (el.localName === 'bin-unit') {
        collector.skip(el.getAttribute('id') ?? '', 'a binary unit (<bin-unit>): no text to translate');
      } else if (el.getAttribute('restype') === 'x-gettext-domain-header') {
        // po2xliff's copy of the PO header: metadata, not text to translate.
        collector.skip(el.getAttribute('id') ?? '', 'the gettext header of a PO file (metadata)');
      } else {
        collector.add(el, translate, (id) => readTransUnit(el, id, ns, ours));
      }
    }
  }
  return finish(result, collector, languages.source.value, languages.target.value);
}

function readTransUnit(tu: Element, id: string, ns: string | null, ours: boolean): InterchangeUnit {
  const sourceEl = children(tu, ns, 'source')[0];
  if (!sourceEl) throw new SkipUnit('no <source>');
  const targetEl = children(tu, ns, 'target')[0];
  const target = targetEl ? inlineText(targetEl, ns, WRAPPERS_1) : undefined;
  const state = targetEl?.getAttribute('state') || undefined;
  const unit: InterchangeUnit = {
    id,
    source: inlineText(sourceEl, ns, WRAPPERS_1),
    status: status1(tu.getAttribute('approved') === 'yes', target, state, targetEl?.getAttribute('state-qualifier') ?? undefined),
    notes: children(tu, ns, 'note').map((note) => note.textContent ?? ''),
    contexts: [],
  };
  if (tu.hasAttribute('resname')) unit.resname = tu.getAttribute('resname') ?? '';
  if (target !== undefined && target !== '') unit.target = target;
  if (state !== undefined) unit.rawState = state;
  for (const group of children(tu, ns, 'context-group')) {
    for (const context of children(group, ns, 'context')) unit.contexts.push(`${context.getAttribute('context-type') ?? ''}: ${context.textContent ?? ''}`);
  }
  // The workbench writes no revision count until a unit's first save: in its own files none means 0.
  const revision = revision1(tu, id, ns) ?? (ours ? 0 : undefined);
  if (revision !== undefined) unit.revision = revision;
  if (tu.lineNumber) unit.line = tu.lineNumber;
  return unit;
}

function status1(approved: boolean, target: string | undefined, state: string | undefined, qualifier: string | undefined): InterchangeStatus {
  if (target === undefined || target === '') return 'untranslated';
  if (approved || state === 'final' || state === 'signed-off') return 'approved';
  // "new" with a target: text a tool put there (a copy of the source, a match), nobody's translation yet.
  if (state?.startsWith('needs-') || state === 'new' || /fuzzy/i.test(state ?? '')) return 'needs-review';
  if (qualifier !== undefined && (FUZZY_QUALIFIERS.has(qualifier) || qualifier.startsWith('rejected-'))) return 'needs-review';
  return 'translated';
}

/** Whether a 1.x `<file>` says the workbench wrote it (`<header><tool tool-id="translation-workbench">`, see xliff12.ts). */
function writtenByWorkbench(fileEl: Element, ns: string | null): boolean {
  const header = children(fileEl, ns, 'header')[0];
  return !!header && children(header, ns, 'tool').some((tool) => tool.getAttribute('tool-id') === WORKBENCH_TOOL_ID);
}

/** The workbench's revision: `<count-group name="workbench:<id>">` (or the legacy "workbench") holding `<count count-type="x-revision">`. */
function revision1(tu: Element, id: string, ns: string | null): number | undefined {
  const groups = children(tu, ns, 'count-group');
  const own = revisionGroupName(id);
  const group =
    groups.find((g) => g.getAttribute('name') === own) ??
    groups.find((g) => g.getAttribute('name') === REVISION_GROUP || (g.getAttribute('name') ?? '').startsWith(`${REVISION_GROUP}:`));
  const count = group && children(group, ns, 'count').find((c) => c.getAttribute('count-type') === REVISION_COUNT_TYPE);
  return count ? wholeNumber(count.textContent ?? '') : undefined;
}

// ---------------------------------------------------------------------------------------------
// XLIFF 2.0

/** 2.0 inline elements whose text is the unit's text; `<sm/>`/`<em/>` only mark where an annotation starts and ends, and hold none. */
const WRAPPERS_2 = new Set(['pc', 'mrk']);
const MARKERS_2 = new Set(['sm', 'em']);
const STATUS_RANK: InterchangeStatus[] = ['needs-review', 'translated', 'approved'];

function read2(root: Element, version: string): InterchangeFile {
  const result: InterchangeFile = { version, units: [], skipped: [] };
  const collector = new Collector();
  for (const fileEl of children(root, XLIFF20_NS, 'file')) {
    if (result.original === undefined && fileEl.hasAttribute('original')) result.original = fileEl.getAttribute('original') ?? undefined;
    for (const { el, translate } of unitsIn(fileEl, XLIFF20_NS, new Set(['unit']), translatable(fileEl, true))) {
      collector.add(el, translate, (id) => readUnit2(el, id));
    }
  }
  // 2.0 has its languages once, on the root: the files cannot disagree.
  return finish(result, collector, root.getAttribute('srcLang') || undefined, root.getAttribute('trgLang') || undefined);
}

/**
 * A 2.0 unit: its `<segment>`s and `<ignorable>`s joined in order (a target's `order` placing it
 * elsewhere). The status is the least advanced of the segments'; a unit translated in part needs review.
 */
function readUnit2(unitEl: Element, id: string): InterchangeUnit {
  const parts = childElementsIn(unitEl, XLIFF20_NS).filter((el) => el.localName === 'segment' || el.localName === 'ignorable');
  if (parts.length === 0) throw new SkipUnit('no <segment>');
  let source = '';
  const targets: (string | undefined)[] = new Array<string | undefined>(parts.length);
  const statuses: InterchangeStatus[] = [];
  const states: string[] = [];
  let anyTarget = false;
  parts.forEach((part, i) => {
    const sourceEl = childElementsIn(part, XLIFF20_NS).find((el) => el.localName === 'source');
    if (!sourceEl) throw new SkipUnit(`a <${part.localName}> without <source>`);
    const partSource = inlineText(sourceEl, XLIFF20_NS, WRAPPERS_2);
    source += partSource;
    const targetEl = childElementsIn(part, XLIFF20_NS).find((el) => el.localName === 'target');
    const target = targetEl ? inlineText(targetEl, XLIFF20_NS, WRAPPERS_2) : undefined;
    const order = targetEl?.hasAttribute('order') ? Number(targetEl.getAttribute('order')) : i + 1;
    if (!Number.isInteger(order) || order < 1 || order > parts.length || targets[order - 1] !== undefined) throw new SkipUnit(`a <target order="${targetEl?.getAttribute('order')}"> that does not fit the unit's segments`);
    if (part.localName === 'ignorable') {
      // Text between segments (spaces, mostly): untranslated, it stays as it is.
      targets[order - 1] = target ?? partSource;
      return;
    }
    const state = part.getAttribute('state') || 'initial';
    states.push(state);
    if (target !== undefined && target !== '') anyTarget = true;
    targets[order - 1] = target ?? '';
    statuses.push(status2(state, target));
  });
  const unit: InterchangeUnit = { id, source, status: combinedStatus(statuses, anyTarget), notes: notes2(unitEl), contexts: [] };
  if (unitEl.hasAttribute('name')) unit.resname = unitEl.getAttribute('name') ?? '';
  const target = targets.join('');
  if (anyTarget && target !== '') unit.target = target;
  const distinct = [...new Set(states)];
  if (distinct.length > 0) unit.rawState = distinct.join(' ');
  if (unitEl.hasAttributeNS(WORKBENCH_NS, 'revision')) {
    const revision = wholeNumber(unitEl.getAttributeNS(WORKBENCH_NS, 'revision') ?? '');
    if (revision !== undefined) unit.revision = revision;
  }
  if (unitEl.lineNumber) unit.line = unitEl.lineNumber;
  return unit;
}

function status2(state: string, target: string | undefined): InterchangeStatus {
  if (target === undefined || target === '') return 'untranslated';
  if (state === 'final' || state === 'reviewed') return 'approved';
  if (state === 'translated') return 'translated';
  return 'needs-review';
}

function combinedStatus(statuses: InterchangeStatus[], anyTarget: boolean): InterchangeStatus {
  if (!anyTarget) return 'untranslated';
  if (statuses.includes('untranslated')) return 'needs-review';
  return STATUS_RANK.find((status) => statuses.includes(status)) ?? 'untranslated';
}

function notes2(unitEl: Element): string[] {
  const notesEl = childElementsIn(unitEl, XLIFF20_NS).find((el) => el.localName === 'notes');
  return notesEl ? children(notesEl, XLIFF20_NS, 'note').map((note) => note.textContent ?? '') : [];
}

// ---------------------------------------------------------------------------------------------
// Shared

/** Languages of several `<file>`s: they must agree (BCP 47 tags compare without case). */
class Agreement {
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

function finish(file: InterchangeFile, collector: Collector, source: string | undefined, target: string | undefined): InterchangeFile {
  if (source !== undefined) file.sourceLanguage = source;
  if (target !== undefined) file.targetLanguage = target;
  file.units = collector.units;
  file.skipped = collector.skipped;
  return file;
}

/** Whether an element is to be translated: its own translate="yes|no", else what it inherits. */
function translatable(el: Element, inherited: boolean): boolean {
  const value = el.getAttribute('translate');
  return value === 'no' ? false : value === 'yes' ? true : inherited;
}

/**
 * The unit elements under `container` in document order, through nested `<group>`s, each with
 * whether it is to be translated (groups pass translate="no" down). Walked with a stack of its
 * own: nesting as deep as the file likes cannot overflow the call stack.
 */
function unitsIn(container: Element, ns: string | null, names: ReadonlySet<string>, translate: boolean): { el: Element; translate: boolean }[] {
  const out: { el: Element; translate: boolean }[] = [];
  const stack: { next: Node | null; translate: boolean }[] = [{ next: container.firstChild, translate }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const node = top.next;
    if (!node) {
      stack.pop();
      continue;
    }
    top.next = node.nextSibling;
    if (!isElement(node) || node.namespaceURI !== ns) continue;
    if (node.localName === 'group') stack.push({ next: node.firstChild, translate: translatable(node, top.translate) });
    else if (names.has(node.localName ?? '')) out.push({ el: node, translate: translatable(node, top.translate) });
  }
  return out;
}

/**
 * The text of a `<source>`/`<target>`: its text, and the text inside wrapping inline elements.
 * `<cp hex>` (2.0) is the character it stands for. Any other inline element is a code the
 * workbench, which keeps plain text and Markdown, cannot keep: the unit is skipped (SkipUnit).
 */
function inlineText(container: Element, ns: string | null, wrappers: ReadonlySet<string>): string {
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

function children(parent: Element, ns: string | null, name: string): Element[] {
  return childElementsIn(parent, ns).filter((el) => el.localName === name);
}

function childElementsIn(parent: Element, ns: string | null): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (isElement(node) && node.namespaceURI === ns) out.push(node);
  return out;
}

function wholeNumber(raw: string): number | undefined {
  const text = raw.trim();
  return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}
