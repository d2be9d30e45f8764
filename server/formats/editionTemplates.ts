import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { xmlSafeText } from './xmlSafeText';

/** The templates an edition is written with (views/edition/<name>.ejs). */
export type EditionTemplate = 'html' | 'html-chapter' | 'epub-container' | 'epub-package' | 'epub-nav' | 'epub-title' | 'epub-chapter' | 'epub-provenance' | 'epub-style';

// Compiled once per file: compiling is what costs, and an export renders the same templates again
// and again (an EPUB's chapter template once per chapter).
const compiled = new Map<string, ejs.TemplateFunction>();

/** Renders an edition template with `data` (read in the template as `locals`). */
export function renderEditionTemplate(appRoot: string, name: EditionTemplate, data: Record<string, unknown>): string {
  const file = path.join(appRoot, 'views', 'edition', `${name}.ejs`);
  let template = compiled.get(file);
  if (!template) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new Error(`Cannot read the edition template ${file}`, { cause });
    }
    // strict: no `with` (slow lookups in loops over thousands of blocks); cache: partials are
    // compiled once too (ejs keeps them by file name).
    template = ejs.compile(source, { filename: file, strict: true, localsName: 'locals', cache: true, async: false, escape: escapeXmlText });
    compiled.set(file, template);
  }
  return template(data);
}

/** EJS's escaping, after dropping what no XML document may contain (the EPUB's documents are XML). */
function escapeXmlText(value: unknown): string {
  return ejs.escapeXML(xmlSafeText(value === undefined || value === null ? '' : String(value)));
}
