/** One `<trans-unit>` and the unit model: reading it, writing a unit into it (each part only when it differs, so unknown content survives), and telling whether writing would change it. */
import type { Element } from '@xmldom/xmldom';
import type { Unit, UnitNote, XliffState } from '../domain/types';
import { WorkbenchError } from '../errors';
import { childIndent, createElementLike, firstElementChild, indentOf, insertAfter, insertChild, isElement, ownerDocumentOf, removeElement, setAttributeIfChanged, setTextIfChanged, textOf } from './domEdit';
import { appendCount, readWholeNumber } from './xliff12Model';
import { countIn, NOTE_ANNOTATES, PREVIOUS_VERSION, REVISION_COUNT_TYPE, REVISION_GROUP, REVISION_UNIT, revisionCountIn, revisionGroupName, SOURCE_VERSION_COUNT_TYPE, SOURCE_VERSION_UNIT, XLIFF12_NS, XLIFF_STATES, MACHINE_QUALIFIER } from './xliff12Vocabulary';
import { XML_NS } from './xmlSafety';

/** The elements of a `<trans-unit>` the workbench reads and writes, found in one pass over its children. */
export interface UnitParts {
  source?: Element;
  segSource?: Element;
  target?: Element;
  notes: Element[];
  /** The first `<alt-trans alttranstype="previous-version">`: the unit's `previous` (other alt-trans are never touched). */
  previous?: Element;
  /** The revision `<count-group>`: its own name first, then a legacy shared "workbench" (see revisionGroup). */
  revisionGroup?: Element;
  /** The first child element, whatever its namespace. */
  firstElement?: Element;
  /** The first child element outside the XLIFF namespace (those come last, per the schema). */
  firstForeign?: Element;
}

export function unitParts(tu: Element): UnitParts {
  const parts: UnitParts = { notes: [] };
  let ownGroupName: string | undefined;
  let ownGroup: Element | undefined;
  let legacyGroup: Element | undefined;
  for (let node = tu.firstChild; node; node = node.nextSibling) {
    if (!isElement(node)) continue;
    parts.firstElement ??= node;
    if (node.namespaceURI !== XLIFF12_NS) {
      parts.firstForeign ??= node;
      continue;
    }
    switch (node.localName) {
      case 'source':
        parts.source ??= node;
        break;
      case 'seg-source':
        parts.segSource ??= node;
        break;
      case 'target':
        parts.target ??= node;
        break;
      case 'note':
        parts.notes.push(node);
        break;
      case 'alt-trans':
        if (!parts.previous && node.getAttribute('alttranstype') === PREVIOUS_VERSION) parts.previous = node;
        break;
      case 'count-group': {
        const name = node.getAttribute('name') ?? '';
        ownGroupName ??= revisionGroupName(tu.getAttribute('id') ?? '');
        if (name === ownGroupName) ownGroup ??= node;
        if (name === REVISION_GROUP || name.startsWith(`${REVISION_GROUP}:`)) legacyGroup ??= node;
        break;
      }
    }
  }
  parts.revisionGroup = ownGroup ?? legacyGroup;
  return parts;
}

export function readUnit(tu: Element, invalid: (reason: string) => WorkbenchError, parts = unitParts(tu)): Unit {
  const id = tu.getAttribute('id');
  if (!id) throw invalid(`a <trans-unit> has no id (line ${tu.lineNumber ?? '?'})`);
  const sourceEl = parts.source;
  if (!sourceEl) throw invalid(`trans-unit "${id}" has no <source>`);
  const unit: Unit = { id, source: textOf(sourceEl), approved: tu.getAttribute('approved') === 'yes', revision: 0, notes: [] };

  const targetEl = parts.target;
  if (targetEl) {
    const state = targetEl.getAttribute('state');
    const text = textOf(targetEl);
    // Only the standard states are modelled; an x-… state is left alone in the file.
    if (state && XLIFF_STATES.has(state)) unit.state = state as XliffState;
    if (!(text === '' && state === 'needs-translation')) unit.target = text;
    if (unit.target !== undefined && targetEl.getAttribute('state-qualifier') === MACHINE_QUALIFIER) unit.machine = true;
  }

  for (const noteEl of parts.notes) {
    const note: UnitNote = { text: textOf(noteEl) };
    const from = noteEl.getAttribute('from');
    if (from !== null && noteEl.hasAttribute('from')) note.from = from;
    if (noteEl.hasAttribute('priority')) {
      const raw = noteEl.getAttribute('priority') ?? '';
      const priority = Number(raw);
      if (!/^\s*\d+\s*$/.test(raw) || priority < 1 || priority > 10) throw invalid(`trans-unit "${id}": note priority must be 1-10, found "${raw}"`);
      note.priority = priority;
    }
    if (noteEl.hasAttribute('annotates')) {
      const annotates = noteEl.getAttribute('annotates') ?? '';
      if (!NOTE_ANNOTATES.has(annotates)) throw invalid(`trans-unit "${id}": note annotates must be source, target or general, found "${annotates}"`);
      note.annotates = annotates as UnitNote['annotates'];
    }
    unit.notes.push(note);
  }

  const revision = readWholeNumber(revisionCountIn(parts.revisionGroup), (raw) => invalid(`trans-unit "${id}": revision count must be a whole number, found "${raw}"`));
  if (revision !== undefined) unit.revision = revision;
  const sourceVersion = readWholeNumber(countIn(parts.revisionGroup, SOURCE_VERSION_COUNT_TYPE), (raw) =>
    invalid(`trans-unit "${id}": source version count must be a whole number, found "${raw}"`),
  );
  if (sourceVersion !== undefined) unit.sourceVersion = sourceVersion;
  if (parts.previous) unit.previous = readPrevious(parts.previous);
  return unit;
}

/** The `<source>` and `<target>` of an `<alt-trans>` (the first of each in the XLIFF namespace). */
export function altTransParts(alt: Element): { source?: Element; target?: Element } {
  const parts: { source?: Element; target?: Element } = {};
  for (let node = alt.firstChild; node; node = node.nextSibling) {
    if (!isElement(node) || node.namespaceURI !== XLIFF12_NS) continue;
    if (node.localName === 'source') parts.source ??= node;
    else if (node.localName === 'target') parts.target ??= node;
  }
  return parts;
}

/** A previous-version alt-trans as `Unit.previous`: no `<source>` reads as "", an empty `<target>` (mandatory in the schema) as no target. */
export function readPrevious(alt: Element): NonNullable<Unit['previous']> {
  const { source, target } = altTransParts(alt);
  const previous: NonNullable<Unit['previous']> = { source: source ? textOf(source) : '' };
  const text = target ? textOf(target) : '';
  if (text !== '') previous.target = text;
  return previous;
}

/**
 * Whether writeUnit(tu, unit), `unit` being what readUnit just read from `tu` (with `parts`), would
 * leave the element as it is. writeUnit rewrites only what the model holds, each part only when it
 * differs, so the only things it changes in a unit it is given back are the forms it normalizes: an
 * unit without `xml:space="preserve"`, an `approved` other than yes/no, a previous-version alt-trans without target, a revision group
 * under another name (the legacy shared one) or left without a count, and counts not written as
 * plain numbers. Anything else in a unit is written back as read.
 */
export function writesAsRead(tu: Element, unit: Unit, parts: UnitParts): boolean {
  if (tu.getAttributeNS(XML_NS, 'space') !== 'preserve') return false;
  if (tu.hasAttribute('approved')) {
    const approved = tu.getAttribute('approved');
    if (approved !== 'yes' && approved !== 'no') return false;
  }
  if (parts.previous && !altTransParts(parts.previous).target) return false;
  const group = parts.revisionGroup;
  if (!group) return true;
  const revision = revisionCountIn(group);
  const sourceVersion = countIn(group, SOURCE_VERSION_COUNT_TYPE);
  if (!revision && !sourceVersion) return !!firstElementChild(group);
  if (group.getAttribute('name') !== revisionGroupName(unit.id)) return false;
  if (revision && textOf(revision) !== String(unit.revision)) return false;
  if (sourceVersion && textOf(sourceVersion) !== String(unit.sourceVersion)) return false;
  return true;
}

/** Whether writing `b` where `a` was read back would change nothing (the fields the writer uses). */
export function sameUnit(a: Unit | undefined, b: Unit): boolean {
  return (
    !!a &&
    a.id === b.id &&
    a.source === b.source &&
    a.target === b.target &&
    a.state === b.state &&
    a.approved === b.approved &&
    a.revision === b.revision &&
    a.sourceVersion === b.sourceVersion &&
    !a.machine === !b.machine &&
    samePrevious(a.previous, b.previous) &&
    sameNotes(a.notes, b.notes)
  );
}

/** A plain loop: called for every unit of a save, where a callback per unit is measurable. */
export function sameNotes(a: UnitNote[], b: UnitNote[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const note = a[i];
    const other = b[i];
    if (note.text !== other.text || note.from !== other.from || note.priority !== other.priority || note.annotates !== other.annotates) return false;
  }
  return true;
}

/** Equal as written: an empty previous target is written (and read back) as none. */
export function samePrevious(a: Unit['previous'], b: Unit['previous']): boolean {
  if (!a || !b) return a === b;
  return a.source === b.source && (a.target || undefined) === (b.target || undefined);
}

/** A unit writeNewPlainUnit can write: nothing beyond source, target, state and approval. */
export function isPlainUnit(unit: Unit): boolean {
  return unit.notes.length === 0 && unit.revision <= 0 && unit.previous === undefined && unit.sourceVersion === undefined;
}

export function writeUnit(tu: Element, unit: Unit, created: boolean): void {
  // Adding <source>/<target>/<note> does not change the revision group or the first foreign child.
  const parts = unitParts(tu);
  // <source>: first child element (the schema's order is source, seg-source?, target?, then the rest).
  let sourceEl = parts.source;
  if (!sourceEl) {
    sourceEl = createElementLike(tu, XLIFF12_NS, 'source');
    insertChild(tu, sourceEl, parts.firstElement ?? null);
  }
  setTextIfChanged(sourceEl, unit.source);

  // <target>: text + state. Untranslated = empty target with state="needs-translation"; a unit that
  // never had a <target> and has no state keeps having none.
  let targetEl = parts.target;
  const untranslated = unit.target === undefined;
  if (!targetEl && (!untranslated || created || unit.state !== undefined)) {
    targetEl = createElementLike(tu, XLIFF12_NS, 'target');
    insertAfter(parts.segSource ?? sourceEl, targetEl);
  }
  if (targetEl) {
    setTextIfChanged(targetEl, unit.target ?? '');
    const state = untranslated ? 'needs-translation' : unit.state;
    if (state !== undefined) setAttributeIfChanged(targetEl, 'state', state);
    else if (XLIFF_STATES.has(targetEl.getAttribute('state') ?? '')) targetEl.removeAttribute('state');
    // Another tool's qualifier (exact-match, leveraged-tm…) is its own; the machine's is ours to keep or take away.
    if (unit.machine && !untranslated) setAttributeIfChanged(targetEl, 'state-qualifier', MACHINE_QUALIFIER);
    else if (targetEl.getAttribute('state-qualifier') === MACHINE_QUALIFIER) targetEl.removeAttribute('state-qualifier');
  }

  // Whitespace kept on every unit, not only on <file>: Translate Toolkit (and Pootle, Virtaal) read
  // xml:space per unit and reflow a unit's text without it, as po2xliff and Xcode write it.
  if (tu.getAttributeNS(XML_NS, 'space') !== 'preserve') tu.setAttributeNS(XML_NS, 'xml:space', 'preserve');
  if (unit.approved) setAttributeIfChanged(tu, 'approved', 'yes');
  else if (tu.hasAttribute('approved')) setAttributeIfChanged(tu, 'approved', 'no');

  writePrevious(tu, unit.previous, parts, targetEl ?? parts.segSource ?? sourceEl);
  writeNotes(tu, unit.notes, parts);
  writeCounts(tu, unit, parts);
}

/**
 * `previous` ↔ the unit's first `<alt-trans alttranstype="previous-version">` (a new one goes right
 * after `after`, the unit's target). Its `<source>` and `<target>` get the previous texts, changed only
 * when different; the target is mandatory in the schema, so a previous without target gets an empty
 * one. Undefined removes that alt-trans; no other alt-trans is ever touched.
 */
export function writePrevious(tu: Element, previous: Unit['previous'], parts: UnitParts, after: Element): void {
  let alt = parts.previous;
  if (!previous) {
    if (alt) removeElement(alt);
    return;
  }
  if (!alt) {
    alt = createElementLike(tu, XLIFF12_NS, 'alt-trans');
    alt.setAttribute('alttranstype', PREVIOUS_VERSION);
    insertAfter(after, alt);
    fillNewPrevious(alt, previous);
    return;
  }
  let { source, target } = altTransParts(alt);
  if (source) setTextIfChanged(source, previous.source);
  else if (previous.source !== '') {
    // Sequence of alt-trans: source?, seg-source?, target, context-group*, note*, ##other*.
    source = createElementLike(alt, XLIFF12_NS, 'source');
    source.appendChild(ownerDocumentOf(alt).createTextNode(previous.source));
    insertChild(alt, source, firstElementChild(alt) ?? null);
  }
  if (!target) {
    target = createElementLike(alt, XLIFF12_NS, 'target');
    let before = firstElementChild(alt);
    while (before && before.namespaceURI === XLIFF12_NS && (before.localName === 'source' || before.localName === 'seg-source')) before = nextElementSibling(before);
    insertChild(alt, target, before ?? null);
  }
  setTextIfChanged(target, previous.target ?? '');
}

/**
 * The children of a new, empty previous-version `<alt-trans>` (already in place), written directly:
 * the nodes the general path of writePrevious makes there, one insertion at a time, with each
 * insertion working out the indentation again. `<source>` (when the previous source is not empty)
 * and `<target>` (mandatory), each on its own line, one step deeper than the alt-trans.
 */
export function fillNewPrevious(alt: Element, previous: NonNullable<Unit['previous']>): void {
  const doc = ownerDocumentOf(alt);
  const inner = `\n${childIndent(alt)}`;
  const outer = `\n${indentOf(alt)}`;
  if (previous.source !== '') {
    const source = createElementLike(alt, XLIFF12_NS, 'source');
    source.appendChild(doc.createTextNode(previous.source));
    alt.appendChild(doc.createTextNode(inner));
    alt.appendChild(source);
  }
  const target = createElementLike(alt, XLIFF12_NS, 'target');
  if (previous.target) target.appendChild(doc.createTextNode(previous.target));
  alt.appendChild(doc.createTextNode(inner));
  alt.appendChild(target);
  alt.appendChild(doc.createTextNode(outer));
}

export function nextElementSibling(el: Element): Element | undefined {
  for (let node = el.nextSibling; node; node = node.nextSibling) if (isElement(node)) return node;
  return undefined;
}

/**
 * What writeUnit(tu, unit, true) writes into a new, empty `<trans-unit>` for a unit without notes
 * or revision, with plain appends (a new file has thousands): `<source>`, then `<target>`, each on
 * its own line, and approved="yes" when approved.
 */
export function writeNewPlainUnit(tu: Element, unit: Unit, indents: { inner: string; outer: string }): void {
  const doc = ownerDocumentOf(tu);
  const source = createElementLike(tu, XLIFF12_NS, 'source');
  if (unit.source !== '') source.appendChild(doc.createTextNode(unit.source));
  const target = createElementLike(tu, XLIFF12_NS, 'target');
  const text = unit.target ?? '';
  if (text !== '') target.appendChild(doc.createTextNode(text));
  const state = unit.target === undefined ? 'needs-translation' : unit.state;
  if (state !== undefined) target.setAttribute('state', state);
  if (unit.machine && unit.target !== undefined) target.setAttribute('state-qualifier', MACHINE_QUALIFIER);
  tu.appendChild(doc.createTextNode(`\n${indents.inner}`));
  tu.appendChild(source);
  tu.appendChild(doc.createTextNode(`\n${indents.inner}`));
  tu.appendChild(target);
  tu.appendChild(doc.createTextNode(`\n${indents.outer}`));
  tu.setAttributeNS(XML_NS, 'xml:space', 'preserve');
  if (unit.approved) tu.setAttribute('approved', 'yes');
}

export function noteEquals(el: Element, note: UnitNote): boolean {
  const priority = el.getAttribute('priority');
  return (
    textOf(el) === note.text &&
    (el.hasAttribute('from') ? el.getAttribute('from') : undefined) === note.from &&
    (el.hasAttribute('priority') && priority !== null ? Number(priority) : undefined) === note.priority &&
    (el.hasAttribute('annotates') ? el.getAttribute('annotates') : undefined) === note.annotates
  );
}

/**
 * The model's notes are the unit's notes. Unchanged notes are left untouched (their other attributes too).
 * New ones go where the first old one was, else before the revision group, else before the first
 * foreign child (those come last in a trans-unit: schema `xsd:any ##other` after the XLIFF elements).
 */
export function writeNotes(tu: Element, notes: UnitNote[], parts: UnitParts): void {
  const existing = parts.notes;
  if (existing.length === notes.length && existing.every((el, i) => noteEquals(el, notes[i]))) return;
  const before = existing[0] ?? parts.revisionGroup ?? parts.firstForeign ?? null;
  for (const note of notes) {
    const el = createElementLike(tu, XLIFF12_NS, 'note');
    if (note.from !== undefined) el.setAttribute('from', note.from);
    if (note.priority !== undefined) el.setAttribute('priority', String(note.priority));
    if (note.annotates !== undefined) el.setAttribute('annotates', note.annotates);
    if (note.text !== '') el.appendChild(ownerDocumentOf(el).createTextNode(note.text));
    insertChild(tu, el, before);
  }
  for (const el of existing) removeElement(el);
}

/**
 * The unit's `<count-group name="workbench:<id>">`: the revision count (written once the revision is
 * above 0, then kept) and the source-version count (removed when undefined). A group left empty goes.
 */
export function writeCounts(tu: Element, unit: Unit, parts: UnitParts): void {
  let group = parts.revisionGroup;
  let revision = revisionCountIn(group);
  let sourceVersion = countIn(group, SOURCE_VERSION_COUNT_TYPE);
  const wantRevision = unit.revision > 0 || !!revision;
  const wantSourceVersion = unit.sourceVersion !== undefined;
  if (!wantRevision && !wantSourceVersion) {
    if (sourceVersion) removeElement(sourceVersion);
    if (group && !firstElementChild(group)) removeElement(group);
    return;
  }
  if (!group) {
    group = createElementLike(tu, XLIFF12_NS, 'count-group');
    insertChild(tu, group, parts.firstForeign ?? null);
  }
  setAttributeIfChanged(group, 'name', revisionGroupName(tu.getAttribute('id') ?? ''));
  if (wantRevision) {
    revision ??= appendCount(group, REVISION_COUNT_TYPE, REVISION_UNIT);
    setTextIfChanged(revision, String(unit.revision));
  }
  if (unit.sourceVersion !== undefined) {
    sourceVersion ??= appendCount(group, SOURCE_VERSION_COUNT_TYPE, SOURCE_VERSION_UNIT);
    setTextIfChanged(sourceVersion, String(unit.sourceVersion));
  } else if (sourceVersion) {
    removeElement(sourceVersion);
  }
}
