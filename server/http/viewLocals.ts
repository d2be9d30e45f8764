import type { NextFunction, Request, Response } from 'express';
import { excerpt } from '../domain/excerpt';
import { describeLocale } from '../domain/localeTag';

/** Puts what every template needs into res.locals: translation, formatting, the switcher between the interface's `languages`. */
export function viewLocals(languages: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const lng = req.language && languages.includes(req.language) ? req.language : 'en';
    const numbers = new Intl.NumberFormat(lng);
    const percent = new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 0 });
    res.locals.t = req.t;
    res.locals.lng = lng;
    res.locals.formatNumber = (n: number) => numbers.format(n);
    const dates = new Intl.DateTimeFormat(lng, { dateStyle: 'long', timeZone: 'UTC' });
    // Dates in front matter are ISO days (2016-05-09); anything else is shown as written.
    res.locals.formatDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? dates.format(new Date(`${iso}T00:00:00Z`)) : iso);
    const dateTimes = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' });
    res.locals.formatDateTime = (iso: string) => dateTimes.format(new Date(iso));
    res.locals.formatPercent = (part: number, whole: number) => percent.format(whole === 0 ? 0 : part / whole);
    // Switching the interface language keeps the page and its query (section, filter...).
    res.locals.uiLanguages = languages.map((code) => {
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      query.set('lng', code);
      return { ...describeLocale(code, lng), href: `?${query.toString()}` };
    });
    res.locals.excerpt = excerpt;
    res.locals.path = req.path;
    res.locals.actor ??= undefined;
    next();
  };
}
