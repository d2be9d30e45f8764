import type { GlossaryMatcher } from '../domain/glossaryMatcher';
import type { Speller } from '../domain/misspeltWords';
import { completeUnits } from '../domain/completeUnits';
import { checkDocumentId } from '../domain/documentId';
import type { Progress } from '../domain/computeProgress';
import { progressIn, unitsOf } from './localeTally';
import { canonicalLocale, describeLocale } from '../domain/localeTag';
import { splitSections, type Section } from '../domain/splitSections';
import type { LocaleFile, Segment, SourceDocument, Unit, WorkflowState } from '../domain/types';
import { WORKFLOW_STATES, workflowState } from '../domain/workflowState';
import { isWorkbenchError, WorkbenchError } from '../errors';
import type { SourceVersion } from '../domain/sourceVersion';
import type { LocaleStore, ReadonlyLocaleFile } from '../storage/localeStore';
import type { SourceRepository } from '../storage/sourceRepository';
import { driftReport, importDocument, keepDriftReports, keepReportsOf, previewSourceUpdate, updateSource, type DriftReport, type SourceUpdatePreview, type SourceUpdateStep, type UpdateReport, type WrittenLocale } from './sourceUpdates';
import { syncLocale, type WorkbenchStores } from './syncLocale';
import { keptSummary, type KeptSummary, SUMMARY_FORMAT, summaryBody } from './keptSummaries';
import { settleStagedHistory, type SettledHistory } from './settleStagedHistory';
import { Activity } from './activity';
import { Discussions } from './discussions';
import { languagesOf, segmentView, type SegmentView } from './segmentViews';
import { ANONYMOUS, Translations } from './translations';
import { spellerWithin } from './spellerWithin';

export type { SegmentView };


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
  /** The store's own model of the file: never to be changed (see load). */
  file: ReadonlyLocaleFile;
  /** Its units by id, read-only like the file (their type is the domain's, which reads them only). */
  units: ReadonlyMap<string, Unit>;
  /** The locale's glossary, for the checks and the terms of the editor. */
  glossary?: GlossaryMatcher;
  /** The target language's spelling dictionary, when one serves it. */
  speller?: Speller;
}

/** How long a start counts on reading a locale file taking, per byte (a book's 17 MB without a snapshot: about 0.6 s). */
const WARM_MS_PER_BYTE = 40e-6;

/** The order a start loads locales in: those people saved in last, then those with the most history, then the largest. */
export function warmingOrder<T extends { lastAt: string; count: number; size: number }>(locales: readonly T[]): T[] {
  return [...locales].sort((a, b) => b.lastAt.localeCompare(a.lastAt) || b.count - a.count || b.size - a.size);
}

/**
 * The workbench's documents and locales: listing, loading (a locale file caught up with its source
 * first), paging segments, starting a locale, and source updates; the changes to translations,
 * the discussion and the activity are the concerns it holds. No HTTP in here.
 */
export class Workbench {
  private readonly sources: SourceRepository;
  private readonly locales: LocaleStore;
  /** Changing a paragraph's translation: save, keep current, approve, send back, revert; its history. */
  readonly translations: Translations;
  /** Suggestions and conversations. */
  readonly discussions: Discussions;
  /** Who did what in a locale. */
  readonly activity: Activity;

  constructor(private readonly stores: WorkbenchStores) {
    this.sources = stores.sources;
    this.locales = stores.locales;
    this.translations = new Translations(stores, this);
    this.discussions = new Discussions(stores, this, this.translations);
    this.activity = new Activity(stores, this);
    this.keepSummariesCurrent();
  }

  /**
   * Settles the history entries a stopped write left staged (see settleStagedHistory), and writes
   * into their files the saves a stopped server left in the journal (see UnitJournal): run at the
   * start of the server and of each CLI command.
   */
  async settleStagedHistory(): Promise<SettledHistory> {
    const settled = await settleStagedHistory(this.stores);
    await this.locales.writeJournaled();
    return settled;
  }

  /**
   * Writes the saves still held ahead of their files, then keeps what this process worked out of
   * the files it wrote for the next one (see LocaleStore.keepSnapshots): before it exits.
   */
  async keepCaches(): Promise<void> {
    await this.locales.writeJournaled();
    await this.locales.keepSnapshots();
  }

  /** Ids of all documents. */
  documentIds(): Promise<string[]> {
    return this.sources.list();
  }

  /** Every language some document has a locale of, sorted (what the people page offers roles in). */
  async localeCodes(): Promise<string[]> {
    const codes = new Set<string>();
    for (const id of await this.sources.list()) for (const code of await this.locales.listLocales(id)) codes.add(code);
    return [...codes].sort();
  }

  /** A segmented document, or 404. */
  document(id: string): Promise<SourceDocument> {
    return this.sources.load(checkDocumentId(id));
  }

  /** The number of a document's current version when what is kept says it without reading the document (see SourceRepository.keptVersion). */
  async keptVersion(id: string): Promise<number | undefined> {
    return (await this.sources.keptVersion(checkDocumentId(id)))?.version;
  }

  /**
   * Every document with its locales and their progress; a broken locale file is reported, not fatal.
   * What is worked out is kept between processes with the identities of the files it came from
   * (see KeptSummary): while those files are unchanged, nothing is read again (a book's status
   * would parse megabytes of XLIFF per locale).
   */
  async listDocuments(readerLanguage = 'en'): Promise<DocumentSummary[]> {
    const summaries: DocumentSummary[] = [];
    for (const id of await this.sources.list()) summaries.push(await this.summaryOf(id, readerLanguage));
    return summaries;
  }

  private async summaryOf(id: string, readerLanguage: string): Promise<DocumentSummary> {
    // Stamps first, then the files: a value worked out from files changed meanwhile is kept under
    // stamps that no longer match anything, never the other way round.
    const sourceStamp = await this.sources.stamp(id);
    const codes = await this.locales.listLocales(id);
    const stamps = new Map<string, string | undefined>();
    for (const code of codes) stamps.set(code, await this.locales.stamp(id, code));
    const kept = sourceStamp === undefined ? undefined : keptSummary(await this.stores.summaries?.read(id, sourceStamp));
    // The locales whose files are as they were kept: taken as kept, the others read again (a
    // server's saves to one language do not make the next status read the other four).
    const current = new Map<string, KeptSummary['locales'][string]>();
    for (const code of codes) {
      const hit = kept?.locales[code];
      // A file behind its source would be brought up to it by a load: not current, so not taken.
      if (kept && hit && hit.stamp === stamps.get(code) && hit.sourceVersion >= kept.version) current.set(code, hit);
    }
    if (kept && current.size === codes.length) {
      return { ...kept.summary, locales: codes.map((code) => ({ ...describeLocale(code, readerLanguage), progress: current.get(code)?.progress })) };
    }
    const document = await this.sources.load(id);
    const found: KeptSummary['locales'] = Object.fromEntries(current);
    const known = new Map([...current].map(([code, hit]) => [code, hit.progress]));
    const read: WrittenLocale[] = [];
    const summary = await this.summarize(
      document,
      readerLanguage,
      (code, file, progress) => {
        const stamp = stamps.get(code);
        if (stamp === undefined) return;
        found[code] = { stamp, sourceVersion: file.sourceVersion ?? 1, progress };
        read.push({ code, stamp, file });
      },
      known,
    );
    if (sourceStamp !== undefined) {
      const value: KeptSummary = { format: SUMMARY_FORMAT, version: document.version, summary: { ...summary, locales: [] }, locales: found };
      this.stores.summaries?.write(id, sourceStamp, value);
      // The locales read for their progress are in hand: their drift reports are kept too, so
      // that `workbench drift` after `workbench status` reads no locale file again (a report that
      // cannot be made, an archive that cannot be read, is for drift itself to say).
      await keepDriftReports(this.stores, document, sourceStamp, read).catch(() => undefined);
    }
    return summary;
  }

  /**
   * One document's summary. `loaded` is told of each locale read, with its progress; the locales
   * `known` gives (their files unchanged since that progress was worked out) are not read.
   */
  async summarize(
    document: SourceDocument,
    readerLanguage = 'en',
    loaded?: (code: string, file: ReadonlyLocaleFile, progress: Progress) => void,
    known?: ReadonlyMap<string, Progress>,
  ): Promise<DocumentSummary> {
    const locales: LocaleSummary[] = [];
    for (const code of await this.locales.listLocales(document.id)) {
      const progress = known?.get(code);
      if (progress) {
        locales.push({ ...describeLocale(code, readerLanguage), progress });
        continue;
      }
      try {
        const context = await this.load(document, code, readerLanguage);
        locales.push(context.locale);
        if (context.locale.progress) loaded?.(code, context.file, context.locale.progress);
      } catch (err) {
        if (!isWorkbenchError(err) || err.status === 500) throw err;
        locales.push({ ...describeLocale(code, readerLanguage), error: { code: err.code, message: err.message } });
      }
    }
    return { ...summaryBody(document), locales };
  }

  /**
   * Keeps each document's kept summary (see listDocuments) current with the locale files this
   * process writes (a server's saves written behind them, a new locale, an import): the next
   * `workbench status` and `workbench drift` do not read a book's locale again. The progress is the
   * written model's, which saves keep up to date one unit at a time (see localeTally): nothing is
   * read again.
   */
  private keepSummariesCurrent(): void {
    if (!this.stores.summaries) return;
    this.locales.onPlaced(async ({ document: id, lang, stamp, file }) => {
      // The document this process holds, never a load: the write that calls this may be part of
      // a source update, which holds the document until its locales are written (it keeps their
      // summaries itself, see updateSource).
      const held = this.sources.held(id);
      if (held) await keepReportsOf(this.stores, held.document, held.stamp, [{ code: lang, stamp, file }]);
    });
  }

  /** Loads a locale of a document; 404 when the document has no such locale. */
  async locale(documentId: string, lang: string, readerLanguage = 'en'): Promise<LocaleContext> {
    const code = canonicalLocale(lang);
    // The locale's file is read while the document is (the first page of a book after a start
    // reads megabytes of each); what goes wrong with it is said by the load that follows.
    const [document] = await Promise.all([this.document(documentId), this.locales.peek(checkDocumentId(documentId), code, () => undefined).catch(() => undefined)]);
    return this.load(document, code, readerLanguage);
  }

  private async load(document: SourceDocument, code: string, readerLanguage: string): Promise<LocaleContext> {
    await syncLocale(this.stores, document, code);
    // The store's own model, read-only (a version of the file is never changed: a save makes a new
    // one), with its units by id and its progress worked out once per version: a page of a book
    // costs what it shows, not a copy and a count of its 16,000 units.
    const file = await this.locales.peek(document.id, code, (model) => model);
    if (!file) throw new WorkbenchError(404, 'locale-not-found', `"${document.meta.title}" has no ${code} translation yet.`, { params: { title: document.meta.title, locale: code } });
    const units = unitsOf(file) as ReadonlyMap<string, Unit>;
    // The dictionary only if loaded: a command that shows no checks never loads one (see withSpeller).
    const glossary = await this.stores.glossary?.matcher(code, document.meta.language);
    const speller = this.stores.spelling?.loaded(code);
    return { document, file, units, glossary, speller, locale: lazyLocaleSummary(code, readerLanguage, () => progressIn(document, file)) };
  }

  /**
   * Loads the documents (from their snapshots), then the locale people saved in last (else the
   * largest), within `budgetMs`: every page of a document needs it, and a book's is
   * megabytes. A server does it before it answers, so the first translator to open the book does
   * not wait for its files (a locale another process rewrote has no snapshot: read whole, most of
   * a second for a book). What cannot be loaded is left for the page that asks, to say why.
   */
  async warm(budgetMs: number): Promise<void> {
    const until = Date.now() + budgetMs;
    const ids = await this.sources.list();
    // The locale people worked on last (the first page after a start is most likely theirs;
    // without history, the largest: the most translated), chosen first: when a document is to be
    // segmented (nothing kept of it: a fresh clone, a new text), a file of it with no snapshot is
    // read on another thread meanwhile. Otherwise it is read here, after the documents: with this
    // thread free, the other's start and the model's copy back would cost more than they save.
    const locales: { id: string; code: string; lastAt: string; count: number; size: number }[] = [];
    for (const id of ids) {
      for (const code of await this.locales.listLocales(id).catch(() => [] as string[])) {
        const { count, lastAt } = await this.stores.history.tally(id, code).catch(() => ({ count: 0, lastAt: undefined }));
        const size = (await this.locales.byteSize(id, code).catch(() => undefined)) ?? 0;
        locales.push({ id, code, lastAt: lastAt ?? '', count, size });
      }
    }
    const order = warmingOrder(locales);
    const segmenting = async () => (await Promise.all(ids.map((id) => this.keptVersion(id).catch(() => undefined)))).includes(undefined);
    const readingAhead = order.length > 0 && (await segmenting()) && (await this.locales.readAhead(order[0].id, order[0].code).catch(() => undefined)) !== undefined;
    for (const id of ids) {
      if (Date.now() >= until) return;
      await this.document(id).catch(() => undefined);
    }
    for (const [i, { id, code, size }] of order.entries()) {
      const left = until - Date.now();
      if (left <= 0) return;
      // Only a file that can be read in the time left: a read is not cut short, and a start that
      // outran its budget would keep everyone waiting for a locale nobody asked for yet. One read
      // ahead is taken whatever is left: it is mostly read already (and the start answers at the
      // end of its budget anyway, the load going on behind).
      if (!(i === 0 && readingAhead) && size * WARM_MS_PER_BYTE > left) continue;
      await this.locales.peek(id, code, () => undefined).catch(() => undefined);
      // One: the rest load when asked, not while the first translator waits for the server.
      return;
    }
  }

  /** Editor pages of a document. */
  async sections(documentId: string): Promise<Section[]> {
    return splitSections((await this.document(documentId)).segments);
  }

  /**
   * A locale's context with its language's spelling dictionary, loaded if it was not (once per
   * process, 0.05-0.6 s), waited for a few seconds at most (see spellerWithin). `wait: false` (a
   * page of views): the dictionary is loaded behind the answer, which is checked without it the first time.
   */
  async withSpeller(context: LocaleContext, options: { wait?: boolean } = {}): Promise<LocaleContext> {
    if (context.speller) return context;
    // A dictionary that cannot be loaded leaves spelling unchecked: it never stops a page or a save.
    const loading = this.stores.spelling?.speller(context.locale.code)?.catch((err: unknown) => {
      console.error(`Could not load the spelling dictionary of ${context.locale.code}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (options.wait !== false) context.speller = await spellerWithin(loading);
    return context;
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
    const context = await this.withSpeller(await this.locale(documentId, lang), { wait: false });
    // Filter on the cheap state first; build views (with their checks) only for the page returned.
    const matching = this.segmentsInState(context, query.state as WorkflowState | undefined, true);
    return { segments: matching.slice(offset, offset + limit).map((s) => segmentView(s, context.units.get(s.id), languagesOf(context))), total: matching.length, offset, limit };
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
    return segments.map((segment) => segmentView(segment, context.units.get(segment.id), languagesOf(context)));
  }

  /** Updates a document's source (see sourceUpdates.updateSource); `onProgress` is told each step of a long one. */
  /** What a new text of a document would do, writing nothing (see previewSourceUpdate). */
  previewSourceUpdate(documentId: string, bytes: Uint8Array, options: { name: string; who?: string }): Promise<SourceUpdatePreview> {
    return previewSourceUpdate(this.stores, documentId, bytes, { who: ANONYMOUS, ...options });
  }

  updateSource(documentId: string, bytes: Uint8Array, options: { name: string; who?: string; force?: boolean; onProgress?: (step: SourceUpdateStep) => void }): Promise<UpdateReport> {
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
  /** The text of a document's source file as it is now. */
  async sourceText(documentId: string): Promise<string> {
    return this.sources.text((await this.document(documentId)).id);
  }

  async versions(documentId: string): Promise<SourceVersion[]> {
    return this.sources.versions((await this.document(documentId)).id);
  }

  /** The translations taken out of a locale when their paragraphs left the source. */
  async removedUnits(documentId: string, lang: string): Promise<Unit[]> {
    const context = await this.locale(documentId, lang);
    return this.locales.readArchive(context.document.id, context.locale.code);
  }

  /** Per locale of a document: how many translations of deleted paragraphs its archive keeps. */
  async removedCounts(documentId: string): Promise<{ code: string; count: number }[]> {
    const document = await this.document(documentId);
    const counts: { code: string; count: number }[] = [];
    for (const code of await this.locales.listLocales(document.id)) {
      const count = (await this.locales.readArchive(document.id, code)).filter((unit) => unit.target).length;
      if (count > 0) counts.push({ code, count });
    }
    return counts;
  }

  /** Starts a translation of a document into a locale: a file with every paragraph to translate. */
  async startLocale(documentId: string, lang: unknown, readerLanguage = 'en'): Promise<LocaleSummary> {
    const document = await this.document(documentId);
    const code = canonicalLocale(lang);
    if (code === document.meta.language) {
      throw new WorkbenchError(400, 'locale-is-source', `"${document.meta.title}" is written in ${describeLocale(code, readerLanguage).name}: choose another language.`, { params: { title: document.meta.title, locale: code } });
    }
    const file: LocaleFile = { document: document.id, sourceLanguage: document.meta.language, targetLanguage: code, units: [], sourceVersion: document.version };
    completeUnits(document, file);
    await this.locales.create(file);
    return (await this.load(document, code, readerLanguage)).locale;
  }
}

/** A locale's summary whose progress (a count of a book's units) is worked out when first read: a page or a summary reads it, an export does not. */
function lazyLocaleSummary(code: string, readerLanguage: string, progress: () => Progress): LocaleSummary {
  const locale: LocaleSummary = describeLocale(code, readerLanguage);
  Object.defineProperty(locale, 'progress', { enumerable: true, configurable: true, get: progress });
  return locale;
}
