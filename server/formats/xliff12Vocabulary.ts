/** XLIFF 1.2 names and lookups shared by the reader and the writer (parseXliff12, buildXliff12, updateXliff12). */
import type { Element } from '@xmldom/xmldom';
import type { XliffState } from '../domain/types';
import { childElements, isElement } from './domEdit';

export const XLIFF12_NS = 'urn:oasis:names:tc:xliff:document:1.2';

/**
 * The revision counter lives in `<count-group name="workbench:<unit id>"><count count-type="x-revision"
 * unit="x-edit">N</count></count-group>`. The name carries the unit id because the strict schema
 * makes count-group names a key across the whole <file> (K_count-group_name): one shared name
 * "workbench" in every unit would not validate. A plain "workbench" is still read (and renamed on write).
 */
export const REVISION_GROUP = 'workbench';
export const revisionGroupName = (unitId: string): string => `${REVISION_GROUP}:${unitId}`;
export const REVISION_COUNT_TYPE = 'x-revision';
export const REVISION_UNIT = 'x-edit';

/**
 * Drift. The source version a unit's translation was made from is a second count in the unit's own
 * group: `<count count-type="x-source-version" unit="x-version">N</count>`. The version the whole file
 * has been brought up to is the same count in `<header><count-group name="workbench:file">`. (The
 * count-group name key spans the header too: a trans-unit with the id "file" would collide with it;
 * the workbench's own ids, `s` + hex digits, never do.)
 */
export const SOURCE_VERSION_COUNT_TYPE = 'x-source-version';
export const SOURCE_VERSION_UNIT = 'x-version';
export const FILE_GROUP = revisionGroupName('file');

/** The previous source and translation of a drifted unit: `<alt-trans alttranstype="previous-version">`. */
export const PREVIOUS_VERSION = 'previous-version';

export const XLIFF_STATES: ReadonlySet<string> = new Set<XliffState>([
  'new',
  'needs-translation',
  'needs-adaptation',
  'needs-l10n',
  'needs-review-adaptation',
  'needs-review-l10n',
  'needs-review-translation',
  'translated',
  'signed-off',
  'final',
]);
export const NOTE_ANNOTATES: ReadonlySet<string> = new Set(['source', 'target', 'general']);

/** Every `<trans-unit>` under `parent` in document order, descending into `<group>`s. */
export function transUnits(parent: Element): Element[] {
  const out: Element[] = [];
  for (const el of childElements(parent, XLIFF12_NS)) {
    if (el.localName === 'trans-unit') out.push(el);
    else if (el.localName === 'group') out.push(...transUnits(el));
  }
  return out;
}

/** The unit's revision `<count-group>` (its own name first, then a legacy shared "workbench"). */
export function revisionGroup(tu: Element): Element | undefined {
  const groups = childElements(tu, XLIFF12_NS, 'count-group');
  const exact = revisionGroupName(tu.getAttribute('id') ?? '');
  return (
    groups.find((g) => g.getAttribute('name') === exact) ??
    groups.find((g) => {
      const name = g.getAttribute('name') ?? '';
      return name === REVISION_GROUP || name.startsWith(`${REVISION_GROUP}:`);
    })
  );
}

/** The `<count count-type="x-revision">` of a revision `<count-group>` (none without a group). */
export function revisionCountIn(group: Element | undefined): Element | undefined {
  return countIn(group, REVISION_COUNT_TYPE);
}

/** The first `<count>` of `group` with the given count-type (none without a group). */
export function countIn(group: Element | undefined, countType: string): Element | undefined {
  if (!group) return undefined;
  for (let node = group.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.namespaceURI === XLIFF12_NS && node.localName === 'count' && node.getAttribute('count-type') === countType) return node;
  }
  return undefined;
}

/** The XLIFF 1.2 state qualifier of a translation a machine made, as it made it. */
export const MACHINE_QUALIFIER = 'mt-suggestion';
