import type { Request } from 'express';
import type { TFunction } from 'i18next';
import type { SegmentView } from '../application/segmentViews';

/** How many check messages, and how many message templates, are kept per interface language (see messageOf). */
const MESSAGES_KEPT = 5000;

/** Check messages already put into each interface language, by key and values. */
const messages = new WeakMap<TFunction, Map<string, string>>();

/**
 * A message of one language and key with its values left out: the text between them, and the
 * name of each value in its place (`parts` alternate: text, name, text, …, text). Null when the
 * message cannot be made this way (see templateOf).
 */
type Template = { parts: string[] } | null;

/** Templates already made for each interface language, by key and the names of the values. */
const templates = new WeakMap<TFunction, Map<string, Template>>();

/** What stands for a value while its message's template is made (no message or value of a check holds a NUL). */
const marker = (name: string): string => `\u0000${name}\u0000`;

/**
 * The message of `key` in the language of `t`, from i18next once, with a marker for each value
 * (see marker). Null, and the message is then made by i18next each time, when the values are not
 * plain strings put in as they are: a count (plural forms), a context, a value i18next formats or
 * leaves out (its marker is not found once, as it was given).
 */
function templateOf(t: TFunction, key: string, names: readonly string[]): Template {
  if (names.some((name) => name === 'count' || name === 'context')) return null;
  const made = String(t(key, Object.fromEntries(names.map((name) => [name, marker(name)]))));
  const parts = made.split('\u0000');
  // Text, name, text, …: an odd number of parts, each name one of the values.
  if (parts.length % 2 === 0) return null;
  for (let i = 1; i < parts.length; i += 2) if (!names.includes(parts[i])) return null;
  return { parts };
}

/**
 * A check's message in the language of `t`. The same few messages come in every answer to a save,
 * and i18next's lookup and interpolation cost a tenth of a busy server's save: each message is made
 * once per language and values (the catalogs are read once, at start), and a message with new
 * values (the numbers of a translation just saved) is filled into the template i18next made of it
 * once per language (i18next's own call took about 40 µs, a fifteenth of a save on a busy server).
 */
function messageOf(t: TFunction, key: string, values: Record<string, unknown> | undefined): string {
  let kept = messages.get(t);
  if (!kept) messages.set(t, (kept = new Map()));
  const id = `${key}\u0000${values === undefined ? '' : JSON.stringify(values)}`;
  let message = kept.get(id);
  if (message === undefined) {
    message = values === undefined ? String(t(key)) : filled(t, key, values);
    if (kept.size >= MESSAGES_KEPT) kept.clear();
    kept.set(id, message);
  }
  return message;
}

/** The message of `key` with `values`: from its template when the values are strings, else from i18next. */
function filled(t: TFunction, key: string, values: Record<string, unknown>): string {
  const names = Object.keys(values);
  if (names.some((name) => typeof values[name] !== 'string')) return String(t(key, values));
  let byKey = templates.get(t);
  if (!byKey) templates.set(t, (byKey = new Map()));
  const id = `${key}\u0000${names.join('\u0000')}`;
  let template = byKey.get(id);
  if (template === undefined) {
    template = templateOf(t, key, names);
    if (byKey.size >= MESSAGES_KEPT) byKey.clear();
    byKey.set(id, template);
  }
  if (template === null) return String(t(key, values));
  const { parts } = template;
  let message = parts[0];
  for (let i = 1; i < parts.length; i += 2) message += (values[parts[i]] as string) + parts[i + 1];
  return message;
}

/**
 * A segment as the JSON API gives it: each check's message in the interface language (its
 * i18next key and values kept beside it, `key` and `values`).
 */
export function segmentJson(req: Request, segment: SegmentView): Omit<SegmentView, 'checks'> & { checks: (Omit<SegmentView['checks'][number], 'message'> & { message: string; key: string })[] } {
  const t = req.t;
  return { ...segment, checks: segment.checks.map((check) => ({ ...check, key: check.message, message: t ? messageOf(t, check.message, check.values) : check.message })) };
}

/** messageOf, for the test that compares it with i18next's own call for every message of every language. */
export const checkMessageOf = messageOf;
