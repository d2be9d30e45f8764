/** XLIFF 2.0 (and 2.1, same core) into the interchange model. */
import type { Element } from '@xmldom/xmldom';
import { childElements } from './domEdit';
import type { InterchangeFile, InterchangeStatus, InterchangeUnit } from '../domain/interchange';
import { WORKBENCH_NS, XLIFF20_NS } from './xliff20';
import { Collector, finish, inlineText, SkipUnit, translatable, unitsIn, wholeNumber } from './xliffReading';
import { hasText, subStateStatus } from './toolStates';

/** 2.0 inline elements whose text is the unit's text. */
const WRAPPERS_2 = new Set(['pc', 'mrk']);
const STATUS_RANK: InterchangeStatus[] = ['needs-review', 'translated', 'approved'];

/** Reads an XLIFF 2.0/2.1 document (its root element). */
export function read2(root: Element, version: string): InterchangeFile {
  const result: InterchangeFile = { version, units: [], skipped: [] };
  const collector = new Collector();
  const files = childElements(root, XLIFF20_NS, 'file');
  for (const [fileIndex, fileEl] of files.entries()) {
    if (result.original === undefined && fileEl.hasAttribute('original')) result.original = fileEl.getAttribute('original') ?? undefined;
    const original = files.length > 1 ? (fileEl.getAttribute('original') ?? fileEl.getAttribute('id') ?? '') : undefined;
    for (const { el, translate, group } of unitsIn(fileEl, XLIFF20_NS, new Set(['unit']), translatable(fileEl, true))) {
      // Ids are unique per <file> (see Collector.add); a unit of a file of several keeps its file's name.
      collector.add(el, translate, (id) => ({ ...readUnit2(el, id), ...(original === undefined ? {} : { original }) }), `${fileIndex}/${group}`);
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
  const parts = childElements(unitEl, XLIFF20_NS).filter((el) => el.localName === 'segment' || el.localName === 'ignorable');
  if (parts.length === 0) throw new SkipUnit('no <segment>');
  let source = '';
  const targets: (string | undefined)[] = new Array<string | undefined>(parts.length);
  const statuses: InterchangeStatus[] = [];
  const states: string[] = [];
  let anyTarget = false;
  let unmapped: string | undefined;
  parts.forEach((part, i) => {
    const sourceEl = childElements(part, XLIFF20_NS).find((el) => el.localName === 'source');
    if (!sourceEl) throw new SkipUnit(`a <${part.localName}> without <source>`);
    const partSource = inlineText(sourceEl, XLIFF20_NS, WRAPPERS_2);
    source += partSource;
    const targetEl = childElements(part, XLIFF20_NS).find((el) => el.localName === 'target');
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
    if (hasText(target)) anyTarget = true;
    targets[order - 1] = target ?? '';
    // A tool's own subState (memoQ's and Trados' states) wins over state, as their 1.2 states do; another is reported.
    const subState = part.getAttribute('subState') || undefined;
    const byTool = hasText(target) ? subStateStatus(subState) : undefined;
    if (subState !== undefined && hasText(target) && byTool === undefined) unmapped ??= `subState="${subState}"`;
    statuses.push(byTool ?? status2(state, target));
  });
  const unit: InterchangeUnit = { id, source, status: combinedStatus(statuses, anyTarget), notes: notes2(unitEl), contexts: [] };
  if (unitEl.hasAttribute('name')) unit.resname = unitEl.getAttribute('name') ?? '';
  const target = targets.join('');
  if (anyTarget && hasText(target)) unit.target = target;
  const distinct = [...new Set(states)];
  if (distinct.length > 0) unit.rawState = distinct.join(' ');
  if (unmapped !== undefined && unit.target !== undefined) unit.unmappedState = unmapped;
  if (unitEl.hasAttributeNS(WORKBENCH_NS, 'revision')) {
    const revision = wholeNumber(unitEl.getAttributeNS(WORKBENCH_NS, 'revision') ?? '');
    if (revision !== undefined) unit.revision = revision;
  }
  if (unitEl.lineNumber) unit.line = unitEl.lineNumber;
  return unit;
}

function status2(state: string, target: string | undefined): InterchangeStatus {
  if (!hasText(target)) return 'untranslated';
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
  const notesEl = childElements(unitEl, XLIFF20_NS).find((el) => el.localName === 'notes');
  return notesEl ? childElements(notesEl, XLIFF20_NS, 'note').map((note) => note.textContent ?? '') : [];
}
