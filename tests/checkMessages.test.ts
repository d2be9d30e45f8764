import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createI18n, uiLanguages } from '../server/i18n';
import { checkMessageOf } from '../server/http/segmentJson';
import { REPO_ROOT } from './helpers/project';

/**
 * A check's message with new values is filled into a template i18next made of it once (see
 * segmentJson's messageOf): it must be exactly the message i18next makes itself, in every
 * language, whatever the values hold.
 */
const i18n = createI18n(REPO_ROOT);
const english = JSON.parse(readFileSync(path.join(REPO_ROOT, 'locales', 'en', 'ui.json'), 'utf8')) as { checks: Record<string, string> };
const keys = Object.keys(english.checks).map((key) => `checks.${key}`);
/** The values a message names, in English. */
const namesOf = (key: string): string[] => [...new Set([...english.checks[key.slice('checks.'.length)].matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1]))];

describe('check messages filled into their template', () => {
  it('are the messages i18next makes, for every check key in every interface language', () => {
    expect(keys.length).toBeGreaterThan(20);
    for (const lng of uiLanguages(REPO_ROOT)) {
      const t = i18n.getFixedT(lng);
      for (const key of keys) {
        const names = namesOf(key);
        // Values as a check gives them, then values that look like markup, nesting or interpolation.
        for (const sample of ['1871, 72', '“word” & <b>', '{{source}} $t(checks.untranslated)', '', '  spaced \n']) {
          const values = Object.fromEntries(names.map((name, i) => [name, `${i}${sample}`]));
          expect(checkMessageOf(t, key, values)).toBe(String(t(key, values)));
          // Asked again (the message kept), and with other values (the template kept).
          expect(checkMessageOf(t, key, values)).toBe(String(t(key, values)));
        }
      }
    }
  });

  it('leaves counts, contexts and values that are not strings to i18next', () => {
    const t = i18n.getFixedT('es');
    expect(checkMessageOf(t, 'checks.lengthRatio', { ratio: 2.5 })).toBe(String(t('checks.lengthRatio', { ratio: 2.5 })));
    expect(checkMessageOf(t, 'checks.lengthRatio', { ratio: '3.0', count: 2 })).toBe(String(t('checks.lengthRatio', { ratio: '3.0', count: 2 })));
    expect(checkMessageOf(t, 'checks.untranslated', undefined)).toBe(String(t('checks.untranslated')));
    // A key the catalogs do not have: what i18next answers for it.
    expect(checkMessageOf(t, 'checks.noSuchCheck', { a: 'x' })).toBe(String(t('checks.noSuchCheck', { a: 'x' })));
  });
});
