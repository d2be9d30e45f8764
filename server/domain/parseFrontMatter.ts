import { WorkbenchError } from '../errors';
import { yamlPackage } from '../lazyPackages';
import type { DocumentMeta } from './types';

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** The front-matter keys the workbench reads into its own fields. */
const KNOWN_KEYS = new Set(['title', 'authors', 'author', 'date', 'translator', 'source', 'license', 'language']);

/** A YAML value as JSON can hold it: dates as their day (or instant), everything else as parsed. */
function plainValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().endsWith('T00:00:00.000Z') ? value.toISOString().slice(0, 10) : value.toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  return value;
}

/** Splits YAML front matter off a Markdown document; `fallbackTitle` names a document that has none. */
export function parseFrontMatter(content: string, fallbackTitle: string): { meta: DocumentMeta; body: string; bodyOffsetLines: number } {
  const match = FRONT_MATTER.exec(content);
  if (!match) return { meta: { title: fallbackTitle, language: 'en' }, body: content, bodyOffsetLines: 0 };
  let data: unknown;
  try {
    data = yamlPackage().parse(match[1]);
  } catch (cause) {
    throw new WorkbenchError(422, 'front-matter-invalid', `The front matter is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    throw new WorkbenchError(422, 'front-matter-invalid', 'The front matter must be a YAML mapping (key: value lines).');
  }
  const record = (data ?? {}) as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value);
  };
  const authors = record.authors ?? record.author;
  const meta: DocumentMeta = {
    title: text('title') ?? fallbackTitle,
    authors: authors === undefined ? undefined : (Array.isArray(authors) ? authors : [authors]).map(String),
    date: text('date'),
    translator: text('translator'),
    source: text('source'),
    license: text('license'),
    language: text('language') ?? 'en',
  };
  // Keys the workbench does not use are kept as written (a date as its day), for the editions' front matter.
  const extra = Object.entries(record).filter(([key]) => !KNOWN_KEYS.has(key));
  if (extra.length > 0) meta.extra = Object.fromEntries(extra.map(([key, value]) => [key, plainValue(value)]));
  return { meta, body: content.slice(match[0].length), bodyOffsetLines: match[0].split('\n').length - 1 };
}
