import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import { uiLanguages } from './uiLanguages';

export { uiLanguages };

/**
 * A ready i18next instance for the interface strings of `languages`, read from
 * `<appRoot>/locales/<lng>/ui.json` as its resources: plain JSON, read directly rather than
 * through a file backend, which loads parsers for YAML and JSON5 at every start of a command.
 * The server passes i18next-http-middleware's LanguageDetector as `detector` (configured here,
 * see `detection`); the CLI has no requests to detect a language in, and does not load the
 * middleware.
 */
export function createI18n(appRoot: string, languages: string[] = uiLanguages(appRoot), detector?: Parameters<i18n['use']>[0]): i18n {
  const resources: Resource = {};
  for (const language of languages) {
    const file = path.join(appRoot, 'locales', language, 'ui.json');
    if (existsSync(file)) resources[language] = { ui: JSON.parse(readFileSync(file, 'utf8')) as Resource[string][string] };
  }
  const instance = i18next.createInstance();
  if (detector) instance.use(detector);
  void instance.init({
      initAsync: false,
      resources,
      supportedLngs: languages,
      nonExplicitSupportedLngs: true,
      fallbackLng: 'en',
      ns: ['ui'],
      defaultNS: 'ui',
      // EJS escapes every <%= %> output; escaping here as well would show "&amp;" to people.
      interpolation: { escapeValue: false },
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

/**
 * The interface's words in `lang`, one of the interface's languages (English beneath it, for a
 * string it lacks), for one reader outside any request: the CLI's user, the server's start-up
 * lines (see environmentLanguage). Only those two catalogs are read.
 */
export function wordsIn(appRoot: string, lang: string): TFunction {
  return createI18n(appRoot, lang === 'en' ? ['en'] : ['en', lang]).getFixedT(lang);
}
