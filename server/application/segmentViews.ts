import { checkTranslation, type CheckLanguages, type CheckResult } from '../domain/checkTranslation';
import type { Segment, Unit, WorkflowState } from '../domain/types';
import { wordDiff, type WordDiffPart } from '../domain/wordDiff';
import { workflowState } from '../domain/workflowState';
import type { LocaleContext } from './workbench';

/** A glossary term found in a source text, as the editor and the API show it. */
export interface TermAt {
  id: string;
  source: string;
  translations: string[];
  forbidden: string[];
  note: string;
  partOfSpeech: string;
  at: [number, number];
}

/** A segment as the editor and the API show it. */
export interface SegmentView {
  id: string;
  kind: Segment['kind'];
  level?: number;
  ordered?: boolean;
  continued?: boolean;
  translatable: boolean;
  source: string;
  target: string | null;
  state: WorkflowState | null;
  revision: number;
  checks: CheckResult[];
  /** Reviewers' comments on the translation (XLIFF notes). */
  notes: { from?: string; text: string }[];
  /** The glossary's terms in the source, where they are (none without a glossary). */
  terms?: TermAt[];
  /** For a drifted translation: the source it was made from, and the word diff from that to the current source. */
  drift?: { previousSource: string; previousTarget: string | null; diff: WordDiffPart[] };
}

/** A segment and its unit as the editor and the API show them: state, checks, notes and, for a drifted one, the diff. */
export function segmentView(segment: Segment, unit: Unit | undefined, languages?: CheckLanguages): SegmentView {
  const state = segment.translatable ? workflowState(segment, unit) : null;
  return {
    id: segment.id,
    kind: segment.kind,
    level: segment.level,
    ordered: segment.ordered,
    continued: segment.continued,
    translatable: segment.translatable,
    source: segment.text,
    target: unit?.target ?? null,
    state,
    revision: unit?.revision ?? 0,
    checks: unit?.target ? checksOf(segment, unit, languages) : [],
    notes: (unit?.notes ?? []).map((n) => ({ from: n.from, text: n.text })),
    drift: state === 'drifted' && unit ? driftOf(segment, unit) : undefined,
    terms: segment.translatable && languages?.glossary?.size ? termsOf(languages.glossary, segment.text) : undefined,
  };
}

/** The glossary's terms in a source text, in order. */
export function termsOf(glossary: NonNullable<CheckLanguages['glossary']>, text: string): TermAt[] {
  return glossary.termsIn(text).map(({ term, at }) => ({ id: term.id, source: term.source, translations: term.translations, forbidden: term.forbidden, note: term.note, partOfSpeech: term.partOfSpeech, at }));
}

function driftOf(segment: Segment, unit: Unit): SegmentView['drift'] {
  const previousSource = unit.previous?.source ?? unit.source;
  return { previousSource, previousTarget: unit.previous?.target ?? null, diff: wordDiff(previousSource, segment.text) };
}

/** The languages of a locale's texts, for the checks. */
export function languagesOf(context: LocaleContext): CheckLanguages {
  return { source: context.document.meta.language, target: context.locale.code, glossary: context.glossary, speller: context.speller };
}

/**
 * The checks of units already worked out, by unit: a version of a locale file shares the units it
 * did not change with the version before, so a book's checks are worked out once per process and
 * again only for what changed (a unit is never changed in place). An entry holds for the source
 * text, the glossary and the dictionary it was worked out with.
 */
const checked = new WeakMap<Unit, { source: string; glossary: CheckLanguages['glossary']; speller: CheckLanguages['speller']; all?: CheckResult[]; errors?: CheckResult[] }>();

/** The checks a unit's translation fails against its paragraph's source (`errorsOnly`: only the errors), kept with the unit. */
export function checksOf(segment: Segment, unit: Unit, languages?: CheckLanguages, options: { errorsOnly?: boolean } = {}): CheckResult[] {
  if (!unit.target) return [];
  let entry = checked.get(unit);
  if (!entry || entry.source !== segment.text || entry.glossary !== languages?.glossary || entry.speller !== languages?.speller) {
    entry = { source: segment.text, glossary: languages?.glossary, speller: languages?.speller };
    checked.set(unit, entry);
  }
  if (entry.all) return options.errorsOnly ? entry.all.filter((check) => check.severity === 'error') : entry.all;
  if (options.errorsOnly) return (entry.errors ??= checkTranslation(segment.text, unit.target, languages, { errorsOnly: true }));
  return (entry.all = checkTranslation(segment.text, unit.target, languages));
}

/** A locale's open checks (see Translations.openChecks) by check, errors first, then the most failed; each with the paragraphs failing it, in document order. */
export function checksByCheck(open: ReadonlyMap<string, CheckResult[]>): { id: string; severity: CheckResult['severity']; failing: { segment: string; check: CheckResult }[] }[] {
  const groups = new Map<string, { id: string; severity: CheckResult['severity']; failing: { segment: string; check: CheckResult }[] }>();
  for (const [segment, checks] of open) {
    for (const check of checks) {
      const group = groups.get(check.id) ?? { id: check.id, severity: check.severity, failing: [] };
      groups.set(check.id, group);
      group.failing.push({ segment, check });
    }
  }
  return [...groups.values()].sort((a, b) => (a.severity === b.severity ? b.failing.length - a.failing.length : a.severity === 'error' ? -1 : 1));
}
