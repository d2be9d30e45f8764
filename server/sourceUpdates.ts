import { decodeSourceUpload, formatOfName } from './domain/decodeSourceUpload';
import { checkDocumentId } from './domain/documentId';
import type { SourceVersion } from './domain/sourceVersion';
import type { SourceDocument } from './domain/types';
import { workflowState } from './domain/workflowState';
import { isWorkbenchError, WorkbenchError } from './errors';
import { syncLocale, type WorkbenchStores } from './syncLocale';

/** What an update did: the version recorded (its counts and changes) and each locale afterwards. */
export interface UpdateReport {
  changed: boolean;
  version: SourceVersion;
  locales: { code: string; drifted: number; error?: string }[];
}

/** Per locale: what stands between it and a current edition. */
export interface DriftReport {
  document: string;
  version: number;
  locales: {
    code: string;
    drifted: { id: string; source: string }[];
    untranslated: number;
    removed: number;
    error?: string;
  }[];
}

/**
 * Updates a document's source from an uploaded file: the text is checked, aligned with the current
 * version, and refused (409, with the numbers) when it would remove more than half of the translated
 * paragraphs of a locale, unless `force`. Then every locale is brought up to the new version.
 */
export async function updateSource(
  stores: WorkbenchStores,
  documentId: string,
  bytes: Uint8Array,
  options: { name: string; who: string; force?: boolean },
): Promise<UpdateReport> {
  const current = await stores.sources.load(checkDocumentId(documentId));
  const text = decodeSourceUpload(bytes, options.name);
  const codes = await stores.locales.listLocales(current.id);
  // Every locale speaks the current version's ids before the next version is aligned with them.
  for (const code of codes) await syncQuietly(stores, current, code);

  const plan = await stores.sources.update(current.id, text, options.who, async ({ version }) => {
    if (options.force) return;
    const deleted = new Set(version.deleted.map((s) => s.id));
    for (const code of codes) {
      let file;
      try {
        file = await stores.locales.read(current.id, code);
      } catch (err) {
        if (isWorkbenchError(err)) continue;
        throw err;
      }
      const translated = (file?.units ?? []).filter((u) => u.target !== undefined && u.target !== '');
      const lost = translated.filter((u) => deleted.has(u.id)).length;
      if (lost > 0 && lost * 2 > translated.length) {
        throw new WorkbenchError(
          409,
          'update-removes-translations',
          `This update would remove ${lost} of the ${translated.length} translated paragraphs of ${code} (${version.counts.deleted} paragraphs deleted from the source). If that is intended, update again with force; the translations will be kept in the archive.`,
          { details: { locale: code, removed: lost, translated: translated.length, deleted: version.counts.deleted } },
        );
      }
    }
  });

  const locales: UpdateReport['locales'] = [];
  for (const code of codes) {
    const error = await syncQuietly(stores, plan.document, code);
    const file = error ? undefined : await stores.locales.read(plan.document.id, code);
    const units = new Map((file?.units ?? []).map((u) => [u.id, u]));
    const drifted = plan.document.segments.filter((s) => s.translatable && workflowState(s, units.get(s.id)) === 'drifted').length;
    locales.push(error ? { code, drifted, error } : { code, drifted });
  }
  return { changed: plan.changed, version: plan.version, locales };
}

/** Adds a document from a file, as version 1; its id is given or taken from the file name. */
export async function importDocument(stores: WorkbenchStores, bytes: Uint8Array, options: { name: string; id?: string; who: string }): Promise<SourceDocument> {
  const fallback = options.name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const id = checkDocumentId(options.id ?? fallback);
  const text = decodeSourceUpload(bytes, options.name);
  return stores.sources.create(id, text, formatOfName(options.name), options.who);
}

/** The drifted, untranslated and removed paragraphs of each locale (optionally of one document or locale). */
export async function driftReport(stores: WorkbenchStores, documentId: string, only?: string): Promise<DriftReport> {
  const document = await stores.sources.load(checkDocumentId(documentId));
  const report: DriftReport = { document: document.id, version: document.version, locales: [] };
  for (const code of await stores.locales.listLocales(document.id)) {
    if (only !== undefined && code !== only) continue;
    const error = await syncQuietly(stores, document, code);
    if (error) {
      report.locales.push({ code, drifted: [], untranslated: 0, removed: 0, error });
      continue;
    }
    const file = await stores.locales.read(document.id, code);
    const units = new Map((file?.units ?? []).map((u) => [u.id, u]));
    const states = document.segments.filter((s) => s.translatable).map((s) => ({ s, state: workflowState(s, units.get(s.id)) }));
    report.locales.push({
      code,
      drifted: states.filter((x) => x.state === 'drifted').map((x) => ({ id: x.s.id, source: x.s.text })),
      untranslated: states.filter((x) => x.state === 'untranslated').length,
      removed: (await stores.locales.readArchive(document.id, code)).length,
    });
  }
  return report;
}

/** Syncs a locale, turning a broken file into a message instead of a failure of the whole update. */
async function syncQuietly(stores: WorkbenchStores, document: SourceDocument, code: string): Promise<string | undefined> {
  try {
    await syncLocale(stores, document, code);
    return undefined;
  } catch (err) {
    if (isWorkbenchError(err) && err.status < 500) return err.message;
    throw err;
  }
}
