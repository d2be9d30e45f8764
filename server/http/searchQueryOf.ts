import type { SearchQuery } from '../application/projectSearch';
import { WorkbenchError } from '../errors';

const IN = ['source', 'target', 'both'] as const;
const MODES = ['words', 'phrase', 'regex'] as const;

/** One query-string value as text (a repeated parameter is refused), or undefined. */
function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new WorkbenchError(400, 'invalid-query', `"${name}" must be given once, as text.`);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  const given = text(value, name);
  if (given === undefined || given === '') return fallback;
  if (!(allowed as readonly string[]).includes(given)) throw new WorkbenchError(400, 'invalid-query', `"${name}" must be one of: ${allowed.join(', ')}.`);
  return given as T;
}

function whole(value: unknown, name: string, fallback: number, max: number): number {
  const given = text(value, name);
  if (given === undefined || given === '') return fallback;
  const n = Number(given);
  if (!/^\d+$/.test(given) || n > max) throw new WorkbenchError(400, 'invalid-query', `"${name}" must be a whole number from 0 to ${max}.`);
  return n;
}

/** A search from the query string of the API or of the search page: 400 naming what is wrong. */
export function searchQueryOf(query: Record<string, unknown>, defaults: { limit: number } = { limit: 20 }): SearchQuery {
  const lang = text(query.lang, 'lang');
  const doc = text(query.doc, 'doc');
  const limit = whole(query.limit, 'limit', defaults.limit, 100);
  return {
    q: text(query.q, 'q') ?? '',
    in: oneOf(query.in, 'in', IN, 'both'),
    mode: oneOf(query.mode, 'mode', MODES, 'words'),
    ...(lang ? { lang } : {}),
    ...(doc ? { doc } : {}),
    offset: whole(query.offset, 'offset', 0, 1_000_000),
    limit: limit === 0 ? defaults.limit : limit,
  };
}
