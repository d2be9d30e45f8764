/** XLIFF 1.0, 1.1 and 1.2, as other tools (and the workbench) write them, into the interchange model. */
import type { Element } from '@xmldom/xmldom';
import { childElements } from './domEdit';
import type { InterchangeFile, InterchangeStatus, InterchangeUnit } from '../domain/interchange';
import { REVISION_COUNT_TYPE, REVISION_GROUP, revisionGroupName } from './xliff12Vocabulary';
import { Agreement, Collector, finish, inlineText, SkipUnit, translatable, unitsIn, wholeNumber } from './xliffReading';
import { hasText, toolStatus, unmappedState } from './toolStates';

/** The tool id the workbench's XLIFF 1.2 writer puts in every header (xliff12Model.ts createSkeleton). */
const WORKBENCH_TOOL_ID = 'translation-workbench';

/** Inline elements of 1.x that only wrap text: their text is the unit's text. */
const WRAPPERS_1 = new Set(['g', 'mrk']);
/** States a tool uses for translations that are not ready; anything named "fuzzy" (x-fuzzy) counts too. */
const FUZZY_QUALIFIERS = new Set(['fuzzy-match', 'mt-suggestion', 'tm-suggestion', 'leveraged-mt', 'leveraged-tm']);

/** Reads an XLIFF 1.0/1.1/1.2 document (its root element). */
export function read1(root: Element, version: string, fileName: string): InterchangeFile {
  const ns = root.namespaceURI;
  const result: InterchangeFile = { version, units: [], skipped: [] };
  const collector = new Collector();
  const languages = { source: new Agreement('source', fileName), target: new Agreement('target', fileName) };
  const files = childElements(root, ns, 'file');
  let unitCount = 0;
  for (const [fileIndex, fileEl] of files.entries()) {
    languages.source.see(fileEl.getAttribute('source-language'), fileEl);
    languages.target.see(fileEl.getAttribute('target-language'), fileEl);
    if (result.original === undefined && fileEl.hasAttribute('original')) result.original = fileEl.getAttribute('original') ?? undefined;
    const body = childElements(fileEl, ns, 'body')[0];
    if (!body) continue;
    const ours = writtenByWorkbench(fileEl, ns);
    const original = files.length > 1 ? (fileEl.getAttribute('original') ?? '') : undefined;
    for (const { el, translate, group } of unitsIn(body, ns, new Set(['trans-unit', 'bin-unit']), translatable(fileEl, true))) {
      if (el.localName === 'bin-unit') {
        collector.skip(el.getAttribute('id') ?? '', 'a binary unit (<bin-unit>): no text to translate');
      } else if (el.getAttribute('restype') === 'x-gettext-domain-header') {
        // po2xliff's copy of the PO header: metadata, not text to translate.
        collector.skip(el.getAttribute('id') ?? '', 'the gettext header of a PO file (metadata)');
      } else {
        // Ids are unique per <file> (see Collector.add); a unit of a file of several keeps its file's name.
        // Another tool's ids are its own (Passolo repeats them even within a group): they are never
        // matched to paragraphs here, so each unit is read, and matched by its source.
        // Each has a scope of its own, and its place ("#3") for a name when it has no id.
        const place = ours ? undefined : ++unitCount;
        const read = (id: string): InterchangeUnit => ({ ...readTransUnit(el, id, ns, ours), ...(original === undefined ? {} : { original }) });
        collector.add(el, translate, read, place === undefined ? `${fileIndex}/${group}` : `${fileIndex}/${group}/${place}`, place === undefined ? undefined : `#${place}`);
      }
    }
  }
  return finish(result, collector, languages.source.value, languages.target.value);
}

function readTransUnit(tu: Element, id: string, ns: string | null, ours: boolean): InterchangeUnit {
  const sourceEl = childElements(tu, ns, 'source')[0];
  if (!sourceEl) throw new SkipUnit('no <source>');
  const targetEl = childElements(tu, ns, 'target')[0];
  const target = targetEl ? inlineText(targetEl, ns, WRAPPERS_1) : undefined;
  const state = targetEl?.getAttribute('state') || undefined;
  const unit: InterchangeUnit = {
    id,
    source: inlineText(sourceEl, ns, WRAPPERS_1),
    status: hasText(target) ? (toolStatus(tu) ?? status1(tu.getAttribute('approved') === 'yes', target, state, targetEl?.getAttribute('state-qualifier') ?? undefined)) : 'untranslated',
    notes: childElements(tu, ns, 'note').map((note) => note.textContent ?? ''),
    contexts: [],
  };
  if (tu.hasAttribute('resname')) unit.resname = tu.getAttribute('resname') ?? '';
  // A target of whitespace alone (empty segment markers, a blank pretranslation) is no translation.
  if (hasText(target)) unit.target = target;
  if (state !== undefined) unit.rawState = state;
  const unmapped = hasText(target) ? unmappedState(tu, state) : undefined;
  if (unmapped !== undefined) unit.unmappedState = unmapped;
  for (const group of childElements(tu, ns, 'context-group')) {
    for (const context of childElements(group, ns, 'context')) unit.contexts.push(`${context.getAttribute('context-type') ?? ''}: ${context.textContent ?? ''}`);
  }
  // The workbench writes no revision count until a unit's first save: in its own files none means 0.
  const revision = revision1(tu, id, ns) ?? (ours ? 0 : undefined);
  if (revision !== undefined) unit.revision = revision;
  if (tu.lineNumber) unit.line = tu.lineNumber;
  return unit;
}

function status1(approved: boolean, target: string | undefined, state: string | undefined, qualifier: string | undefined): InterchangeStatus {
  if (!hasText(target)) return 'untranslated';
  // "new" with a target: text a tool put there (a copy of the source, a match), nobody's translation
  // yet. A state that says the target needs work wins over approved="yes" (a tool that sent it back
  // without taking the approval off), as do Translate Toolkit's x-needs-work and rejected.
  if (state?.startsWith('needs-') || state?.startsWith('x-needs') || state === 'new' || /fuzzy|rejected/i.test(state ?? '')) return 'needs-review';
  if (approved || state === 'final' || state === 'signed-off') return 'approved';
  if (qualifier !== undefined && (FUZZY_QUALIFIERS.has(qualifier) || qualifier.startsWith('rejected-'))) return 'needs-review';
  return 'translated';
}

/** Whether a 1.x `<file>` says the workbench wrote it (`<header><tool tool-id="translation-workbench">`, see xliff12Model.ts). */
function writtenByWorkbench(fileEl: Element, ns: string | null): boolean {
  const header = childElements(fileEl, ns, 'header')[0];
  return !!header && childElements(header, ns, 'tool').some((tool) => tool.getAttribute('tool-id') === WORKBENCH_TOOL_ID);
}

/** The workbench's revision: `<count-group name="workbench:<id>">` (or the legacy "workbench") holding `<count count-type="x-revision">`. */
function revision1(tu: Element, id: string, ns: string | null): number | undefined {
  const groups = childElements(tu, ns, 'count-group');
  const own = revisionGroupName(id);
  const group =
    groups.find((g) => g.getAttribute('name') === own) ??
    groups.find((g) => g.getAttribute('name') === REVISION_GROUP || (g.getAttribute('name') ?? '').startsWith(`${REVISION_GROUP}:`));
  const count = group && childElements(group, ns, 'count').find((c) => c.getAttribute('count-type') === REVISION_COUNT_TYPE);
  return count ? wholeNumber(count.textContent ?? '') : undefined;
}
