import type { NextFunction, Request, Response } from 'express';
import type { i18n as I18n, TFunction } from 'i18next';

/** What i18next-http-middleware's LanguageDetector offers (registered on the instance by createApp, see createI18n). */
interface Detector {
  detect(req: Request, res: Response): string | string[] | undefined;
  cacheUserLanguage(req: Request, res: Response, lng: string): void;
}

/**
 * The interface language of each request, found as i18next-http-middleware finds it (`?lng=`, then
 * the `lng` cookie, then Accept-Language; remembered in the cookie when it changes), with the
 * instance's fixed translation function for it. The middleware's own `handle` made a copy of the
 * i18next instance for every request, a fifth of a save's time in a profile of 20 editors.
 */
export function uiLanguage(i18n: I18n) {
  const fallback = 'en';
  const translations = new Map<string, TFunction>();
  // The detector's answer depends on three strings only; working it out again for every save of a
  // busy server cost a twentieth of the save. Kept for the combinations seen, a bounded number.
  const detected = new Map<string, string>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const detector = i18n.services.languageDetector as Detector | undefined;
    const key = detectionKey(req);
    let lng = detected.get(key);
    if (lng === undefined) {
      const found = detector?.detect(req, res);
      lng = (Array.isArray(found) ? found[0] : found) ?? fallback;
      if (detected.size >= DETECTIONS_KEPT) detected.clear();
      detected.set(key, lng);
    }
    let t = translations.get(lng);
    if (!t) translations.set(lng, (t = i18n.getFixedT(lng)));
    req.language = lng;
    req.t = t;
    res.setHeader('Content-Language', lng);
    // Remembered only when someone picks a language (`?lng=`, the switcher's links): a language that
    // came from the browser's settings follows them when they change. A script with an API token keeps no cookies.
    const picked = key.startsWith('?') || key.startsWith('&');
    if (picked && (req.cookies as Record<string, unknown> | undefined)?.lng !== lng && req.headers.authorization === undefined) detector?.cacheUserLanguage(req, res, lng);
    next();
  };
}

/** How many combinations of what the detector reads are kept (see uiLanguage). */
const DETECTIONS_KEPT = 1000;

/**
 * What the language detector reads of a request, as one string: the `lng` query parameter (the
 * query is part of it only when it names one), the `lng` cookie and Accept-Language.
 */
function detectionKey(req: Request): string {
  const at = req.url.indexOf('?');
  const query = at >= 0 && /[?&]lng=/.test(req.url.slice(at)) ? req.url.slice(at) : '';
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.lng;
  return `${query}\u0000${typeof cookie === 'string' ? cookie : ''}\u0000${req.headers['accept-language'] ?? ''}`;
}
