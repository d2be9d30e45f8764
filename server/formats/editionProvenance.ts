import type { Edition } from '../domain/edition';

/** One line of a provenance page: a label and its value; a label that says it all has none and adds to the line before. */
export interface ProvenanceRow {
  label: string;
  value?: string;
  /** An http(s) address the value links to. */
  url?: string;
}

/** The provenance page of every format: where the text comes from, who made it, how complete it is. */
export interface Provenance {
  rows: ProvenanceRow[];
  /** The closing sentence (labels.madeWith). */
  madeWith: string;
}

// The export time is stored in UTC; the zone is printed so that a reader elsewhere is not misled.
const EXPORT_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' };
const WEB_URL = /^https?:\/\/\S+$/i;

/** The provenance rows of an edition, with numbers, dates and lists written the edition's language's way. */
export function editionProvenance(edition: Edition): Provenance {
  const { labels } = edition;
  const lang = edition.language;
  const number = new Intl.NumberFormat(lang);
  const list = (names: string[]): string => new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(names);
  const rows: ProvenanceRow[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value.trim() !== '') rows.push({ label, value });
  };

  // The source's own date is printed as written: it is whatever its front matter says ("2016", "May 2016").
  const sourceTitle = edition.sourceDate ? `${edition.sourceTitle} (${edition.sourceDate})` : edition.sourceTitle;
  rows.push({ label: labels.sourceTitle, value: sourceTitle, url: edition.sourceUrl && WEB_URL.test(edition.sourceUrl) ? edition.sourceUrl : undefined });
  rows.push(sourceVersionRow(edition, number));
  add(labels.authors, list(edition.authors));
  add(labels.sourceLanguage, edition.sourceLanguageName);
  add(labels.originalTranslation, edition.originalTranslator);
  add(labels.translators, list(edition.translators));
  add(labels.reviewers, list(edition.reviewers));
  add(labels.completeness, completenessText(edition, number));
  add(labels.license, edition.license);
  add(labels.exportedAt, formatDate(edition.exportedAt, lang, EXPORT_TIME));
  return { rows, madeWith: labels.madeWith };
}

// The workbench's labels carry the version and its date ("Source version 3 of 9 May 2016"); a
// bare label ("Source version") gets them as its value, so the number is printed either way.
function sourceVersionRow(edition: Edition, number: Intl.NumberFormat): ProvenanceRow {
  const version = edition.sourceVersion;
  const label = edition.labels.sourceVersion;
  if (label.includes(number.format(version)) || label.includes(String(version))) return { label };
  return { label, value: `${number.format(version)} (${formatDate(edition.sourceVersionDate, edition.language, { dateStyle: 'long', timeZone: 'UTC' })})` };
}

function completenessText(edition: Edition, number: Intl.NumberFormat): string {
  const c = edition.completeness;
  const percent = new Intl.NumberFormat(edition.language, { style: 'percent' }).format(c.percent / 100);
  return `${percent} (${number.format(c.done)} / ${number.format(c.total)})`;
}

/** An ISO 8601 date (or date-time) in the edition's language; a value that is not a date is printed as it is. */
function formatDate(iso: string, language: string, options: Intl.DateTimeFormatOptions): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(language, options).format(date);
}
