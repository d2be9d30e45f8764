import { randomBytes } from 'node:crypto';
import type { InterchangeFile } from '../domain/interchange';
import { canonicalToolLocale, describeLocale } from '../domain/localeTag';
import type { MinorEditOptions } from '../domain/normaliseMinor';
import { planImport, type ImportChange, type ImportPlan } from '../domain/planImport';
import type { Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { readInterchangeOffThread } from '../formats/readInterchangeOffThread';
import type { HistoryEntry } from '../storage/historyRepository';
import type { StagedImport, StagedImportRepository } from '../storage/stagedImportRepository';
import type { WorkbenchStores } from './syncLocale';
import { planAgainOnSourceMovedOn, SourceMovedOn } from './sourceMovedOn';
import { commitWithHistory } from './commitWithHistory';
import type { LocaleContext, Workbench } from './workbench';

/** The largest XLIFF file the workbench reads (an uploaded file is held in memory). */
export const MAX_XLIFF_BYTES = 50 * 1024 * 1024;

/** How long an uploaded file waits for its preview to be confirmed. */
const STAGED_FOR_MS = 60 * 60 * 1000;
const STAGE_ID = /^[0-9a-f]{32}$/;

/** What an import did (or, for a dry run, would do). */
export interface ImportResult {
  context: LocaleContext;
  plan: ImportPlan;
  /** Paragraphs written; 0 for a dry run. */
  written: number;
  /** Changes of the plan left out because the paragraph was saved meanwhile (listed as conflicts). */
  changedMeanwhile: ImportChange[];
}

export type { StagedImport };

/**
 * Merging XLIFF files translated elsewhere (OmegaT, Trados, memoQ, Weblate, Translate Toolkit) into
 * a locale: read safely, checked against the locale's languages, planned (see planImport), shown,
 * then written as one change of the locale file with one history entry per paragraph.
 */
export class XliffImports {
  /** `queueKey` names the project, whose large files are read one at a time. */
  constructor(private readonly options: { workbench: Workbench; stores: WorkbenchStores; staged: StagedImportRepository; queueKey?: string; minorEdits?: MinorEditOptions }) {}

  /**
   * Reads an uploaded file: 413 over 50 MB or MAX_IMPORT_UNITS units, 400 when its encoding does
   * not decode, it is not well-formed XLIFF, or it has a DOCTYPE. A large file is read on a thread
   * of its own, one at a time per project (see readInterchangeOffThread).
   */
  async read(bytes: Uint8Array, name: string): Promise<InterchangeFile> {
    if (bytes.byteLength > MAX_XLIFF_BYTES) {
      throw new WorkbenchError(413, 'xliff-too-large', `${name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB: an XLIFF file may be at most 50 MB.`, { params: { name, size: (bytes.byteLength / 1024 / 1024).toFixed(1) } });
    }
    return readInterchangeOffThread(bytes, name, this.options.queueKey ?? 'project');
  }

  /** Plans the merge of the file `bytes` into a locale and, unless `dryRun`, writes it. */
  async run(documentId: string, lang: string, bytes: Uint8Array, options: { name: string; who: string; dryRun?: boolean }): Promise<ImportResult> {
    return this.merge(documentId, lang, await this.read(bytes, options.name), options);
  }

  /** Plans the merge of a file already read (see read) into a locale and, unless `dryRun`, writes it. */
  async merge(documentId: string, lang: string, file: InterchangeFile, options: { name: string; who: string; dryRun?: boolean }): Promise<ImportResult> {
    // Units, none with text in its target (blank targets, empty segment markers): said at once, not a preview of nothing.
    if (file.units.length > 0 && !file.units.some((unit) => unit.target !== undefined)) {
      throw new WorkbenchError(422, 'nothing-to-import', `${options.name} has no translation in it: every target is empty or blank, so there is nothing to import.`, { params: { name: options.name } });
    }
    const once = async () => {
      const context = await this.options.workbench.locale(documentId, lang);
      checkLanguages(file, context, options.name);
      const plan = planImport(context.document.segments, context.units, file, context.document.id, this.options.minorEdits);
      if (options.dryRun) return { context, plan, written: 0, changedMeanwhile: [] };
      return this.write(context, plan, options.who);
    };
    if (options.dryRun) return once();
    // Planned and written under one hold of the project's lock; planned again when a source update
    // of this process came between the plan and the write (see Translations.changeUnit).
    return this.options.stores.lock.hold(() => planAgainOnSourceMovedOn(once));
  }

  /** Which document and locale a file is for, from its own attributes, where not given. */
  async targetOf(file: InterchangeFile, name: string, given: { document?: string; locale?: string }): Promise<{ document: string; locale: string }> {
    let document = given.document;
    if (document === undefined) {
      const ids = await this.options.workbench.documentIds();
      if (file.original !== undefined && ids.includes(file.original)) document = file.original;
      else if (ids.length === 1) document = ids[0];
      else throw new WorkbenchError(400, 'document-required', `${name} does not name a document of this project: say which one with --doc (one of ${ids.join(', ')}).`);
    }
    const locale = given.locale ?? file.targetLanguage;
    if (locale === undefined) throw new WorkbenchError(400, 'locale-required', `${name} does not say which language it translates into: say it with --locale.`);
    return { document, locale: tagOf(locale, name) };
  }

  /** Keeps an upload for its confirmation; uploads older than an hour are cleared out. */
  async stage(bytes: Uint8Array, staged: Omit<StagedImport, 'id' | 'at'>): Promise<StagedImport> {
    await this.options.staged.sweep(new Date(Date.now() - STAGED_FOR_MS).toISOString());
    const entry: StagedImport = { id: randomBytes(16).toString('hex'), at: new Date().toISOString(), ...staged };
    await this.options.staged.add(entry, bytes);
    return entry;
  }

  /** A staged upload (404 when unknown, expired, or someone else's), with its bytes. */
  async staged(id: string, who: string): Promise<{ entry: StagedImport; bytes: Uint8Array }> {
    const gone = new WorkbenchError(404, 'import-not-found', 'This upload is no longer waiting (it was applied, or is over an hour old): upload the file again.');
    if (!STAGE_ID.test(id)) throw gone;
    const found = await this.options.staged.get(id);
    if (!found || found.entry.who !== who || Date.now() - Date.parse(found.entry.at) > STAGED_FOR_MS) throw gone;
    return { entry: found.entry, bytes: found.content };
  }

  /** Forgets a staged upload. */
  async unstage(id: string): Promise<void> {
    if (STAGE_ID.test(id)) await this.options.staged.remove(id);
  }

  private async write(context: LocaleContext, plan: ImportPlan, who: string): Promise<ImportResult> {
    const { document } = context;
    const code = context.locale.code;
    // Written (and recorded in history) in document order.
    const position = new Map(document.segments.map((segment, index) => [segment.id, index]));
    const wanted = [...plan.newTranslations, ...plan.changed].sort((a, b) => (position.get(a.segment) ?? 0) - (position.get(b.segment) ?? 0));
    const changedMeanwhile: ImportChange[] = [];
    const at = new Date().toISOString();
    const entries: HistoryEntry[] = [];
    if (wanted.length > 0) {
      const prepared = await this.options.stores.locales.prepareUpdate(document.id, code, (file) => {
        if ((file.sourceVersion ?? 1) !== document.version) throw new SourceMovedOn(document.version, file.sourceVersion ?? 1);
        const byId = new Map(file.units.map((u) => [u.id, u]));
        for (const change of wanted) {
          let unit = byId.get(change.segment);
          if (!unit) {
            unit = { id: change.segment, source: change.source, approved: false, revision: 0, notes: [] } satisfies Unit;
            file.units.push(unit);
            byId.set(unit.id, unit);
          }
          if (unit.revision !== change.baseRevision) {
            changedMeanwhile.push(change);
            continue;
          }
          const before = { target: unit.target, state: unit.state };
          unit.target = change.target;
          unit.source = change.madeFrom;
          // Another tool's "needs review" (a fuzzy PO entry) is work still to do here; anything else is a translation to review.
          unit.state = change.status === 'needs-review' ? 'needs-translation' : 'translated';
          unit.approved = false;
          unit.previous = undefined;
          if (change.madeFrom === change.source) unit.sourceVersion = document.version;
          unit.revision += 1;
          entries.push({ at, who, segment: unit.id, action: 'import', before, after: { target: unit.target, state: unit.state }, version: document.version });
        }
      });
      await commitWithHistory(this.options.stores, prepared, document.id, code, entries);
    }
    return { context, plan, written: entries.length, changedMeanwhile };
  }
}

function tagOf(tag: string, name: string): string {
  try {
    return canonicalToolLocale(tag);
  } catch (cause) {
    throw new WorkbenchError(400, 'xliff-language-invalid', `${name}: "${tag.slice(0, 40)}" is not a language tag.`, { cause, params: { name, tag: tag.slice(0, 40) } });
  }
}

/** A file for another language pair is refused, naming both languages. */
function checkLanguages(file: InterchangeFile, context: LocaleContext, name: string): void {
  const code = context.locale.code;
  if (file.targetLanguage !== undefined) {
    const target = tagOf(file.targetLanguage, name);
    if (target !== code) {
      throw new WorkbenchError(
        400,
        'xliff-wrong-language',
        `${name} is a translation into ${describeLocale(target).name} (${target}), not into ${describeLocale(code).name} (${code}).`,
        { details: { file: target, locale: code } },
      );
    }
  }
  const sourceLanguage = context.document.meta.language;
  if (file.sourceLanguage !== undefined) {
    const source = tagOf(file.sourceLanguage, name);
    if (source.split('-')[0] !== sourceLanguage.split('-')[0]) {
      throw new WorkbenchError(
        400,
        'xliff-wrong-language',
        `${name} translates from ${describeLocale(source).name} (${source}), but "${context.document.meta.title}" is in ${describeLocale(sourceLanguage).name} (${sourceLanguage}).`,
        { details: { file: source, document: sourceLanguage } },
      );
    }
  }
}
