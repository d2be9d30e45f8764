import { WorkbenchError } from '../errors';

// Document ids become file names (source/<id>.md, locales/<lang>/<id>.xlf): only lower-case
// letters, digits and inner hyphens, so no id can name a path outside its folder.
const DOCUMENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** True when `id` can be a document id (and so a file name). */
export function isDocumentId(id: unknown): id is string {
  return typeof id === 'string' && DOCUMENT_ID.test(id);
}

/** Returns `id` when it is a valid document id, else throws 400. */
export function checkDocumentId(id: unknown): string {
  if (!isDocumentId(id)) {
    throw new WorkbenchError(400, 'invalid-document', 'A document id is 1 to 64 lower-case letters, digits and hyphens (not at either end).');
  }
  return id;
}
