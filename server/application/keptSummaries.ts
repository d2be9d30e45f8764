/**
 * What `workbench status` keeps of a document between processes (see Workbench.listDocuments):
 * its summary under the stamp of its source, with each locale's progress under the stamp of the
 * locale's file. Kept by whoever knows a locale's progress without reading anything: the command
 * that counted it, the server that wrote the file, the source update that made it.
 */
import { computeProgress, type Progress } from '../domain/computeProgress';
import type { SourceDocument } from '../domain/types';
import { keyedLock } from '../storage/keyedLock';
import type { ReadonlyLocaleFile } from '../storage/localeStore';
import type { StampedSnapshots } from '../storage/stampedSnapshots';
import { progressIn } from './localeTally';
import type { DocumentSummary } from './workbench';

/** Bumped whenever what is kept changes shape, or how progress is counted changes: older ones are not used. */
export const SUMMARY_FORMAT = 1;

/**
 * A document's summary as kept between processes, under the stamp of the source it was worked out
 * from: each locale's progress with its file's stamp and source version.
 */
export interface KeptSummary {
  format: number;
  version: number;
  summary: DocumentSummary;
  locales: Record<string, { stamp: string; sourceVersion: number; progress: Progress }>;
}

/** `value` as a kept summary, when it is one. */
export function keptSummary(value: unknown): KeptSummary | undefined {
  const kept = value as Partial<KeptSummary> | undefined;
  if (!kept || typeof kept !== 'object' || kept.format !== SUMMARY_FORMAT) return undefined;
  if (typeof kept.version !== 'number' || typeof kept.summary !== 'object' || typeof kept.locales !== 'object' || kept.locales === null) return undefined;
  return kept as KeptSummary;
}

const bodies = new WeakMap<SourceDocument, DocumentSummary>();

/** A document's summary without its locales (made once per version of the document: a book's words are counted once). */
export function summaryBody(document: SourceDocument): DocumentSummary {
  let body = bodies.get(document);
  if (!body) {
    const empty = computeProgress(document.segments, new Map(), document.meta.language);
    body = { id: document.id, title: document.meta.title, language: document.meta.language, segments: empty.segments, words: empty.words, locales: [] };
    bodies.set(document, body);
  }
  return { ...body, locales: [] };
}

/** One change of a document's kept summary at a time, per folder of summaries (two locales written at once: both kept). */
const queues = new WeakMap<StampedSnapshots, ReturnType<typeof keyedLock>>();

/**
 * Puts into the document's kept summary (under `sourceStamp`, the stamp of the source `document`
 * was read from) the progress of locale files just written at the document's version, each under
 * its file's stamp (see keepReportsOf). Resolves once the summary is written.
 */
export function keepLocaleSummaries(
  summaries: StampedSnapshots,
  document: SourceDocument,
  sourceStamp: string,
  written: readonly { code: string; stamp: string; file: ReadonlyLocaleFile }[],
): Promise<void> {
  let queue = queues.get(summaries);
  if (!queue) queues.set(summaries, (queue = keyedLock()));
  return queue(document.id, async () => {
    const kept = keptSummary(await summaries.read(document.id, sourceStamp));
    const base: KeptSummary = kept && kept.version === document.version ? kept : { format: SUMMARY_FORMAT, version: document.version, summary: summaryBody(document), locales: {} };
    const locales = { ...base.locales };
    for (const { code, stamp, file } of written) locales[code] = { stamp, sourceVersion: document.version, progress: progressIn(document, file) };
    await summaries.put(document.id, sourceStamp, { ...base, locales });
  });
}
