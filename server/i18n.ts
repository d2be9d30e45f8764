import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import Backend from 'i18next-fs-backend';
import { LanguageDetector } from 'i18next-http-middleware';

/** Languages the interface is translated into (a catalog `locales/<lng>/ui.json` each). */
export const UI_LANGUAGES = ['en', 'es'] as const;

/** A ready i18next instance for the interface strings, loaded synchronously from `<appRoot>/locales`. */
export function createI18n(appRoot: string): i18n {
  const instance = i18next.createInstance();
  void instance
    .use(Backend)
    .use(LanguageDetector)
    .init({
      initAsync: false,
      preload: [...UI_LANGUAGES],
      supportedLngs: [...UI_LANGUAGES],
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
