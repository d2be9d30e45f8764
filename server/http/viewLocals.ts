import type { NextFunction, Request, Response } from 'express';
import { excerpt } from '../domain/excerpt';
import { isMergeSuggestionId } from '../domain/mergeSuggestion';
import { wordDiff } from '../domain/wordDiff';
import { describeLocale } from '../domain/localeTag';
import { can, type Action, type Actor } from '../auth/permissions';

/** Puts what every template needs into res.locals: translation, formatting, the switcher between the interface's `languages`. */
export function viewLocals(languages: readonly string[]) {
  // Formatters and language names per interface language, made once: making them took a share of every request.
  const byLanguage = new Map<string, ReturnType<typeof formattersFor>>();
  function formattersFor(lng: string) {
    const numbers = new Intl.NumberFormat(lng);
    const percent = new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 0 });
    const dates = new Intl.DateTimeFormat(lng, { dateStyle: 'long', timeZone: 'UTC' });
    const dateTimes = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' });
    const relative = new Intl.RelativeTimeFormat(lng, { numeric: 'auto' });
    return {
      formatNumber: (n: number) => numbers.format(n),
      // Dates in front matter are ISO days (2016-05-09); anything else is shown as written.
      formatDate: (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? dates.format(new Date(`${iso}T00:00:00Z`)) : iso),
      formatDateTime: (iso: string) => dateTimes.format(new Date(iso)),
      formatRelative: (iso: string) => relativeTime(relative, iso),
      formatPercent: (part: number, whole: number) => percent.format(whole === 0 ? 0 : part / whole),
      names: languages.map((code) => describeLocale(code, lng)),
    };
  }
  return (req: Request, res: Response, next: NextFunction): void => {
    const lng = req.language && languages.includes(req.language) ? req.language : 'en';
    let formatters = byLanguage.get(lng);
    if (!formatters) byLanguage.set(lng, (formatters = formattersFor(lng)));
    res.locals.t = req.t;
    res.locals.lng = lng;
    res.locals.actor ??= undefined;
    // The API answers JSON: nothing of a page is needed.
    if (req.path.startsWith('/api/')) return next();
    res.locals.formatNumber = formatters.formatNumber;
    res.locals.formatDate = formatters.formatDate;
    res.locals.formatDateTime = formatters.formatDateTime;
    res.locals.formatRelative = formatters.formatRelative;
    res.locals.formatPercent = formatters.formatPercent;
    // Switching the interface language keeps the page and its query (section, filter...).
    const names = formatters.names;
    res.locals.uiLanguages = languages.map((code, i) => {
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      query.set('lng', code);
      return { ...names[i], href: `?${query.toString()}` };
    });
    res.locals.excerpt = excerpt;
    res.locals.isMergeSuggestionId = isMergeSuggestionId;
    res.locals.wordDiff = wordDiff;
    // What the person may do, for pages that show only the actions they may take (the routes check it again).
    res.locals.may = (action: Action, locale?: string): boolean => can(res.locals.actor as Actor | undefined, action, locale);
    res.locals.path = req.path;
    next();
  };
}

/** The largest unit a time is counted in, with its length in seconds (a month of 30 days, a year of 365). */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "yesterday", "in 2 hours": `iso` from now, in the largest unit it fills. */
export function relativeTime(format: Intl.RelativeTimeFormat, iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (!Number.isFinite(seconds)) return iso;
  const [unit, length] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? ['second', 1];
  return format.format(Math.round(seconds / length), unit);
}
