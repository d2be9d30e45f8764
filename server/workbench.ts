import { checkDocumentId } from './domain/documentId';
import { checkTranslation, type CheckResult } from './domain/checkTranslation';
import { computeProgress, type Progress } from './domain/computeProgress';
import { canonicalLocale, describeLocale } from './domain/localeTag';
import { splitSections, type Section } from './domain/splitSections';
import type { LocaleFile, Segment, SourceDocument, Unit, WorkflowState } from './domain/types';
import { WORKFLOW_STATES, workflowState } from './domain/workflowState';
import { isWorkbenchError, WorkbenchError } from './errors';
import type { LocaleStore } from './storage/localeStore';
import type { SourceRepository } from './storage/sourceRepository';

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
  constructor(
    private readonly sources: SourceRepository,
    private readonly locales: LocaleStore,
  ) {}

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
  ): Promise<{ segment: SegmentView; progress: Progress }> {
    const document = await this.document(documentId);
    const code = canonicalLocale(lang);
    const segment = document.segments.find((s) => s.id === segmentId && s.translatable);
    if (!segment) throw new WorkbenchError(404, 'segment-not-found', `"${document.meta.title}" has no paragraph "${segmentId}".`);
    const target = checkTarget(input.target);
    const baseRevision = input.baseRevision;
    if (typeof baseRevision !== 'number' || !Number.isInteger(baseRevision) || baseRevision < 0) {
      throw new WorkbenchError(400, 'invalid-base-revision', 'baseRevision must be the revision the translation was edited from (a whole number, 0 or more).');
    }
    const saved = await this.locales.update(document.id, code, (file) => {
      completeUnits(document, file);
      const unit = file.units.find((u) => u.id === segment.id) as Unit;
      if (unit.revision !== baseRevision) {
        throw new WorkbenchError(409, 'revision-conflict', 'This paragraph was saved by someone else since you opened it. Compare, then save again.', {
          details: { current: { target: unit.target ?? null, revision: unit.revision, state: workflowState(segment, unit) } },
        });
      }
      unit.target = target === '' ? undefined : target;
      unit.source = segment.text;
      unit.state = target === '' ? 'needs-translation' : 'translated';
      unit.approved = false;
      unit.revision += 1;
      return { unit: { ...unit }, units: new Map(file.units.map((u) => [u.id, u])) };
    });
    return {
      segment: segmentView(segment, saved.unit),
      progress: computeProgress(document.segments, saved.units, document.meta.language),
    };
  }

  /** Starts a translation of a document into a locale: a file with every paragraph to translate. */
  async startLocale(documentId: string, lang: unknown, readerLanguage = 'en'): Promise<LocaleSummary> {
    const document = await this.document(documentId);
    const code = canonicalLocale(lang);
    if (code === document.meta.language) {
      throw new WorkbenchError(400, 'locale-is-source', `"${document.meta.title}" is written in ${describeLocale(code, readerLanguage).name}: choose another language.`);
    }
    const file: LocaleFile = { document: document.id, sourceLanguage: document.meta.language, targetLanguage: code, units: [] };
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

/**
 * Brings a locale file's units in line with the document: one unit per translatable segment, in
 * document order; untranslated units carry the current source. Units the document no longer has
 * are kept after them (their translations are never dropped).
 */
function completeUnits(document: SourceDocument, file: LocaleFile): void {
  const existing = new Map(file.units.map((unit) => [unit.id, unit]));
  const ordered: Unit[] = [];
  for (const segment of document.segments) {
    if (!segment.translatable) continue;
    const unit = existing.get(segment.id) ?? { id: segment.id, source: segment.text, approved: false, revision: 0, notes: [] };
    if (unit.target === undefined) unit.source = segment.text;
    if (unit.target === undefined && !unit.state) unit.state = 'needs-translation';
    existing.delete(segment.id);
    ordered.push(unit);
  }
  file.units = [...ordered, ...existing.values()];
}

function segmentView(segment: Segment, unit: Unit | undefined): SegmentView {
  return {
    id: segment.id,
    kind: segment.kind,
    level: segment.level,
    ordered: segment.ordered,
    continued: segment.continued,
    translatable: segment.translatable,
    source: segment.text,
    target: unit?.target ?? null,
    state: segment.translatable ? workflowState(segment, unit) : null,
    revision: unit?.revision ?? 0,
    checks: unit?.target ? checkTranslation(segment.text, unit.target) : [],
  };
}
