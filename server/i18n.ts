import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import Backend from 'i18next-fs-backend';

/** Languages the interface is translated into: English, then every `locales/<lng>/ui.json` there is. */
export function uiLanguages(appRoot: string): string[] {
  const dir = path.join(appRoot, 'locales');
  const found = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(entry.name) && existsSync(path.join(dir, entry.name, 'ui.json')))
        .map((entry) => entry.name)
    : [];
  return ['en', ...found.filter((code) => code !== 'en').sort()];
}

/**
 * A ready i18next instance for the interface strings of `languages`, loaded synchronously from
 * `<appRoot>/locales`. The server passes i18next-http-middleware's LanguageDetector as `detector`
 * (configured here, see `detection`); the CLI has no requests to detect a language in, and does
 * not load the middleware.
 */
export function createI18n(appRoot: string, languages: string[] = uiLanguages(appRoot), detector?: Parameters<i18n['use']>[0]): i18n {
  const instance = i18next.createInstance().use(Backend);
  if (detector) instance.use(detector);
  void instance.init({
      initAsync: false,
      preload: languages,
      supportedLngs: languages,
      nonExplicitSupportedLngs: true,
      fallbackLng: 'en',
      ns: ['ui'],
      defaultNS: 'ui',
      // EJS escapes every <%= %> output; escaping here as well would show "&amp;" to people.
      interpolation: { escapeValue: false },
      backend: { loadPath: path.join(appRoot, 'locales/{{lng}}/{{ns}}.json') },
      detection: {
        order: ['querystring', 'cookie', 'header'],
        lookupQuerystring: 'lng',
        lookupCookie: 'lng',
        caches: ['cookie'],
        cookieSameSite: 'lax',
      },
    });
  return instance;
}
