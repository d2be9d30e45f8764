import { decodeSourceUpload, formatOfName, isTextAsDecoded } from '../domain/decodeSourceUpload';
import { checkDocumentId } from '../domain/documentId';
import type { SourceVersion } from '../domain/sourceVersion';
import type { DocumentVersion, Segment, SourceDocument } from '../domain/types';
import { workflowState } from '../domain/workflowState';
import { isWorkbenchError, WorkbenchError } from '../errors';
import { UnitWrites } from '../formats/unitWrites';
import type { ReadonlyLocaleFile, ReadonlyUnit } from '../storage/localeStore';
import { keyedLock } from '../storage/keyedLock';
import type { SourceUpdatePlan } from '../storage/sourceRepository';
import { migrateLocaleFile, syncLocale, type WorkbenchStores } from './syncLocale';
import { keepLocaleSummaries } from './keptSummaries';

/** What an update did: the version recorded (its counts and changes) and each locale afterwards. */
export interface UpdateReport {
  changed: boolean;
  version: SourceVersion;
  locales: { code: string; drifted: number; error?: string }[];
}

/**
 * A step of a long source update, told as it happens (the CLI shows it on a terminal, in the
 * user's language): the text aligned with the current version, the version written and the
 * locales being brought up to it, one locale done.
 */
export type SourceUpdateStep =
  | { step: 'aligning'; document: string; version: number; paragraphs: number }
  | { step: 'writing'; document: string; version: number; locales: readonly string[] }
  | { step: 'locale-done'; locale: string; version: number; done: number; of: number };

/** Per locale: what stands between it and a current edition. */
export interface DriftReport {
  document: string;
  version: number;
  locales: {
    code: string;
    drifted: { id: string; source: string }[];
    untranslated: number;
    removed: number;
    error?: string;
  }[];
}

/**
 * Updates a document's source from an uploaded file: the text is checked, aligned with the current
 * version, and refused (409, with the numbers) when it would remove more than half of the translated
 * paragraphs of a locale, unless `force`. Then every locale is brought up to the new version.
 */
export async function updateSource(
  stores: WorkbenchStores,
  documentId: string,
  bytes: Uint8Array,
  options: { name: string; who: string; force?: boolean; onProgress?: (step: SourceUpdateStep) => void },
): Promise<UpdateReport> {
  // One hold of the project's lock from the first read to the last write: no other process changes
  // the document or its locales in between. Within this process, updates of one document run one
  // after another in the order they were asked for (two uploads at once: the later one is the
  // newer version), not in whichever order their first reads happen to end.
  return stores.lock.hold(() => updatesOf(stores.sources)(documentId, () => updateHeld(stores, documentId, bytes, options)));
}

/** The queue of source updates per document, one per source repository (see updateSource). */
const updateQueues = new WeakMap<WorkbenchStores['sources'], ReturnType<typeof keyedLock>>();

function updatesOf(sources: WorkbenchStores['sources']): ReturnType<typeof keyedLock> {
  let queue = updateQueues.get(sources);
  if (!queue) updateQueues.set(sources, (queue = keyedLock()));
  return queue;
}

async function updateHeld(...[stores, documentId, bytes, options]: Parameters<typeof updateSource>): Promise<UpdateReport> {
  const current = await stores.sources.load(checkDocumentId(documentId));
  const text = decodeSourceUpload(bytes, options.name);
  const codes = await stores.locales.listLocales(current.id);
  // Each file will be written: parsed once now, for the checks and the writes alike. All are read
  // at once, so that one file's bytes come from the disk while another is parsed.
  await Promise.all(codes.map((code) => stores.locales.readForChange(current.id, code).catch(() => undefined)));
  // Every locale speaks the current version's ids before the next version is aligned with them.
  for (const code of codes) await syncQuietly(stores, current, code);

  /** The check of a plan: refused (409, with the numbers) when it takes most translations out of a locale, unless forced. */
  async function checkRemovals({ version, changed }: SourceUpdatePlan): Promise<void> {
    // Only deleted paragraphs take translations out of a locale.
    if (!changed || options.force || version.deleted.length === 0) return;
    const deleted = new Set(version.deleted.map((s) => s.id));
    for (const code of codes) {
      let counts;
      try {
        counts = await stores.locales.peek(current.id, code, (file) => effectOn(file, deleted));
      } catch (err) {
        if (isWorkbenchError(err)) continue;
        throw err;
      }
      const { translated, removed: lost } = counts ?? { translated: 0, removed: 0 };
      if (takesMostOf({ translated, removed: lost })) {
        throw new WorkbenchError(
          409,
          'update-removes-translations',
          `This update would remove ${lost} of the ${translated} translated paragraphs of ${code} (${version.counts.deleted} paragraphs deleted from the source). If that is intended, update again with force; the translations will be kept in the archive.`,
          { details: { locale: code, removed: lost, translated, deleted: version.counts.deleted } },
        );
      }
    }
  }

  // Prepare: the new version is planned, its files written aside; the document waits meanwhile.
  const say = options.onProgress ?? (() => undefined);
  say({ step: 'aligning', document: current.id, version: current.version, paragraphs: current.segments.filter((s) => s.translatable).length });
  // The file's bytes are its text's own UTF-8 (but for a byte-order mark): hashed and written as they are.
  const prepared = await stores.sources.prepareUpdate(current.id, text, options.who, isTextAsDecoded(bytes) ? bytes : undefined);
  // Check: nothing is written if the plan is refused.
  try {
    await checkRemovals(prepared.plan);
  } catch (err) {
    await prepared.discard();
    throw err;
  }
  // Commit: each locale is brought to the new version while the version's files are written (its
  // file is made meanwhile, and replaced once the version is committed): what went wrong with one is
  // its error.
  const synced = new Map<string, string | undefined>();
  const next = prepared.plan.document;
  const plan = await prepared.commit(async (versions, committed) => {
    // While each file is written: its drifted paragraphs, for the report (see statesOf).
    const count = (file: ReadonlyLocaleFile): void => void statesOf(next, file);
    // The locales side by side: one is worked out on this thread while the file of another is
    // written and synced on the writer's (each file has its own lock; the project's is held).
    let done = 0;
    // A paragraph edited in the source and translated in no locale is the same unit in each file: written once
    // (a unit in the writer's plain form is written as text, cheaply, in each file: see writePlainUnitText).
    const writes = new UnitWrites();
    say({ step: 'writing', document: next.id, version: next.version, locales: codes });
    const outcomes = await Promise.allSettled(
      codes.map(async (code) => {
        synced.set(code, await quietly(() => migrateLocaleFile(stores, next, code, versions, committed, count, writes)));
        say({ step: 'locale-done', locale: code, version: next.version, done: ++done, of: codes.length });
      }),
    );
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  });

  const locales: UpdateReport['locales'] = [];
  for (const code of codes) {
    const error = synced.has(code) ? synced.get(code) : await syncQuietly(stores, plan.document, code);
    const drifted = error ? 0 : ((await stores.locales.peek(plan.document.id, code, (file) => statesOf(plan.document, file).drifted.length)) ?? 0);
    locales.push(error ? { code, drifted, error } : { code, drifted });
  }
  if (plan.changed) {
    // A cache: the update is done whatever happens to it (a locale's archive that cannot be read
    // is for the drift report to say, when it is asked for).
    await keepWhatIsKnown(
      stores,
      plan.document,
      locales.filter((locale) => !locale.error).map((locale) => locale.code),
    ).catch(() => undefined);
  }
  return { changed: plan.changed, version: plan.version, locales };
}

/**
 * What a source update does to a locale file: how many of its paragraphs are translated, and how
 * many of those it takes out (`deleted`) or sends to review (`reworked`: edited, split or merged).
 */
function effectOn(file: ReadonlyLocaleFile, deleted: ReadonlySet<string>, reworked: ReadonlySet<string> = new Set()): { translated: number; drifting: number; removed: number } {
  let translated = 0;
  let drifting = 0;
  let removed = 0;
  for (const unit of file.units) {
    if (unit.target === undefined || unit.target === '') continue;
    translated++;
    if (deleted.has(unit.id)) removed++;
    else if (reworked.has(unit.id)) drifting++;
  }
  return { translated, drifting, removed };
}

/** An update that takes out more than half of a locale's translations is refused unless forced. */
const takesMostOf = ({ translated, removed }: { translated: number; removed: number }): boolean => removed > 0 && removed * 2 > translated;

/** What a new text would do, before it is applied: its version's counts and changes, and per locale what it takes. */
export interface SourceUpdatePreview {
  document: string;
  /** False when the text is the current version's. */
  changed: boolean;
  /** The version it would become (its counts, changes and deleted paragraphs). */
  version: SourceVersion;
  locales: { code: string; translated: number; drifting: number; removed: number; refused: boolean }[];
}

/**
 * Works out what a new text of a document would do, writing nothing: the plan of the update (as
 * updateSource makes it) and, per locale, how many translated paragraphs it would send to review
 * (edited, split or merged) or take out (deleted), and whether the update would be refused
 * without force (more than half of a locale's translations taken out).
 */
export async function previewSourceUpdate(stores: WorkbenchStores, documentId: string, bytes: Uint8Array, options: { name: string; who: string }): Promise<SourceUpdatePreview> {
  return stores.lock.hold(async () => {
    const current = await stores.sources.load(checkDocumentId(documentId));
    const text = decodeSourceUpload(bytes, options.name);
    const prepared = await stores.sources.prepareUpdate(current.id, text, options.who);
    try {
      const { plan } = prepared;
      const deleted = new Set(plan.version.deleted.map((s) => s.id));
      const reworked = new Set(plan.version.changes.filter((c) => c.label === 'edited' || c.label === 'split' || c.label === 'merged').flatMap((c) => c.from));
      const locales: SourceUpdatePreview['locales'] = [];
      for (const code of await stores.locales.listLocales(current.id)) {
        const counts = await stores.locales.peek(current.id, code, (file) => effectOn(file, deleted, reworked)).catch(() => undefined);
        if (counts) locales.push({ code, ...counts, refused: takesMostOf(counts) });
      }
      return { document: current.id, changed: plan.changed, version: plan.version, locales };
    } finally {
      await prepared.discard();
    }
  });
}

/**
 * Keeps the document's summary and the locales' drift reports, as `workbench status` and `workbench
 * drift` would work them out, from the locale files a source update just wrote and counted: the
 * next command reads none of those files again (a book's five locales are seconds of parsing).
 */
async function keepWhatIsKnown(stores: WorkbenchStores, document: SourceDocument, codes: readonly string[]): Promise<void> {
  const summaries = stores.summaries;
  const sourceStamp = summaries && (await stores.sources.stamp(document.id));
  if (!summaries || sourceStamp === undefined) return;
  const written: WrittenLocale[] = [];
  for (const code of codes) {
    const stamp = await stores.locales.stamp(document.id, code);
    const file = await stores.locales.peek(document.id, code, (model) => model);
    if (stamp !== undefined && file) written.push({ code, stamp, file });
  }
  await keepReportsOf(stores, document, sourceStamp, written);
}

/** A locale file just written: its language, its stamp and the model it holds. */
export interface WrittenLocale {
  code: string;
  stamp: string;
  file: ReadonlyLocaleFile;
}

/**
 * Keeps what `workbench status` and `workbench drift` would work out of locale files just
 * written: each one's progress in the document's summary and its drift report, under the stamps
 * of the source (`sourceStamp`, of the files `document` was read from), of the file and of the
 * locale's archive. A file at another source version than the document's is left out.
 */
export async function keepReportsOf(stores: WorkbenchStores, document: SourceDocument, sourceStamp: string, written: readonly WrittenLocale[]): Promise<void> {
  const summaries = stores.summaries;
  if (!summaries) return;
  await keepDriftReports(stores, document, sourceStamp, written);
  await keepLocaleSummaries(summaries, document, sourceStamp, written.filter(({ file }) => (file.sourceVersion ?? 1) === document.version));
}

/**
 * Keeps the drift report of each locale file of `read` (files read, or just written, at the stamps
 * given, taken before they were read) as `workbench drift` would work it out, under the stamps of
 * the source, of the file and of the locale's archive (taken before the archive is read). A file at
 * another source version than the document's is left out.
 */
export async function keepDriftReports(stores: WorkbenchStores, document: SourceDocument, sourceStamp: string, read: readonly WrittenLocale[]): Promise<void> {
  const summaries = stores.summaries;
  if (!summaries) return;
  for (const { code, stamp, file } of read) {
    if ((file.sourceVersion ?? 1) !== document.version) continue;
    const archiveStamp = await stores.locales.archiveStamp(document.id, code);
    await summaries.put(driftName(document, code), driftStamp([sourceStamp, stamp, archiveStamp]), await driftOf(stores, document, code, file));
  }
}

/** Adds a document from a file, as version 1; its id is given or taken from the file name. */
export async function importDocument(stores: WorkbenchStores, bytes: Uint8Array, options: { name: string; id?: string; who: string }): Promise<SourceDocument> {
  const fallback = options.name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const id = checkDocumentId(options.id ?? fallback);
  const text = decodeSourceUpload(bytes, options.name);
  return stores.sources.create(id, text, formatOfName(options.name), options.who);
}

/** The drifted, untranslated and removed paragraphs of each locale (optionally of one document or locale). */
export async function driftReport(stores: WorkbenchStores, documentId: string, only?: string): Promise<DriftReport> {
  const id = checkDocumentId(documentId);
  // Every locale's report kept, under the stamp of the source files whose version is kept too: the
  // document is not read (a book's is megabytes). Otherwise it is, and what is not kept is made.
  const head = await stores.sources.keptVersion(id);
  const kept = head && (await keptDriftReport(stores, { id, version: head.version }, head.stamp, only));
  return kept ?? (await madeDriftReport(stores, await stores.sources.load(id), only));
}

/** driftReport when every locale's report is kept under `sourceStamp` (the stamp of the files `document`'s version is of); undefined otherwise. */
async function keptDriftReport(stores: WorkbenchStores, document: DocumentVersion, sourceStamp: string, only: string | undefined): Promise<DriftReport | undefined> {
  const report: DriftReport = { document: document.id, version: document.version, locales: [] };
  for (const code of await stores.locales.listLocales(document.id)) {
    if (only !== undefined && code !== only) continue;
    const kept = await keptLocaleDrift(stores, document, code, sourceStamp);
    if (!kept) return undefined;
    report.locales.push({ code, ...kept });
  }
  return report;
}

/** driftReport from the document read: each locale's kept report where there is one, else made from its file (brought up to the document first). */
async function madeDriftReport(stores: WorkbenchStores, document: SourceDocument, only: string | undefined): Promise<DriftReport> {
  const report: DriftReport = { document: document.id, version: document.version, locales: [] };
  for (const code of await stores.locales.listLocales(document.id)) {
    if (only !== undefined && code !== only) continue;
    // Kept between processes with the stamps of the files it comes from (see StampedSnapshots). A
    // kept report was made of a file brought up to the source: while the stamps match, there is
    // nothing to bring up to it, and nothing to read.
    const kept = await keptLocaleDrift(stores, document, code, await stores.sources.stamp(document.id));
    if (kept) {
      report.locales.push({ code, ...kept });
      continue;
    }
    const error = await syncQuietly(stores, document, code);
    if (error) {
      report.locales.push({ code, drifted: [], untranslated: 0, removed: 0, error });
      continue;
    }
    // Taken once the locale is brought up to the source, before its files are read.
    const stamp = await localeDriftStamp(stores, document, code, await stores.sources.stamp(document.id));
    const found = await driftOf(stores, document, code, await stores.locales.peek(document.id, code, (file) => file));
    if (stamp !== undefined) stores.summaries?.write(driftName(document, code), stamp, found);
    report.locales.push({ code, ...found });
  }
  return report;
}

/** The stamp a locale's drift report is kept under, with the source's stamp given (undefined: no source or no locale file). */
async function localeDriftStamp(stores: WorkbenchStores, document: DocumentVersion, code: string, sourceStamp: string | undefined): Promise<string | undefined> {
  const [stamp, archiveStamp] = await Promise.all([stores.locales.stamp(document.id, code), stores.locales.archiveStamp(document.id, code)]);
  return sourceStamp === undefined || stamp === undefined ? undefined : driftStamp([sourceStamp, stamp, archiveStamp]);
}

/** A locale's drift report kept under the stamps of its files now, with the source's stamp given; undefined when there is none. */
async function keptLocaleDrift(stores: WorkbenchStores, document: DocumentVersion, code: string, sourceStamp: string | undefined): Promise<Omit<DriftReport['locales'][number], 'code' | 'error'> | undefined> {
  const stamp = await localeDriftStamp(stores, document, code, sourceStamp);
  return stamp === undefined ? undefined : keptDrift(await stores.summaries?.read(driftName(document, code), stamp));
}

/** Bumped whenever a kept drift report changes shape or what it counts. */
const DRIFT_FORMAT = 1;

/** Where a locale's drift report is kept (see driftReport). */
const driftName = (document: Pick<SourceDocument, 'id'>, code: string): string => `${document.id}/${code}.drift`;

/** The stamp a drift report is kept under: the source's, the locale file's and its archive's (none: empty). */
const driftStamp = (stamps: readonly (string | undefined)[]): string => `${DRIFT_FORMAT} ${stamps.join(' | ')}`;

/** A locale's drift report from its file (a locale brought up to the document), as driftReport gives and keeps it. */
async function driftOf(stores: WorkbenchStores, document: SourceDocument, code: string, file: ReadonlyLocaleFile | undefined): Promise<Omit<DriftReport['locales'][number], 'code' | 'error'>> {
  const states = statesOf(document, file);
  return {
    drifted: states.drifted.map((s) => ({ id: s.id, source: s.text })),
    untranslated: states.untranslated,
    removed: (await stores.locales.readArchive(document.id, code)).length,
  };
}

/** A kept drift report of one locale (see driftReport), when `value` is one. */
function keptDrift(value: unknown): Omit<DriftReport['locales'][number], 'code' | 'error'> | undefined {
  const kept = value as Partial<DriftReport['locales'][number]> | undefined;
  if (!kept || !Array.isArray(kept.drifted) || typeof kept.untranslated !== 'number' || typeof kept.removed !== 'number') return undefined;
  return { drifted: kept.drifted, untranslated: kept.untranslated, removed: kept.removed };
}

interface LocaleStates {
  drifted: readonly Segment[];
  untranslated: number;
}

/**
 * statesOf's answers, by document and locale model: both are never changed (a new version of
 * either is a new object), and the same question comes again right after an update (its report,
 * then the drift report).
 */
const knownStates = new WeakMap<SourceDocument, WeakMap<ReadonlyLocaleFile, LocaleStates>>();

/** The drifted paragraphs of a document in a locale file (none when there is no file), and how many are untranslated. */
function statesOf(document: SourceDocument, file: ReadonlyLocaleFile | undefined): LocaleStates {
  if (!file) return countStates(document, undefined);
  let byFile = knownStates.get(document);
  if (!byFile) knownStates.set(document, (byFile = new WeakMap()));
  let states = byFile.get(file);
  if (!states) byFile.set(file, (states = countStates(document, file)));
  return states;
}

function countStates(document: SourceDocument, file: ReadonlyLocaleFile | undefined): LocaleStates {
  const units = file?.units ?? [];
  // Units usually come in document order: taken in turn, looked up by id only when one is not next.
  let byId: Map<string, ReadonlyUnit> | undefined;
  let next = 0;
  const drifted: Segment[] = [];
  let untranslated = 0;
  for (const segment of document.segments) {
    if (!segment.translatable) continue;
    let unit: ReadonlyUnit | undefined;
    if (next < units.length && units[next].id === segment.id) {
      unit = units[next++];
    } else {
      if (!byId) {
        byId = new Map();
        for (const u of units) byId.set(u.id, u);
      }
      unit = byId.get(segment.id);
    }
    const state = workflowState(segment, unit);
    if (state === 'drifted') drifted.push(segment);
    else if (state === 'untranslated') untranslated++;
  }
  return { drifted, untranslated };
}

/** Syncs a locale, turning a broken file into a message instead of a failure of the whole update. */
function syncQuietly(stores: WorkbenchStores, document: SourceDocument, code: string): Promise<string | undefined> {
  return quietly(() => syncLocale(stores, document, code));
}

/** Runs a locale's sync: undefined when it went well, the message of a broken file's error (anything else is thrown). */
async function quietly(sync: () => Promise<void>): Promise<string | undefined> {
  try {
    await sync();
    return undefined;
  } catch (err) {
    if (isWorkbenchError(err) && err.status < 500) return err.message;
    throw err;
  }
}
