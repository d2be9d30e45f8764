import { dirname, join, relative } from 'node:path';
import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import { WorkbenchError } from '../errors';

/** The archive of a locale: `<document>.removed.xlf` next to `<document>.xlf` (never a document id: those have no dot). */
export const ARCHIVE_SUFFIX = '.removed.xlf';

/** Where the files of a project's `locales/` folder are, and which locale a path is. */
export interface LocalePaths {
  /** `<document>.xlf`, the name of the document's file in each locale's folder (the document checked first). */
  fileNameOf(document: string): string;
  /** `<dir>/<lang>/<document>.xlf`, the locale and the document checked first (a 400 when either is not one). */
  pathOf(document: string, lang: string): string;
  /** `<dir>/<lang>/<document>.removed.xlf`, checked as pathOf checks. */
  archivePathOf(document: string, lang: string): string;
  /** The document and locale of a locale file's path; undefined for any other file (an archive). */
  localeOf(path: string): { document: string; lang: string } | undefined;
  /** A file as messages name it: relative to the project (`locales/es/x.xlf`), not the server's full path. */
  shown(file: string): string;
}

/*
 * Locale codes and document ids become path segments (`<dir>/<lang>/<document>.xlf`), so they are
 * checked with the domain's own rules (a canonical BCP 47 tag, a document id) before any path is built, whatever the routes above already
 * checked: no `..`, no separators, no NUL, no encoded tricks (`%2e%2e`), no dot files.
 */
function checkLang(lang: unknown): string {
  if (typeof lang !== 'string' || !isLocaleTag(lang)) {
    throw new WorkbenchError(400, 'invalid-locale', `Invalid locale code ${JSON.stringify(String(lang))}`);
  }
  return lang;
}

function checkDocument(document: unknown): string {
  if (!isDocumentId(document)) {
    throw new WorkbenchError(400, 'invalid-document', `Invalid document id ${JSON.stringify(String(document))}`);
  }
  return document;
}

/** The paths of the locale files under `dir` (a project's `locales/`). */
export function localePaths(dir: string): LocalePaths {
  const fileNameOf = (document: string): string => `${checkDocument(document)}.xlf`;
  return {
    fileNameOf,
    pathOf: (document, lang) => join(dir, checkLang(lang), fileNameOf(document)),
    archivePathOf: (document, lang) => join(dir, checkLang(lang), `${checkDocument(document)}${ARCHIVE_SUFFIX}`),
    localeOf(path) {
      const [lang, name, ...rest] = relative(dir, path).split(/[\\/]/);
      if (rest.length > 0 || name === undefined || !name.endsWith('.xlf') || name.endsWith(ARCHIVE_SUFFIX)) return undefined;
      const document = name.slice(0, -'.xlf'.length);
      return isLocaleTag(lang) && isDocumentId(document) ? { document, lang } : undefined;
    },
    shown: (file) => relative(dirname(dir), file),
  };
}
