import path from 'node:path';
import { mkdir, readFile } from 'node:fs/promises';
import { canonicalLocale, canonicalToolLocale } from '../server/domain/localeTag';
import { WorkbenchError } from '../server/errors';
import { catalogToXliff, flattenCatalog, nestCatalog, xliffToCatalog, type Catalog } from '../server/formats/uiCatalogXliff';
import { decodeXmlBytes } from '../server/formats/xmlSafety';
import { writeFileAtomic } from '../server/storage/writeFileAtomic';
import { readInput } from './readInput';
import type { Cli } from './cliIo';

async function readCatalog(file: string): Promise<Catalog | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as Catalog;
  } catch (cause) {
    throw new WorkbenchError(500, 'catalog-invalid', `${file} is not valid JSON: ${(cause as Error).message}`, { cause, params: { file, reason: (cause as Error).message } });
  }
}

/**
 * `workbench ui-xliff export <lang>` writes the interface strings (English, with the language's
 * translations where it has them) as XLIFF 1.2; `workbench ui-xliff import <file>` takes a
 * translated one back into `locales/<lang>/ui.json` (the language is the file's target language).
 */
export async function uiXliffCommand(appRoot: string, args: string[], options: { out?: string; dryRun: boolean }, cli: Cli): Promise<number> {
  const { t, number } = cli;
  const [action, argument] = args;
  const localesDir = path.join(appRoot, 'locales');
  const english = await readCatalog(path.join(localesDir, 'en', 'ui.json'));
  const englishFile = path.join(localesDir, 'en', 'ui.json');
  if (!english) throw new WorkbenchError(500, 'catalog-missing', `${englishFile} is missing: it is the source of the interface strings.`, { params: { file: englishFile } });
  if (action === 'export' && argument) {
    const lang = canonicalLocale(argument);
    if (lang === 'en') throw new WorkbenchError(400, 'locale-is-source', 'English is the source of the interface strings: choose another language.');
    const xml = await catalogToXliff({ source: english, target: await readCatalog(path.join(localesDir, lang, 'ui.json')), sourceLanguage: 'en', targetLanguage: lang });
    const file = path.resolve(options.out ?? `ui.${lang}.xlf`);
    await writeFileAtomic(file, xml);
    cli.out(`${t('cli.uiXliff.wrote', { file, strings: number(flattenCatalog(english).size), lang })}\n`);
    return 0;
  }
  if (action === 'import' && argument) {
    const bytes = await readInput(argument);
    const name = path.basename(argument);
    const read = await xliffToCatalog(decodeXmlBytes(bytes, { file: name }), { file: name, source: english });
    if (!read.targetLanguage) throw new WorkbenchError(400, 'locale-required', `${name} has no target-language: the workbench cannot tell which interface it translates.`);
    const lang = canonicalToolLocale(read.targetLanguage);
    if (lang === 'en') throw new WorkbenchError(400, 'locale-is-source', `${name} translates into English, the source of the interface strings.`);
    cli.out(`${t(options.dryRun ? 'cli.uiXliff.wouldTake' : 'cli.uiXliff.took', { strings: number(read.translations.size), lang, untranslated: number(read.untranslated.length) })}\n`);
    for (const key of read.placeholderMismatches) cli.out(`  ${t('cli.uiXliff.placeholders', { braces: '{{placeholders}}', key })}\n`);
    for (const key of read.unknown) cli.out(`  ${t('cli.uiXliff.unknown', { key })}\n`);
    if (options.dryRun) return 0;
    const file = path.join(localesDir, lang, 'ui.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(nestCatalog(read.translations), null, 2)}\n`);
    cli.out(`${t('cli.uiXliff.wroteCatalog', { file })}\n`);
    return 0;
  }
  throw new WorkbenchError(400, 'usage', t('cli.args.uiXliff'));
}
