import type { Progress } from '../domain/computeProgress';
import type { DocumentSummary, LocaleSummary } from './workbench';

/** The JSON forms shared by the API and the CLI (`workbench status --json`), so that both say the same. */

/** A locale's progress as the API answers a change: counts by state, words, total. */
export function progressJson(progress: Progress): Record<string, unknown> {
  return { ...progress.bySegments, words: progress.byWords, total: progress.segments };
}

/** The counts a script wants of a locale, flat. */
export function localeCounts(locale: LocaleSummary): Record<string, unknown> {
  return { code: locale.code, name: locale.nativeName, dir: locale.dir, ...(locale.progress ? progressJson(locale.progress) : {}), ...(locale.error ? { error: locale.error } : {}) };
}

/** JSON form of a document summary. */
export function documentJson(summary: DocumentSummary): Record<string, unknown> {
  return { id: summary.id, title: summary.title, language: summary.language, segments: summary.segments, words: summary.words, locales: summary.locales.map(localeCounts) };
}
