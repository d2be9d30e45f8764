import { completeUnits } from '../domain/completeUnits';
import { checkDocumentId } from '../domain/documentId';
import { checkTranslation, type CheckResult } from '../domain/checkTranslation';
import { computeProgress, type Progress } from '../domain/computeProgress';
import { canonicalLocale, describeLocale } from '../domain/localeTag';
import { splitSections, type Section } from '../domain/splitSections';
import type { LocaleFile, Segment, SourceDocument, Unit, WorkflowState } from '../domain/types';
import { WORKFLOW_STATES, workflowState } from '../domain/workflowState';
import { isWorkbenchError, WorkbenchError } from '../errors';
import type { LocaleStore } from '../storage/localeStore';
import type { SourceRepository } from '../storage/sourceRepository';
import { driftReport, importDocument, updateSource, type DriftReport, type UpdateReport } from './sourceUpdates';
import { syncLocale, type WorkbenchStores } from './syncLocale';
import { newDiscussionId, type Suggestion, type Thread } from '../storage/discussionRepository';
import type { SourceVersion } from '../domain/sourceVersion';
import { wordDiff, type WordDiffPart } from '../domain/wordDiff';
import { acceptSuggestion } from '../domain/workflow/acceptSuggestion';
import { approve } from '../domain/workflow/approve';
import { AUTHOR_ACTIONS, authorOf } from '../domain/workflow/authorOf';
import { keepCurrent } from '../domain/workflow/keepCurrent';
import { revertTarget, revertTo } from '../domain/workflow/revertTo';
import { sendBack } from '../domain/workflow/sendBack';
import type { TransitionInput, TransitionResult } from '../domain/workflow/transition';
import { translate } from '../domain/workflow/translate';

/** Who a change is credited to while the workbench has no accounts. */
export const ANONYMOUS = 'anonymous';

/** The longest translation of one paragraph the workbench accepts. */
export const MAX_TARGET_LENGTH = 20_000;

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
  /** For a drifted translation: the source it was made from, and the word diff from that to the current source. */
  drift?: { previousSource: string; previousTarget: string | null; diff: WordDiffPart[] };
}

/** A locale of a document: its name, direction and progress, or the error that keeps it from being read. */
export interface LocaleSummary {
  code: string;
  nativeName: string;
  name: string;
  dir: 'ltr' | 'rtl';
  progress?: Progress;
  error?: { code: string; message: string };
}

/** A document with its locales. */
export interface DocumentSummary {
  id: string;
  title: string;
  language: string;
  segments: number;
  words: number;
  locales: LocaleSummary[];
}

/** One loaded locale of a document: everything a page or a count needs. */
export interface LocaleContext {
  document: SourceDocument;
  locale: LocaleSummary;
  file: LocaleFile;
  units: Map<string, Unit>;
}

/** The workbench's use cases, over a source repository and a locale store. No HTTP in here. */
export class Workbench {
  private readonly sources: SourceRepository;
  private readonly locales: LocaleStore;

  constructor(private readonly stores: WorkbenchStores) {
    this.sources = stores.sources;
    this.locales = stores.locales;
  }

  /** Ids of all documents. */
  documentIds(): Promise<string[]> {
    return this.sources.list();
  }

  /** A segmented document, or 404. */
  document(id: string): Promise<SourceDocument> {
    return this.sources.load(checkDocumentId(id));
  }

  /** Every document with its locales and their progress; a broken locale file is reported, not fatal. */
  async listDocuments(readerLanguage = 'en'): Promise<DocumentSummary[]> {
    const summaries: DocumentSummary[] = [];
    for (const id of await this.sources.list()) {
      summaries.push(await this.summarize(await this.sources.load(id), readerLanguage));
    }
    return summaries;
  }

  /** One document's summary. */
  async summarize(document: SourceDocument, readerLanguage = 'en'): Promise<DocumentSummary> {
    const empty = computeProgress(document.segments, new Map(), document.meta.language);
    const locales: LocaleSummary[] = [];
    for (const code of await this.locales.listLocales(document.id)) {
      try {
        locales.push((await this.load(document, code, readerLanguage)).locale);
      } catch (err) {
        if (!isWorkbenchError(err) || err.status === 500) throw err;
        locales.push({ ...describeLocale(code, readerLanguage), error: { code: err.code, message: err.message } });
      }
    }
    return { id: document.id, title: document.meta.title, language: document.meta.language, segments: empty.segments, words: empty.words, locales };
  }

  /** Loads a locale of a document; 404 when the document has no such locale. */
  async locale(documentId: string, lang: string, readerLanguage = 'en'): Promise<LocaleContext> {
    const document = await this.document(documentId);
    return this.load(document, canonicalLocale(lang), readerLanguage);
  }

  private async load(document: SourceDocument, code: string, readerLanguage: string): Promise<LocaleContext> {
    await syncLocale(this.stores, document, code);
    const file = await this.locales.read(document.id, code);
    if (!file) throw new WorkbenchError(404, 'locale-not-found', `"${document.meta.title}" has no ${code} translation yet.`);
    const units = new Map(file.units.map((unit) => [unit.id, unit]));
    const progress = computeProgress(document.segments, units, document.meta.language);
    return { document, file, units, locale: { ...describeLocale(code, readerLanguage), progress } };
  }

  /** Editor pages of a document. */
  async sections(documentId: string): Promise<Section[]> {
    return splitSections((await this.document(documentId)).segments);
  }

  /** Segments of a locale, paged and optionally filtered by workflow state. */
  async listSegments(
    documentId: string,
    lang: string,
    query: { offset?: number; limit?: number; state?: string } = {},
  ): Promise<{ segments: SegmentView[]; total: number; offset: number; limit: number }> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 100;
    if (!Number.isInteger(offset) || offset < 0) throw new WorkbenchError(400, 'invalid-offset', 'offset must be a whole number, 0 or more.');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new WorkbenchError(400, 'invalid-limit', 'limit must be a whole number from 1 to 1000.');
    if (query.state !== undefined && !(WORKFLOW_STATES as readonly string[]).includes(query.state)) {
      throw new WorkbenchError(400, 'invalid-state', `state must be one of: ${WORKFLOW_STATES.join(', ')}.`);
    }
    const context = await this.locale(documentId, lang);
    // Filter on the cheap state first; build views (with their checks) only for the page returned.
    const matching = this.segmentsInState(context, query.state as WorkflowState | undefined, true);
    return { segments: matching.slice(offset, offset + limit).map((s) => segmentView(s, context.units.get(s.id))), total: matching.length, offset, limit };
  }

  /** The segments of a locale in a workflow state (all when `state` is undefined), in document order. */
  segmentsInState(context: LocaleContext, state: WorkflowState | undefined, translatableOnly = false): Segment[] {
    return context.document.segments.filter((segment) => {
      if (!segment.translatable) return !translatableOnly && state === undefined;
      return state === undefined || workflowState(segment, context.units.get(segment.id)) === state;
    });
  }

  /** Views of given segments (an editor page). */
  viewOf(context: LocaleContext, segments: Segment[]): SegmentView[] {
    return segments.map((segment) => segmentView(segment, context.units.get(segment.id)));
  }

  /**
   * Saves a translation. `baseRevision` is the revision the translator started from: when the
   * paragraph has been saved since, the save is refused (409) with the current text, never overwriting it.
   */
  async saveTarget(
    documentId: string,
    lang: string,
    segmentId: string,
    input: { target?: unknown; baseRevision?: unknown },
    who = ANONYMOUS,
  ): Promise<{ segment: SegmentView; progress: Progress }> {
    const target = checkTarget(input.target);
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, (change) => translate(change, target));
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
    const author = await this.lastAuthor(documentId, lang, segmentId);
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, (change) => approve(change, { author, allowSelfApproval: options.allowSelfApproval ?? false }));
  }

  /** A reviewer sends a translation back with a comment (an XLIFF `<note from>`): it needs work. */
  async reject(documentId: string, lang: string, segmentId: string, input: { baseRevision?: unknown; comment?: unknown }, who: string) {
    const comment = typeof input.comment === 'string' ? input.comment : '';
    return this.changeUnit(documentId, lang, segmentId, input.baseRevision, who, (change) => sendBack(change, comment));
  }

  /** A paragraph's history, oldest first, each entry with the word diff from its text to the current translation. */
  async history(documentId: string, lang: string, segmentId: string) {
    const context = await this.locale(documentId, lang);
    const segment = context.document.segments.find((s) => s.id === segmentId);
    if (!segment) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${segmentId}".`);
    const current = context.units.get(segmentId);
    const entries = await this.stores.history.list(context.document.id, context.locale.code, segmentId);
    return {
      context,
      segment: segmentView(segment, current),
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

  /** A locale's activity, newest first (optionally one person's), and how many changes each person made. */
  async activity(documentId: string, lang: string, options: { who?: string; limit?: number } = {}) {
    const context = await this.locale(documentId, lang);
    const { id } = context.document;
    const code = context.locale.code;
    const feed = await this.stores.history.recent(id, code, { who: options.who, limit: options.limit ?? 200 });
    return { context, feed, contributions: await this.stores.history.contributions(id, code) };
  }

  /**
   * Proposes another wording. A reviewer may always; a translator of the locale only for a
   * paragraph someone else translated (`canReview` says which the person is).
   */
  async suggest(documentId: string, lang: string, segmentId: string, input: { text?: unknown }, who: string, canReview: boolean): Promise<Suggestion> {
    const context = await this.locale(documentId, lang);
    if (!context.document.segments.some((s) => s.id === segmentId && s.translatable)) throw new WorkbenchError(404, 'segment-not-found', 'There is no such paragraph.');
    const text = checkTarget(input.text);
    if (text.trim() === '') throw new WorkbenchError(400, 'suggestion-empty', 'A suggestion needs a text.');
    if (!canReview && (await this.lastAuthor(documentId, lang, segmentId)) === who) {
      throw new WorkbenchError(403, 'own-paragraph', 'This is your own translation: edit it instead of suggesting.');
    }
    const suggestion: Suggestion = { id: newDiscussionId(), segment: segmentId, author: who, text, createdAt: new Date().toISOString(), status: 'open' };
    await this.stores.discussions.addSuggestion(context.document.id, context.locale.code, suggestion);
    return suggestion;
  }

  /** Accepts (the translation becomes the suggestion, credited to both) or declines a suggestion. */
  async decideSuggestion(documentId: string, lang: string, suggestionId: string, input: { accept?: unknown; baseRevision?: unknown }, who: string) {
    const context = await this.locale(documentId, lang);
    const suggestion = await this.stores.discussions.suggestion(context.document.id, context.locale.code, suggestionId);
    if (!suggestion) throw new WorkbenchError(404, 'suggestion-not-found', 'There is no such suggestion.');
    if (suggestion.status !== 'open') throw new WorkbenchError(409, 'suggestion-decided', 'This suggestion has already been decided.');
    let result: { segment: SegmentView; progress: Progress } | undefined;
    if (input.accept === true) {
      result = await this.changeUnit(documentId, lang, suggestion.segment, input.baseRevision, who, (change) => acceptSuggestion(change, suggestion));
    }
    const decided = await this.stores.discussions.decideSuggestion(context.document.id, context.locale.code, suggestionId, {
      status: input.accept === true ? 'accepted' : 'declined',
      decidedBy: who,
      decidedAt: new Date().toISOString(),
    });
    if (!decided) throw new WorkbenchError(409, 'suggestion-decided', 'This suggestion has already been decided.');
    return result;
  }

  /** Starts a thread about a paragraph, or answers one. */
  async comment(documentId: string, lang: string, segmentId: string, input: { text?: unknown; thread?: unknown }, who: string): Promise<Thread> {
    const context = await this.locale(documentId, lang);
    if (!context.document.segments.some((s) => s.id === segmentId)) throw new WorkbenchError(404, 'segment-not-found', 'There is no such paragraph.');
    const text = typeof input.text === 'string' ? input.text.trim() : '';
    if (text === '') throw new WorkbenchError(400, 'comment-empty', 'A comment needs a text.');
    if (text.length > 5000) throw new WorkbenchError(413, 'comment-too-long', 'A comment may have at most 5,000 characters.');
    const at = new Date().toISOString();
    const { id } = context.document;
    const code = context.locale.code;
    if (input.thread === undefined || input.thread === '') {
      const thread: Thread = { id: newDiscussionId(), segment: segmentId, createdAt: at, resolved: false, messages: [{ author: who, text, at }] };
      await this.stores.discussions.addThread(id, code, thread);
      return thread;
    }
    const thread = typeof input.thread === 'string' ? await this.stores.discussions.thread(id, code, input.thread) : undefined;
    if (!thread || thread.segment !== segmentId) throw new WorkbenchError(404, 'thread-not-found', 'There is no such conversation.');
    return this.stores.discussions.addMessage(id, code, thread.id, { author: who, text, at });
  }

  /** Marks a conversation settled. */
  async resolveThread(documentId: string, lang: string, threadId: string, who: string): Promise<Thread> {
    const context = await this.locale(documentId, lang);
    const thread = await this.stores.discussions.thread(context.document.id, context.locale.code, threadId);
    if (!thread) throw new WorkbenchError(404, 'thread-not-found', 'There is no such conversation.');
    return this.stores.discussions.resolveThread(context.document.id, context.locale.code, threadId, who);
  }

  /** Open suggestions and conversations of a locale, by paragraph. */
  async discussion(context: LocaleContext): Promise<{ suggestions: Map<string, Suggestion[]>; threads: Map<string, Thread[]> }> {
    const { suggestions, threads } = await this.stores.discussions.read(context.document.id, context.locale.code);
    const group = <T extends { segment: string }>(items: T[]) => {
      const map = new Map<string, T[]>();
      for (const item of items) map.set(item.segment, [...(map.get(item.segment) ?? []), item]);
      return map;
    };
    return { suggestions: group(suggestions.filter((s) => s.status === 'open')), threads: group(threads) };
  }

  /** Who last wrote the translation of a paragraph (from its history), if anyone. */
  private async lastAuthor(documentId: string, lang: string, segmentId: string): Promise<string | undefined> {
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
    const document = await this.document(documentId);
    const code = canonicalLocale(lang);
    const segment = document.segments.find((s) => s.id === segmentId && s.translatable);
    if (!segment) throw new WorkbenchError(404, 'segment-not-found', `"${document.meta.title}" has no paragraph "${segmentId}".`);
    if (typeof baseRevision !== 'number' || !Number.isInteger(baseRevision) || baseRevision < 0) {
      throw new WorkbenchError(400, 'invalid-base-revision', 'baseRevision must be the revision the translation was edited from (a whole number, 0 or more).');
    }
    await syncLocale(this.stores, document, code);
    // Who saved last, to name them if this change turns out to be stale.
    const lastWriter = (await this.stores.history.last(document.id, code, segment.id))?.who;
    const saved = await this.locales.update(document.id, code, (file) => {
      completeUnits(document, file);
      const unit = file.units.find((u) => u.id === segment.id) as Unit;
      if (unit.revision !== baseRevision) {
        throw new WorkbenchError(409, 'revision-conflict', 'This paragraph was saved by someone else since you opened it. Compare, then save again.', {
          details: { current: { target: unit.target ?? null, revision: unit.revision, state: workflowState(segment, unit), by: lastWriter } },
        });
      }
      const result = transition({ unit, segment, version: document.version, who, at: new Date().toISOString() });
      // The store's unit object is the one written: it takes the new fields over.
      Object.assign(unit, result.unit);
      return { entry: result.entry, unit: { ...unit }, units: new Map(file.units.map((u) => [u.id, u])) };
    });
    await this.stores.history.append(document.id, code, [saved.entry]);
    return {
      segment: segmentView(segment, saved.unit),
      progress: computeProgress(document.segments, saved.units, document.meta.language),
    };
  }

  /** Updates a document's source (see sourceUpdates.updateSource). */
  updateSource(documentId: string, bytes: Uint8Array, options: { name: string; who?: string; force?: boolean }): Promise<UpdateReport> {
    return updateSource(this.stores, documentId, bytes, { who: ANONYMOUS, ...options });
  }

  /** Adds a document from a file, as version 1. */
  importDocument(bytes: Uint8Array, options: { name: string; id?: string; who?: string }): Promise<SourceDocument> {
    return importDocument(this.stores, bytes, { who: ANONYMOUS, ...options });
  }

  /** Drifted, untranslated and removed paragraphs per locale of a document. */
  driftReport(documentId: string, locale?: string): Promise<DriftReport> {
    return driftReport(this.stores, documentId, locale === undefined ? undefined : canonicalLocale(locale));
  }

  /** The recorded versions of a document's source, oldest first. */
  async versions(documentId: string): Promise<SourceVersion[]> {
    return this.sources.versions((await this.document(documentId)).id);
  }

  /** The translations taken out of a locale when their paragraphs left the source. */
  async removedUnits(documentId: string, lang: string): Promise<Unit[]> {
    const context = await this.locale(documentId, lang);
    return this.locales.readArchive(context.document.id, context.locale.code);
  }

  /** Starts a translation of a document into a locale: a file with every paragraph to translate. */
  async startLocale(documentId: string, lang: unknown, readerLanguage = 'en'): Promise<LocaleSummary> {
    const document = await this.document(documentId);
    const code = canonicalLocale(lang);
    if (code === document.meta.language) {
      throw new WorkbenchError(400, 'locale-is-source', `"${document.meta.title}" is written in ${describeLocale(code, readerLanguage).name}: choose another language.`);
    }
    const file: LocaleFile = { document: document.id, sourceLanguage: document.meta.language, targetLanguage: code, units: [], sourceVersion: document.version };
    completeUnits(document, file);
    await this.locales.create(file);
    return (await this.load(document, code, readerLanguage)).locale;
  }
}

function checkTarget(target: unknown): string {
  if (typeof target !== 'string') throw new WorkbenchError(400, 'invalid-target', 'target must be a string (an empty string clears the translation).');
  if (target.length > MAX_TARGET_LENGTH) {
    throw new WorkbenchError(413, 'target-too-long', `A translation may have at most ${MAX_TARGET_LENGTH} characters; this one has ${target.length}.`);
  }
  return target;
}

function segmentView(segment: Segment, unit: Unit | undefined): SegmentView {
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
    checks: unit?.target ? checkTranslation(segment.text, unit.target) : [],
    notes: (unit?.notes ?? []).map((n) => ({ from: n.from, text: n.text })),
    drift: state === 'drifted' && unit ? driftOf(segment, unit) : undefined,
  };
}

function driftOf(segment: Segment, unit: Unit): SegmentView['drift'] {
  const previousSource = unit.previous?.source ?? unit.source;
  return { previousSource, previousTarget: unit.previous?.target ?? null, diff: wordDiff(previousSource, segment.text) };
}
