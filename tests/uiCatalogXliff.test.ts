import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { catalogToXliff, flattenCatalog } from '../server/formats/uiCatalogXliff';
import { createI18n, uiLanguages } from '../server/i18n';
import { uiXliffCommand } from '../scripts/uiCatalogCommands';
import { cliOf } from '../scripts/cliIo';
import { REPO_ROOT } from './helpers/project';
import { makeTempDir, type TempDir } from './helpers/tempDir';
import { validateXliff12 } from './helpers/xmllint';

/** Each test changes its own copy of the workbench's interface catalogs, in `root`. */
let temp: TempDir;
let root: string;
beforeEach(() => {
  temp = makeTempDir('workbench-ui-');
  root = temp.dir;
  cpSync(path.join(REPO_ROOT, 'locales'), path.join(root, 'locales'), { recursive: true });
});
afterEach(() => temp.cleanup());

async function run(root: string, args: string[], options: { out?: string; dryRun?: boolean } = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await uiXliffCommand(root, args, { out: options.out, dryRun: options.dryRun ?? false }, cliOf({ out: (s) => (out += s), err: (s) => (out += s), env: {} }, root));
  return { code, out };
}

const catalog = (root: string, lang: string) => JSON.parse(readFileSync(path.join(root, 'locales', lang, 'ui.json'), 'utf8'));

describe('the interface strings as XLIFF (the xliff package, checked to lose nothing)', () => {
  it('export → import gives the Spanish catalog back exactly, and the file is strict XLIFF 1.2', async () => {
    const before = readFileSync(path.join(root, 'locales', 'es', 'ui.json'), 'utf8');
    const xlf = path.join(root, 'ui.es.xlf');
    expect((await run(root, ['export', 'es'], { out: xlf })).code).toBe(0);
    expect(validateXliff12(xlf)).toMatchObject({ valid: true });
    const imported = await run(root, ['import', xlf]);
    expect(imported.out).toMatch(new RegExp(`Took ${new Intl.NumberFormat('en').format(flattenCatalog(catalog(root, 'es')).size)} interface strings into es \\(0 untranslated`));
    expect(readFileSync(path.join(root, 'locales', 'es', 'ui.json'), 'utf8')).toBe(before);
  });

  it('a new interface language: translated in a CAT tool, imported, offered by the server', async () => {
    const xlf = path.join(root, 'ui.fr.xlf');
    await run(root, ['export', 'fr'], { out: xlf });
    // What a translator's tool does: a few targets, one with a placeholder lost, one unknown unit.
    const translated = readFileSync(xlf, 'utf8')
      .replace(/(<trans-unit id="app\.name">\s*<source>[^<]*<\/source>)/, '$1<target>Atelier de traduction</target>')
      .replace(/(<trans-unit id="edition\.done">\s*<source>[^<]*<\/source>)/, '$1<target>Paragraphes terminés</target>')
      .replace('</body>', '<trans-unit id="nowhere.key"><source>x</source><target>y</target></trans-unit></body>');
    writeFileSync(xlf, translated);
    const dry = await run(root, ['import', xlf], { dryRun: true });
    expect(dry.out).toContain('Would take 1 interface strings into fr');
    expect(dry.out).toContain('the {{placeholders}} differ from the English: edition.done');
    expect(dry.out).toContain('the interface has no such string: nowhere.key');
    expect(uiLanguages(root)).toEqual(['en', 'es']);
    await run(root, ['import', xlf]);
    expect(catalog(root, 'fr')).toEqual({ app: { name: 'Atelier de traduction' } });
    expect(uiLanguages(root)).toEqual(['en', 'es', 'fr']);
    const i18n = createI18n(root);
    expect(i18n.getFixedT('fr')('app.name')).toBe('Atelier de traduction');
    // What the French catalog lacks comes in English.
    expect(i18n.getFixedT('fr')('edition.title')).toBe('Edition');
  });

  it('refuses a file with a DOCTYPE, and a string the xliff package would change', async () => {
    const xlf = path.join(root, 'evil.xlf');
    writeFileSync(xlf, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff version="1.2"><file original="ui" target-language="fr"><body><trans-unit id="app.name"><source>&e;</source><target>&e;</target></trans-unit></body></file></xliff>');
    await expect(run(root, ['import', xlf])).rejects.toMatchObject({ code: 'xml-doctype-forbidden' });
    mkdirSync(path.join(root, 'locales', 'fr'), { recursive: true });
    await expect(catalogToXliff({ source: { a: 'line\n' }, sourceLanguage: 'en', targetLanguage: 'fr' })).rejects.toMatchObject({ code: 'catalog-not-portable', message: expect.stringContaining(': a.') });
    await expect(catalogToXliff({ source: { b: 'Tom &amp; Jerry' }, sourceLanguage: 'en', targetLanguage: 'fr' })).rejects.toMatchObject({ code: 'catalog-not-portable' });
  });
});
