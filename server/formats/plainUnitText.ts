/**
 * A unit written as text, without a DOM, when its bytes are in the form the workbench's writer
 * gives a plain unit: `<trans-unit id="…" xml:space="preserve">` (perhaps `approved="…"`), then, each
 * on its own line, `<source>`, `<target>` (with `state` and `state-qualifier` only) and perhaps the
 * previous version (`<alt-trans alttranstype="previous-version">` with its `<source>` and `<target>`)
 * and the unit's counts (`<count-group name="workbench:…">` with its revision and source version),
 * their texts plain characters and the escapes the serializer writes. A source update of a book
 * rewrites thousands of units in this form in each locale (a paragraph edited: its new source, its
 * translation sent to review with the previous version beside it); parsing each into a small
 * document, writing and serializing it was a third of the update's writing.
 *
 * What this gives is what unitWriter gives (see xliff12Spans): writeUnit's steps on the unit's
 * element, each taken here on the text (an attribute set in place or added last, one taken out, a
 * text replaced, the previous version added after the target on a line of its own, indented as
 * insertAfter and fillNewPrevious indent it, or taken out with the whitespace before it, the counts
 * as writeCounts and appendCount write them), the texts escaped as the serializer escapes them (CR
 * as `&#13;`, as the file's serializer writes it), and the unit as readUnit reads it back. Anything
 * else (notes, another element or attribute, an entity, a unit that gets notes) is undefined: the
 * caller writes the unit through the DOM. A property test holds the two to the same text and unit.
 */
import type { Unit, XliffState } from '../domain/types';
import { isWholeCount } from './xliff12ModelCheck';
import { MACHINE_QUALIFIER, PREVIOUS_VERSION, REVISION_COUNT_TYPE, REVISION_UNIT, revisionGroupName, SOURCE_VERSION_COUNT_TYPE, SOURCE_VERSION_UNIT, XLIFF12_NS, XLIFF_STATES } from './xliff12Vocabulary';
import { escapeCarriageReturns } from './xmlSafety';
import { escapeAttribute, escapeText } from './xmlSerialize';

/** An element's attributes in document order: name and value (values as written: no escapes in them). */
type Attributes = [string, string][];

/** A unit's text cut into its parts; whitespace is kept as it is, to be written back. */
interface PlainUnit {
  attributes: Attributes;
  /** The whitespace before `<source>`, before `<target>`, before the previous version, before `</trans-unit>`. */
  beforeSource: string;
  source: string;
  beforeTarget: string;
  targetAttributes: Attributes;
  target: string;
  previous?: { before: string; beforeSource?: string; source?: string; beforeTarget: string; target: string; closing: string };
  /** The unit's own count group (see writeCounts): its counts in order, each with the whitespace before it. */
  counts?: { before: string; counts: Count[]; closing: string };
  closing: string;
}

/** A `<count>` of the unit's group: its type (its `unit` attribute goes with it), its value, the whitespace before it. */
interface Count {
  before: string;
  type: typeof REVISION_COUNT_TYPE | typeof SOURCE_VERSION_COUNT_TYPE;
  value: string;
}

/** The `unit` attribute appendCount gives each count type. */
const COUNT_UNITS: Record<Count['type'], string> = { [REVISION_COUNT_TYPE]: REVISION_UNIT, [SOURCE_VERSION_COUNT_TYPE]: SOURCE_VERSION_UNIT };

/** The namespace the unit's unprefixed names are in must be XLIFF 1.2's: `declared` are the declarations in scope (see SpanXliff12.declared). */
export function plainUnitsIn(declared: string): boolean {
  return declared.includes(` xmlns="${XLIFF12_NS}"`);
}

/**
 * `unit` written over `text` (a unit's bytes, decoded), after `gap` (the whitespace before it), as
 * unitWriter writes it, with the unit read back; undefined when either is not plain (see above).
 */
export function writePlainUnitText(text: string, gap: string, unit: Unit): { text: string; unit: Unit } | undefined {
  // Counts are whole numbers (assertWritableModel refuses any other before a write): one that is not is left to the DOM writer.
  const wholeOrNone = (n: number | undefined): boolean => n === undefined || isWholeCount(n);
  if (unit.notes.length > 0 || !wholeOrNone(unit.revision) || !wholeOrNone(unit.sourceVersion)) return undefined;
  const parts = readPlainUnit(text);
  if (!parts || valueOf(parts.attributes, 'id') !== unit.id || valueOf(parts.attributes, 'xml:space') !== 'preserve') return undefined;

  // <target>: its text, then its state and qualifier (writeUnit's order).
  const untranslated = unit.target === undefined;
  const targetAttributes = parts.targetAttributes.slice();
  const state = untranslated ? 'needs-translation' : unit.state;
  if (state !== undefined) setValue(targetAttributes, 'state', state);
  else if (XLIFF_STATES.has(valueOf(targetAttributes, 'state') ?? '')) removeValue(targetAttributes, 'state');
  if (unit.machine && !untranslated) setValue(targetAttributes, 'state-qualifier', MACHINE_QUALIFIER);
  else if (valueOf(targetAttributes, 'state-qualifier') === MACHINE_QUALIFIER) removeValue(targetAttributes, 'state-qualifier');
  const attributes = parts.attributes.slice();
  if (unit.approved) setValue(attributes, 'approved', 'yes');
  else if (valueOf(attributes, 'approved') !== undefined) setValue(attributes, 'approved', 'no');

  let previousText = '';
  const previous = unit.previous;
  // The indentation of the last of the unit's elements, once its previous version is written (a new count group goes after it).
  let lastIndent = lastLine(parts.previous?.before ?? parts.beforeTarget);
  if (previous && parts.previous) {
    // Kept where it is, its texts replaced; a source it has none of is one more element (left to the DOM).
    const old = parts.previous;
    if (old.source === undefined && previous.source !== '') return undefined;
    previousText =
      `${old.before}<alt-trans alttranstype="${PREVIOUS_VERSION}">` +
      (old.source === undefined ? '' : `${old.beforeSource}${element('source', [], previous.source)}`) +
      `${old.beforeTarget}${element('target', [], previous.target ?? '')}${old.closing}</alt-trans>`;
  } else if (previous) {
    // New, after the target on a line of its own (insertAfter), its children one step deeper (fillNewPrevious).
    const own = lastLine(parts.beforeTarget);
    const inner = `\n${own}${indentStep(own, gap)}`;
    lastIndent = own;
    previousText =
      `\n${own}<alt-trans alttranstype="${PREVIOUS_VERSION}">` +
      (previous.source !== '' ? `${inner}${element('source', [], previous.source)}` : '') +
      `${inner}${element('target', [], previous.target ?? '')}\n${own}</alt-trans>`;
  } else if (parts.previous) {
    // Taken out with the whitespace before it: the target is last again.
    lastIndent = lastLine(parts.beforeTarget);
  }

  const counts = countsOf(parts.counts, unit, lastIndent, gap);
  const written =
    `<trans-unit${attributesText(attributes)}>` +
    `${parts.beforeSource}${element('source', [], unit.source)}` +
    `${parts.beforeTarget}${element('target', targetAttributes, unit.target ?? '')}` +
    `${previousText}${counts.text}${parts.closing}</trans-unit>`;
  // As serializeXmlDocument writes the unit (see escapeCarriageReturns).
  return { text: escapeCarriageReturns(written), unit: readBack(unit, attributes, targetAttributes, counts.read) };
}

/**
 * writeCounts on the text: the revision count kept once there is one (written once the revision is
 * above 0), the source-version count written or taken out, each new count last in the group on a
 * line of its own, a new group after the unit's last element (indented `lastIndent`), a group left
 * empty taken out. With the counts as readUnit reads them back.
 */
function countsOf(group: PlainUnit['counts'], unit: Unit, lastIndent: string, gap: string): { text: string; read: { revision?: number; sourceVersion?: number } } {
  const counts = group?.counts.slice() ?? [];
  const has = (type: Count['type']): boolean => counts.some((count) => count.type === type);
  const wantRevision = unit.revision > 0 || has(REVISION_COUNT_TYPE);
  const wantSourceVersion = unit.sourceVersion !== undefined;
  if (!wantRevision && !wantSourceVersion) return { text: '', read: {} };
  // The whitespace before a count added last: that of the last count (insertAfter), or, in a new group, one step deeper than the group.
  const inner = `\n${lastIndent}${indentStep(lastIndent, gap)}`;
  const add = (type: Count['type'], value: string): void => {
    const last = counts.at(-1);
    counts.push({ before: last ? `\n${lastLine(last.before)}` : inner, type, value });
  };
  const set = (type: Count['type'], value: string): void => {
    const at = counts.findIndex((count) => count.type === type);
    if (at < 0) add(type, value);
    else counts[at] = { ...counts[at], value };
  };
  if (wantRevision) set(REVISION_COUNT_TYPE, String(unit.revision));
  if (wantSourceVersion) set(SOURCE_VERSION_COUNT_TYPE, String(unit.sourceVersion));
  else {
    const at = counts.findIndex((count) => count.type === SOURCE_VERSION_COUNT_TYPE);
    if (at >= 0) counts.splice(at, 1);
  }
  const before = group ? group.before : `\n${lastIndent}`;
  const closing = group ? group.closing : `\n${lastIndent}`;
  const text =
    `${before}<count-group name="${escapeAttribute(revisionGroupName(unit.id))}">` +
    counts.map(({ before: space, type, value }) => `${space}<count count-type="${type}" unit="${COUNT_UNITS[type]}">${value}</count>`).join('') +
    `${closing}</count-group>`;
  const read: { revision?: number; sourceVersion?: number } = {};
  for (const { type, value } of counts) {
    if (type === REVISION_COUNT_TYPE) read.revision = Number(value);
    else read.sourceVersion = Number(value);
  }
  return { text, read };
}

/** The unit readUnit reads from what was written: its fields in readUnit's order. */
function readBack(unit: Unit, attributes: Attributes, targetAttributes: Attributes, counts: { revision?: number; sourceVersion?: number }): Unit {
  const read: Unit = { id: unit.id, source: unit.source, approved: valueOf(attributes, 'approved') === 'yes', revision: 0, notes: [] };
  const state = valueOf(targetAttributes, 'state');
  const text = unit.target ?? '';
  if (state && XLIFF_STATES.has(state)) read.state = state as XliffState;
  if (!(text === '' && state === 'needs-translation')) read.target = text;
  if (read.target !== undefined && valueOf(targetAttributes, 'state-qualifier') === MACHINE_QUALIFIER) read.machine = true;
  if (counts.revision !== undefined) read.revision = counts.revision;
  if (counts.sourceVersion !== undefined) read.sourceVersion = counts.sourceVersion;
  if (unit.previous) {
    read.previous = { source: unit.previous.source };
    if (unit.previous.target) read.previous.target = unit.previous.target;
  }
  return read;
}

/** An element with text content only, as the serializer writes it (empty: `<name/>`). */
function element(name: string, attributes: Attributes, text: string): string {
  const start = `<${name}${attributesText(attributes)}`;
  return text === '' ? `${start}/>` : `${start}>${escapeText(text)}</${name}>`;
}

function attributesText(attributes: Attributes): string {
  let out = '';
  for (const [name, value] of attributes) out += ` ${name}="${escapeAttribute(value)}"`;
  return out;
}

function valueOf(attributes: Attributes, name: string): string | undefined {
  for (const [key, value] of attributes) if (key === name) return value;
  return undefined;
}

/** setAttribute: in place when the element has it, else last. */
function setValue(attributes: Attributes, name: string, value: string): void {
  const at = attributes.findIndex(([key]) => key === name);
  if (at < 0) attributes.push([name, value]);
  else attributes[at] = [name, value];
}

function removeValue(attributes: Attributes, name: string): void {
  const at = attributes.findIndex(([key]) => key === name);
  if (at >= 0) attributes.splice(at, 1);
}

const lastLine = (whitespace: string): string => whitespace.slice(whitespace.lastIndexOf('\n') + 1);

/**
 * The indentation step domEdit's indentStep finds between the unit's children (`inner`) and the
 * unit, whose indentation is that of the last line of `gap` (in the writer's small document, the
 * unit is in `<body>` in `<file>` in the root: three steps of two spaces when the gap has no line).
 */
function indentStep(inner: string, gap: string): string {
  const outer = /^[ \t\n\r]*$/.test(gap) && gap.includes('\n') ? lastLine(gap) : '      ';
  return inner.length > outer.length && inner.startsWith(outer) ? inner.slice(outer.length) : '  ';
}

// The unit's text, read with sticky expressions: markup exactly as the serializer writes it.
const START = /<trans-unit((?: [a-z:-]+="[^"&<>\t\n\r]*")*)>/y;
const LINE = /\n[ \t]*/y;
const SOURCE = /<source(?:>([^<]*)<\/source>|\/>)/y;
const TARGET = /<target((?: [a-z:-]+="[^"&<>\t\n\r]*")*)(?:>([^<]*)<\/target>|\/>)/y;
const PREVIOUS_START = new RegExp(`<alt-trans alttranstype="${PREVIOUS_VERSION}">`, 'y');
const PREVIOUS_END = /<\/alt-trans>/y;
const END = /<\/trans-unit>$/y;
const GROUP_START = /<count-group name="([^"&<>\t\n\r]*)">/y;
const COUNT = /<count count-type="(x-revision|x-source-version)" unit="(x-edit|x-version)">(0|[1-9][0-9]{0,14})<\/count>/y;
const GROUP_END = /<\/count-group>/y;
const ATTRIBUTE = / ([a-z:-]+)="([^"]*)"/g;
const UNIT_ATTRIBUTES = new Set(['id', 'xml:space', 'approved']);
const TARGET_ATTRIBUTES = new Set(['state', 'state-qualifier']);

/** The parts of a plain unit's text, or undefined when it is not one. */
function readPlainUnit(text: string): PlainUnit | undefined {
  let at = 0;
  const match = (pattern: RegExp): RegExpExecArray | undefined => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (!found) return undefined;
    at = pattern.lastIndex;
    return found;
  };
  const line = (): string | undefined => match(LINE)?.[0];

  const start = match(START);
  const attributes = start && attributesOf(start[1], UNIT_ATTRIBUTES);
  if (!attributes) return undefined;
  const beforeSource = line();
  const source = beforeSource === undefined ? undefined : match(SOURCE);
  const sourceText = source && decoded(source[1]);
  const beforeTarget = sourceText === undefined ? undefined : line();
  const target = beforeTarget === undefined ? undefined : match(TARGET);
  const targetAttributes = target && attributesOf(target[1], TARGET_ATTRIBUTES);
  const targetText = target && decoded(target[2]);
  if (sourceText === undefined || beforeSource === undefined || beforeTarget === undefined || !targetAttributes || targetText === undefined) return undefined;
  let closing = line();
  if (closing === undefined) return undefined;
  let previous: PlainUnit['previous'];
  if (match(PREVIOUS_START)) {
    const before = closing;
    const first = line();
    const ownSource = first === undefined ? undefined : match(SOURCE);
    const previousSource = ownSource ? decoded(ownSource[1]) : undefined;
    if (ownSource && previousSource === undefined) return undefined;
    const beforeOwnTarget = ownSource ? line() : first;
    const ownTarget = beforeOwnTarget === undefined ? undefined : match(TARGET);
    const previousTarget = ownTarget && ownTarget[1] === '' ? decoded(ownTarget[2]) : undefined;
    const end = previousTarget === undefined ? undefined : line();
    if (first === undefined || beforeOwnTarget === undefined || previousTarget === undefined || end === undefined || !match(PREVIOUS_END)) return undefined;
    previous = { before, beforeSource: ownSource ? first : undefined, source: previousSource, beforeTarget: beforeOwnTarget, target: previousTarget, closing: end };
    closing = line();
    if (closing === undefined) return undefined;
  }
  let counts: PlainUnit['counts'];
  const group = match(GROUP_START);
  if (group) {
    // The unit's own group (not the legacy shared one), each count once, with the unit appendCount gives it.
    const id = valueOf(attributes, 'id');
    if (id === undefined || group[1] !== revisionGroupName(id)) return undefined;
    const before = closing;
    const found: Count[] = [];
    let space = line();
    for (let count = space === undefined ? undefined : match(COUNT); count; count = space === undefined ? undefined : match(COUNT)) {
      const type = count[1] as Count['type'];
      if (count[2] !== COUNT_UNITS[type] || found.some((other) => other.type === type)) return undefined;
      found.push({ before: space as string, type, value: count[3] });
      space = line();
    }
    if (found.length === 0 || space === undefined || !match(GROUP_END)) return undefined;
    counts = { before, counts: found, closing: space };
    closing = line();
    if (closing === undefined) return undefined;
  }
  if (!match(END)) return undefined;
  return { attributes, beforeSource, source: sourceText, beforeTarget, targetAttributes, target: targetText, previous, counts, closing };
}

/** The attributes of a start tag (`raw`: what follows its name), when each is one `allowed`, once. */
function attributesOf(raw: string, allowed: ReadonlySet<string>): Attributes | undefined {
  const attributes: Attributes = [];
  for (const [, name, value] of raw.matchAll(ATTRIBUTE)) {
    if (!allowed.has(name) || valueOf(attributes, name) !== undefined) return undefined;
    attributes.push([name, value]);
  }
  return attributes;
}

/** A text's characters ('' for an empty element), when its escapes are the serializer's own (CR included): written back, it is the same text. */
function decoded(raw: string | undefined): string | undefined {
  if (raw === undefined) return '';
  if (raw.includes('>')) return undefined;
  if (!raw.includes('&')) return raw;
  const text = raw.replace(/&(lt|gt|amp|#13);/g, (_, name: string) => (name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'amp' ? '&' : '\r'));
  return escapeCarriageReturns(escapeText(text)) === raw ? text : undefined;
}
