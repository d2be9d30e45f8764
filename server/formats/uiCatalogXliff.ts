/**
 * The interface's i18next catalogs (`locales/<lng>/ui.json`) as XLIFF 1.2, so the interface itself
 * can be translated in any CAT tool. This is where the npm `xliff` package loses nothing: flat
 * key → text pairs, no states, no notes. It still drops a trailing newline and reads a literal
 * `&amp;` as `&`, so every export is read back and compared before it is handed out, and a string
 * that would not survive is refused by name.
 */
import { WorkbenchError } from '../errors';
import { parseXmlSafely } from './xmlSafety';

/** An i18next catalog: nested objects of strings. */
export interface Catalog {
  [key: string]: string | Catalog;
}

/** The XLIFF `<file original>` of the interface strings (the i18next namespace). */
export const UI_NAMESPACE = 'ui';

/** A catalog's strings by dotted key, in the catalog's order. */
export function flattenCatalog(catalog: Catalog, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === 'string') into.set(`${prefix}${key}`, value);
    else flattenCatalog(value, `${prefix}${key}.`, into);
  }
  return into;
}

/** A nested catalog from dotted keys, keys in the order given. */
export function nestCatalog(entries: Iterable<[string, string]>): Catalog {
  const catalog: Catalog = {};
  for (const [key, value] of entries) {
    const path = key.split('.');
    let node = catalog;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Catalog;
    node[path[path.length - 1]] = value;
  }
  return catalog;
}

/** The interface strings of `source` (English) with the translations `target` holds, as XLIFF 1.2. */
export async function catalogToXliff(input: { source: Catalog; target?: Catalog; sourceLanguage: string; targetLanguage: string }): Promise<string> {
  const source = flattenCatalog(input.source);
  const target = input.target ? flattenCatalog(input.target) : new Map<string, string>();
  const units: Record<string, { source: string; target?: string }> = {};
  for (const [key, text] of source) units[key] = target.has(key) ? { source: text, target: target.get(key) } : { source: text };
  // The xliff package is loaded here, not with the CLI: only these commands use it.
  const [{ default: jsToXliff12 }, { default: xliff12ToJs }] = await Promise.all([import('xliff/jsToXliff12'), import('xliff/xliff12ToJs')]);
  const xml = await jsToXliff12({ sourceLanguage: input.sourceLanguage, targetLanguage: input.targetLanguage, resources: { [UI_NAMESPACE]: units } });
  const back = (await xliff12ToJs(xml)).resources[UI_NAMESPACE] ?? {};
  const lost = Object.entries(units)
    .filter(([key, unit]) => back[key]?.source !== unit.source || (unit.target !== undefined && back[key]?.target !== unit.target))
    .map(([key]) => key);
  if (lost.length > 0) {
    throw new WorkbenchError(422, 'catalog-not-portable', `These interface strings would not survive XLIFF as the xliff package writes it (a trailing newline, or a literal "&amp;"): ${lost.join(', ')}.`);
  }
  return `${xml}\n`;
}

/** What an XLIFF file of interface strings holds for the workbench's catalog. */
export interface CatalogImport {
  targetLanguage?: string;
  /** The translations to keep, by dotted key, in the source catalog's order. */
  translations: Map<string, string>;
  /** Keys the interface does not have. */
  unknown: string[];
  /** Keys whose translation does not carry the same {{placeholders}} as the English (not taken). */
  placeholderMismatches: string[];
  /** Keys without a translation (the interface shows the English). */
  untranslated: string[];
}

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;
const placeholders = (text: string) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).sort().join(',');

/**
 * Reads an XLIFF 1.2 file of interface strings against the English catalog. The file is first
 * parsed by the workbench's safe parser (no DOCTYPE, so no entity is expanded; exact line and
 * column for malformed XML), then read by the xliff package.
 */
export async function xliffToCatalog(content: string, ctx: { file: string; source: Catalog }): Promise<CatalogImport> {
  parseXmlSafely(content, { file: ctx.file });
  const { default: xliff12ToJs } = await import('xliff/xliff12ToJs');
  let js;
  try {
    js = await xliff12ToJs(content);
  } catch (cause) {
    throw new WorkbenchError(422, 'xliff-invalid', `${ctx.file}: not an XLIFF 1.2 file of interface strings (${(cause as Error).message}).`, { cause });
  }
  const units = js.resources?.[UI_NAMESPACE];
  if (!units) throw new WorkbenchError(422, 'xliff-invalid', `${ctx.file}: no <file original="${UI_NAMESPACE}">: this is not a file of the interface strings.`);
  const source = flattenCatalog(ctx.source);
  const result: CatalogImport = { targetLanguage: js.targetLanguage, translations: new Map(), unknown: [], placeholderMismatches: [], untranslated: [] };
  for (const key of Object.keys(units)) if (!source.has(key)) result.unknown.push(key);
  for (const [key, english] of source) {
    const target = units[key]?.target;
    if (typeof target !== 'string' || target.trim() === '') {
      result.untranslated.push(key);
      continue;
    }
    if (placeholders(target) !== placeholders(english)) {
      result.placeholderMismatches.push(key);
      continue;
    }
    result.translations.set(key, target);
  }
  return result;
}
