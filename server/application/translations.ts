import { completeUnits } from '../domain/completeUnits';
import { checkDocumentId } from '../domain/documentId';
import type { Progress } from '../domain/computeProgress';
import { canonicalLocale } from '../domain/localeTag';
import type { Suggestion } from '../domain/discussion';
import type { Segment, SourceDocument, Unit } from '../domain/types';
import type { CheckResult } from '../domain/checkTranslation';
import type { CheckDismissal } from '../storage/checkDismissalRepository';
import type { ReadonlyUnit } from '../storage/localeStore';
import { derivedFile, isCompleteFor, progressIn, segmentsOf, unitIn } from './localeTally';
import { wordDiff } from '../domain/wordDiff';
import { acceptSuggestion } from '../domain/workflow/acceptSuggestion';
import { approve } from '../domain/workflow/approve';
import { AUTHOR_ACTIONS, authorOf } from '../domain/workflow/authorOf';
import { keepCurrent } from '../domain/workflow/keepCurrent';
import { propagate } from '../domain/workflow/propagate';
import { replaceText } from '../domain/workflow/replaceText';
import { fold, queryRegex, queryTerms, type SearchMode } from '../domain/findInText';
import { runRegex } from './regexSearch';
import { revertTarget, revertTo } from '../domain/workflow/revertTo';
import { sendBack } from '../domain/workflow/sendBack';
import type { TransitionInput, TransitionResult } from '../domain/workflow/transition';
import { translate } from '../domain/workflow/translate';
import { workflowState } from '../domain/workflowState';
import { isWorkbenchError, WorkbenchError } from '../errors';
import { MAX_TARGET_LENGTH } from '../domain/limits';
import { checksOf, languagesOf, segmentView, type SegmentView } from './segmentViews';
import { planAgainOnSourceMovedOn, SourceMovedOn } from './sourceMovedOn';
import { ParagraphChanges } from './paragraphChanges';
import { spellerWithin } from './spellerWithin';
import { turnTaker } from './turnTaker';
import { progressJson } from './presenters';
import { LocaleWriteBatches } from './localeWriteBatches';
import { syncLocale, type WorkbenchStores } from './syncLocale';
import type { LocaleContext, Workbench } from './workbench';

/** A paragraph with the same source text as another (see Translations.sameSource). */
export interface SameSourceParagraph {
  document: string;
  segment: string;
  state: string;
  revision: number;
}

/** The paragraphs with the same source text as one paragraph, and its current translation (if any). */
export interface SameSource {
  target?: string;
  fill: SameSourceParagraph[];
  differ: SameSourceParagraph[];
}

/** A paragraph in another language of its document (see Translations.otherLanguages). */
export interface OtherLanguage {
  lang: string;
  name: string;
  dir: 'ltr' | 'rtl';
  state: string;
  target: string | null;
  who?: string;
}

/** A change of a search and replace: the translation before and after, their word diff, and the revision it is made from (or was made at). */
export interface ReplaceChange {
  segment: string;
  before: string;
  after: string;
  diff: ReturnType<typeof wordDiff>;
  revision: number;
}

/** `text` with every place of `phrase` (folded: case and diacritics) replaced by `replacement`. */
function replaceFolded(text: string, phrase: string, replacement: string): string {
  const folded = fold(text);
  let out = '';
  let copied = 0;
  for (let at = folded.text.indexOf(phrase); at >= 0; at = folded.text.indexOf(phrase, at + phrase.length)) {
    const start = folded.from[at];
    const end = folded.from[at + phrase.length];
    if (start < copied) continue;
    out += text.slice(copied, start) + replacement;
    copied = end;
  }
  return out + text.slice(copied);
}

/** Who a change is credited to when nobody signed in made it (the CLI without --by, the tests). */
export const ANONYMOUS = 'anonymous';

/**
 * Changing one paragraph's translation: save, keep current, approve, send back, go back to a version,
 * take a suggestion. Each applies a transition of domain/workflow under the locale file's lock and
 * records the history entry it implies; a stale base revision is a 409 that overwrites nothing.
 */
export class Translations {
  /** Every paragraph this process changes, for whoever listens (the live pages). */
  readonly changes = new ParagraphChanges();
  /** Changes to one locale file, written together (group commit). */
  private readonly batches: LocaleWriteBatches;

  constructor(
    private readonly stores: WorkbenchStores,
    private readonly workbench: Pick<Workbench, 'document' | 'locale' | 'documentIds' | 'withSpeller'>,
  ) {
    this.batches = new LocaleWriteBatches(stores);
  }

  /** Makes a suggestion the translation (credited to its author too); the caller marks it decided. */
  acceptSuggestion(documentId: string, lang: string, suggestion: Suggestion, baseRevision: unknown, who: string): Promise<{ segment: SegmentView; progress: Progress }> {
    return this.changeUnit(documentId, lang, suggestion.segment, baseRevision, who, (change) => acceptSuggestion(change, suggestion));
  }

  /**
   * Saves a translation. `baseRevision` is the revision the translator started from: when the
   * paragraph has been saved since, the save is refused (409) with the current text, never overwriting it.
   */
  async saveTarget(
    documentId: string,
    lang: string,
    segmentId: string,
    input: { target?: unknown; baseRevision?: unknown; machine?: (source: string) => { provider: string; text: string } | undefined },
    who = ANONYMOUS,
  ): Promise<{ segment: SegmentView; progress: Progress }> {
    const target = checkTarget(input.target);
    // `machine`: the suggestion the box was filled from, as this server gave it for the paragraph's source.
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, (change) => translate(change, target, input.machine?.(change.segment.text)));
  }

  /** A translator's decision that a drifted translation is still correct for the new source: it becomes current as it is. */
  async confirmCurrent(documentId: string, lang: string, segmentId: string, input: { baseRevision?: unknown }, who = ANONYMOUS) {
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, keepCurrent);
  }

  /**
   * A reviewer approves a current translation (XLIFF `approved="yes"`, state `signed-off`). A
   * reviewer may not approve their own translation unless the project allows it.
   */
  async approve(documentId: string, lang: string, segmentId: string, input: { baseRevision?: unknown }, who: string, options: { allowSelfApproval?: boolean } = {}) {
    // An error of the checks (not dismissed by a reviewer) blocks the approval until it is fixed.
    const context = await this.workbench.locale(documentId, lang);
    const segment = segmentsOf(context.document).get(segmentId);
    if (segment?.translatable) {
      const open = (await this.openChecks(context, [segment], { errorsOnly: true })).get(segment.id) ?? [];
      if (open.length > 0) {
        throw new WorkbenchError(409, 'checks-open', `This translation has errors to fix (or a reviewer to dismiss) before it is approved: ${open.map((check) => check.id).join(', ')}.`, {
          params: { checks: open.map((check) => check.id).join(', ') },
          details: { checks: open.map(({ id, severity }) => ({ id, severity })) },
        });
      }
    }
    const author = await this.lastAuthor(documentId, lang, segmentId);
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, (change) => approve(change, { author, allowSelfApproval: options.allowSelfApproval ?? false }));
  }

  /** A reviewer sends a translation back with a comment (an XLIFF `<note from>`): it needs work. */
  async reject(documentId: string, lang: string, segmentId: string, input: { baseRevision?: unknown; comment?: unknown }, who: string) {
    const comment = typeof input.comment === 'string' ? input.comment : '';
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, (change) => sendBack(change, comment));
  }

  /**
   * The other paragraphs of this language, in every document of the same source language, whose
   * source text is this paragraph's: those a propagation fills (no translation, or one sent back
   * for work), and those translated otherwise (never overwritten: listed for the translator).
   * Paragraphs that already have this very translation are neither.
   */
  async sameSource(documentId: string, lang: string, segmentId: string): Promise<SameSource> {
    const context = await this.workbench.locale(documentId, lang);
    const segment = segmentsOf(context.document).get(segmentId);
    if (!segment?.translatable) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${segmentId}".`, { params: { title: context.document.meta.title, id: String(segmentId) } });
    const unit = context.units.get(segment.id);
    const state = workflowState(segment, unit);
    const target = unit?.target !== undefined && (state === 'translated' || state === 'approved') ? unit.target : undefined;
    const fill: SameSourceParagraph[] = [];
    const differ: SameSourceParagraph[] = [];
    for (const id of await this.workbench.documentIds()) {
      let other;
      try {
        other = id === context.document.id ? context : await this.workbench.locale(id, lang);
      } catch (err) {
        if (isWorkbenchError(err) && err.status < 500) continue; // not in this language
        throw err;
      }
      if (other.document.meta.language !== context.document.meta.language) continue;
      for (const candidate of other.document.segments) {
        if (!candidate.translatable || candidate.text !== segment.text || (other.document.id === context.document.id && candidate.id === segment.id)) continue;
        const theirs = other.units.get(candidate.id);
        const theirState = workflowState(candidate, theirs);
        const paragraph = { document: other.document.id, segment: candidate.id, state: theirState, revision: theirs?.revision ?? 0 };
        if (theirState === 'untranslated' || theirState === 'needs-work') fill.push(paragraph);
        else if (theirs?.target !== target) differ.push(paragraph);
      }
    }
    return { target, fill, differ };
  }

  /**
   * Applies this paragraph's translation to the other paragraphs of the language with the same
   * source text that have none (or one sent back): each is its own change, with its own history
   * entry (`propagate`), made from the revision seen; one saved meanwhile is skipped and listed,
   * never overwritten, and so are those translated otherwise.
   */
  async propagate(documentId: string, lang: string, segmentId: string, who: string): Promise<{ applied: SameSourceParagraph[]; skipped: (SameSourceParagraph & { reason: string })[]; differ: SameSourceParagraph[] }> {
    const { target, fill, differ } = await this.sameSource(documentId, lang, segmentId);
    if (target === undefined) throw new WorkbenchError(409, 'nothing-to-propagate', 'This paragraph has no current translation to apply to the others.');
    const applied: SameSourceParagraph[] = [];
    const skipped: (SameSourceParagraph & { reason: string })[] = [];
    for (const paragraph of fill) {
      try {
        const { segment } = await this.changeUnit(paragraph.document, lang, paragraph.segment, paragraph.revision, who, (change) => propagate(change, target));
        applied.push({ ...paragraph, state: segment.state ?? 'translated', revision: segment.revision });
      } catch (err) {
        if (!isWorkbenchError(err) || err.status >= 500) throw err;
        skipped.push({ ...paragraph, reason: err.message });
      }
    }
    return { applied, skipped, differ };
  }

  /**
   * The same paragraph in the document's other languages (a translator may pivot through one
   * they read better): each language with its translation, state and who last wrote it.
   */
  async otherLanguages(documentId: string, lang: string, segmentId: string): Promise<OtherLanguage[]> {
    const context = await this.workbench.locale(documentId, lang);
    const segment = segmentsOf(context.document).get(segmentId);
    if (!segment?.translatable) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${segmentId}".`, { params: { title: context.document.meta.title, id: String(segmentId) } });
    const others: OtherLanguage[] = [];
    for (const code of await this.stores.locales.listLocales(context.document.id)) {
      if (code === context.locale.code) continue;
      let other;
      try {
        other = await this.workbench.locale(context.document.id, code);
      } catch (err) {
        if (isWorkbenchError(err) && err.status < 500) continue; // a broken file: its page says why
        throw err;
      }
      const unit = other.units.get(segment.id);
      const state = workflowState(segment, unit);
      const author = state === 'untranslated' ? undefined : authorOf(await this.stores.history.last(context.document.id, code, segment.id, AUTHOR_ACTIONS));
      others.push({ lang: code, name: other.locale.nativeName, dir: other.locale.dir, state, target: unit?.target ?? null, ...(author ? { who: author } : {}) });
    }
    return others;
  }

  /**
   * Search and replace in a language's translations of a document: a preview of every change (the
   * word diff of each), or, without `dryRun`, each change made as its own history entry
   * (`replace`) from the revision the preview saw (`revisions`, by paragraph, when given; else
   * the one seen now): a paragraph saved meanwhile is skipped and listed, never overwritten, and so
   * is one the replacement would leave empty. Words and phrases are found as a phrase, case and
   * diacritics folded; a regular expression replaces as String.replace does ($1…).
   */
  async replace(
    documentId: string,
    lang: string,
    input: { find: string; replace: string; mode: SearchMode; dryRun?: boolean; revisions?: Record<string, number> },
    who: string,
  ): Promise<{ dryRun: boolean; changes: ReplaceChange[]; skipped: { segment: string; reason: string; message: string }[] }> {
    const context = await this.workbench.locale(documentId, lang);
    const paragraphs: { segment: string; before: string; revision: number }[] = [];
    for (const segment of context.document.segments) {
      const unit = segment.translatable ? context.units.get(segment.id) : undefined;
      if (unit?.target) paragraphs.push({ segment: segment.id, before: unit.target, revision: unit.revision });
    }
    let afters: string[];
    if (input.mode === 'regex') {
      afters = (await runRegex(queryRegex(input.find), paragraphs.map((p) => p.before), input.replace)).replaced ?? [];
    } else {
      const [phrase] = queryTerms(input.find.trim(), 'phrase');
      afters = paragraphs.map((p) => replaceFolded(p.before, phrase, input.replace));
    }
    const changes: ReplaceChange[] = [];
    const skipped: { segment: string; reason: string; message: string }[] = [];
    paragraphs.forEach((p, i) => {
      const after = afters[i];
      if (after === p.before) return;
      if (after.trim() === '') skipped.push({ segment: p.segment, reason: 'would-empty', message: 'The replacement would leave this translation empty: it was left as it is.' });
      else changes.push({ segment: p.segment, before: p.before, after, diff: wordDiff(p.before, after), revision: input.revisions?.[p.segment] ?? p.revision });
    });
    if (input.dryRun) return { dryRun: true, changes, skipped };
    const made: ReplaceChange[] = [];
    for (const change of changes) {
      try {
        const { segment } = await this.changeUnit(context.document.id, context.locale.code, change.segment, change.revision, who, (c) => {
          // The text the preview saw: a translation changed since (at the same revision, which cannot be) is not replaced blind.
          if (c.unit.target !== change.before) throw new WorkbenchError(409, 'revision-conflict', 'This paragraph changed since the preview.');
          return replaceText(c, change.after);
        });
        made.push({ ...change, revision: segment.revision });
      } catch (err) {
        if (!isWorkbenchError(err) || err.status >= 500) throw err;
        skipped.push({ segment: change.segment, reason: err.code === 'revision-conflict' ? 'changed-meanwhile' : err.code, message: err.message });
      }
    }
    return { dryRun: false, changes: made, skipped };
  }

  /** The checks a locale's paragraphs fail (`errorsOnly`: only the errors, worked out alone), less those dismissed for their current text, by paragraph (those failing none left out). */
  async openChecks(context: LocaleContext, segments: readonly Segment[] = context.document.segments, options: { errorsOnly?: boolean } = {}): Promise<Map<string, CheckResult[]>> {
    await this.workbench.withSpeller(context);
    const dismissed = (await this.stores.dismissals?.list(context.document.id, context.locale.code)) ?? new Map<string, CheckDismissal[]>();
    const open = new Map<string, CheckResult[]>();
    const languages = languagesOf(context);
    // A book's checks take seconds the first time: other requests are served in between.
    const pause = turnTaker();
    for (const segment of segments) {
      const unit = segment.translatable ? context.units.get(segment.id) : undefined;
      if (!unit?.target) continue;
      const paused = pause();
      if (paused) await paused;
      const gone = (dismissed.get(segment.id) ?? []).filter((d) => d.target === unit.target).map((d) => d.check);
      const checks = checksOf(segment, unit, languages, options).filter((check) => !gone.includes(check.id));
      if (checks.length > 0) open.set(segment.id, checks);
    }
    return open;
  }

  /**
   * Dismisses a check of a paragraph's current translation (it comes back if the text changes):
   * a warning by a translator or a reviewer of the language, an error by a reviewer only (the
   * caller says which `who` may be). Recorded, and in the paragraph's history (`dismiss-check`).
   */
  async dismissCheck(documentId: string, lang: string, segmentId: string, checkId: string, who: string, canReview: boolean): Promise<{ check: string; severity: string }> {
    const context = await this.workbench.locale(documentId, lang);
    const segment = segmentsOf(context.document).get(segmentId);
    if (!segment?.translatable) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${segmentId}".`, { params: { title: context.document.meta.title, id: String(segmentId) } });
    const check = (await this.openChecks(context, [segment])).get(segment.id)?.find((c) => c.id === checkId);
    if (!check) throw new WorkbenchError(404, 'check-not-open', `The translation of this paragraph does not fail the check "${checkId}" (or it was dismissed already).`, { params: { check: checkId } });
    if (check.severity === 'error' && !canReview) throw new WorkbenchError(403, 'reviewer-only', 'Only a reviewer of the language may dismiss an error.');
    const unit = context.units.get(segment.id) as Unit;
    const at = new Date().toISOString();
    if (!this.stores.dismissals) throw new WorkbenchError(500, 'no-dismissals', 'This workbench keeps no record of dismissed checks.');
    await this.stores.dismissals.put(context.document.id, context.locale.code, { segment: segment.id, check: check.id, target: unit.target as string, who, at });
    await this.stores.history.append(context.document.id, context.locale.code, [{ at, who, segment: segment.id, action: 'dismiss-check', after: { target: unit.target, state: unit.state } }]);
    return { check: check.id, severity: check.severity };
  }

  /** A paragraph's history, oldest first, each entry with the word diff from its text to the current translation. */
  async history(documentId: string, lang: string, segmentId: string) {
    const context = await this.workbench.withSpeller(await this.workbench.locale(documentId, lang));
    const segment = segmentsOf(context.document).get(segmentId);
    if (!segment) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${segmentId}".`, { params: { title: context.document.meta.title, id: String(segmentId) } });
    const current = context.units.get(segmentId);
    const entries = await this.stores.history.list(context.document.id, context.locale.code, segmentId);
    return {
      context,
      segment: segmentView(segment, current, languagesOf(context)),
      entries: entries.map((entry, index) => ({
        index,
        ...entry,
        diffToCurrent: entry.after?.target !== undefined && current?.target !== undefined ? wordDiff(entry.after.target, current.target) : undefined,
      })),
    };
  }

  /** Puts back the translation a history entry recorded; the revert is itself a new history entry. */
  async revert(documentId: string, lang: string, segmentId: string, input: { entry?: unknown; baseRevision?: unknown }, who: string) {
    const code = canonicalLocale(lang);
    const entries = await this.stores.history.list(checkDocumentId(documentId), code, segmentId);
    const entry = typeof input.entry === 'number' ? entries[input.entry] : undefined;
    // Checked before the revision, so that a wrong entry is a 404 whatever the base revision.
    revertTarget(entry);
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, (change) => revertTo(change, entry));
  }

  /** Who last wrote the translation of a paragraph (from its history), if anyone. */
  async lastAuthor(documentId: string, lang: string, segmentId: string): Promise<string | undefined> {
    return authorOf(await this.stores.history.last(checkDocumentId(documentId), canonicalLocale(lang), segmentId, AUTHOR_ACTIONS));
  }

  /**
   * The common path of every change to one paragraph: load, check the revision, apply the domain's
   * transition under the locale file's lock, record the history entry it implies.
   */
  private async changeUnit(
    documentId: string,
    lang: string,
    segmentId: string,
    baseRevision: unknown,
    who: string,
    transition: (input: TransitionInput) => TransitionResult,
  ): Promise<{ segment: SegmentView; progress: Progress }> {
    // Under the project's lock from the first read to the history entry: no other process writes
    // the file between them. The file's source version is checked under its own lock: a source
    // update that came between the document's load and the file's (this process's own, which the
    // lock does not keep out) makes the change start over on the new version, never writing units
    // of the old one back into the file.
    const changed = await this.stores.lock.hold(() => planAgainOnSourceMovedOn(() => this.changeUnitOnce(documentId, lang, segmentId, baseRevision, who, transition)));
    if (this.changes.size > 0) {
      const { segment, progress } = changed;
      this.changes.publish({ document: checkDocumentId(documentId), lang: canonicalLocale(lang), id: segment.id, revision: segment.revision, state: segment.state, target: segment.target ?? null, who, progress: progressJson(progress) });
    }
    return changed;
  }

  private async changeUnitOnce(
    documentId: string,
    lang: string,
    segmentId: string,
    baseRevision: unknown,
    who: string,
    transition: (input: TransitionInput) => TransitionResult,
  ): Promise<{ segment: SegmentView; progress: Progress }> {
    const document = await this.workbench.document(documentId);
    const code = canonicalLocale(lang);
    const found = segmentsOf(document).get(segmentId);
    const segment = found?.translatable ? found : undefined;
    if (!segment) throw new WorkbenchError(404, 'segment-not-found', `"${document.meta.title}" has no paragraph "${segmentId}".`, { params: { title: document.meta.title, id: String(segmentId) } });
    if (typeof baseRevision !== 'number' || !Number.isInteger(baseRevision) || baseRevision < 0) {
      throw new WorkbenchError(400, 'invalid-base-revision', 'baseRevision must be the revision the translation was edited from (a whole number, 0 or more).');
    }
    // One look at the file in the common case, a current and complete one (a look is a stat of it).
    const ready = await this.stores.locales.peek(document.id, code, (file) => (file.sourceVersion ?? 1) >= document.version && isCompleteFor(document, file));
    if (ready !== true) {
      await syncLocale(this.stores, document, code);
      await this.completeFile(document, code);
    }
    // The save goes through whatever becomes of the dictionary (it is only for the checks of the answer).
    const [glossary, speller] = await Promise.all([this.stores.glossary?.matcher(code, document.meta.language), spellerWithin(this.stores.spelling?.speller(code))]);
    // Applied with the other changes waiting on this file, written and made durable with them.
    const change = this.batches.submit(document.id, code, {
      apply: (units) => {
        const { file } = units;
        if ((file.sourceVersion ?? 1) !== document.version) throw new SourceMovedOn(document.version, file.sourceVersion ?? 1);
        // Another change of this process (an import) left the file without a unit for each paragraph: planned again.
        if (!isCompleteFor(document, file)) throw new SourceMovedOn(document.version, file.sourceVersion ?? 1);
        const unit = units.get(segment.id) as ReadonlyUnit;
        if (unit.revision !== baseRevision) {
          throw new WorkbenchError(409, 'revision-conflict', 'This paragraph was saved by someone else since you opened it. Compare, then save again.', {
            params: {},
            details: { current: { target: unit.target ?? null, revision: unit.revision, state: workflowState(segment, unit as Unit) } },
          });
        }
        const result = transition({ unit: unit as Unit, segment, version: document.version, who, at: new Date().toISOString() });
        units.set(result.unit);
        return [result.entry];
      },
      answer: (file, base, changed) => {
        derivedFile(document, base, file, changed);
        return { segment: segmentView(segment, unitIn(file, segment.id) as Unit, { source: document.meta.language, target: code, glossary, speller }), progress: progressIn(document, file) };
      },
    });
    // A stale change names who saved the paragraph last: looked up only then, not for every save.
    return change.catch(async (err: unknown) => {
      const current = isWorkbenchError(err) && err.code === 'revision-conflict' ? (err.details?.current as { by?: string } | undefined) : undefined;
      if (current) current.by = (await this.stores.history.last(document.id, code, segment.id))?.who;
      throw err;
    });
  }

  /**
   * Gives the locale file a unit for each paragraph of the document, in order (see completeUnits),
   * when it lacks one: written once, before the saves, which then change units in place.
   */
  private async completeFile(document: SourceDocument, code: string): Promise<void> {
    const complete = await this.stores.locales.peek(document.id, code, (file) => isCompleteFor(document, file));
    if (complete !== false) return;
    await this.stores.locales.update(document.id, code, (file) => {
      if ((file.sourceVersion ?? 1) !== document.version) throw new SourceMovedOn(document.version, file.sourceVersion ?? 1);
      completeUnits(document, file);
    });
  }
}

/** A translation as the API and the forms send it: text, at most MAX_TARGET_LENGTH characters (413 beyond). */
export function checkTarget(target: unknown): string {
  if (typeof target !== 'string') throw new WorkbenchError(400, 'invalid-target', 'target must be a string (an empty string clears the translation).');
  if (target.length > MAX_TARGET_LENGTH) {
    throw new WorkbenchError(413, 'target-too-long', `A translation may have at most ${MAX_TARGET_LENGTH} characters; this one has ${target.length}.`, { params: { max: MAX_TARGET_LENGTH, length: target.length } });
  }
  return target;
}
