import type { CheckResult } from '../domain/checkTranslation';
import { createHash, randomUUID } from 'node:crypto';
import type { i18n } from 'i18next';
import { approvedPairs } from '../domain/approvedPairs';
import { buildEdition } from '../domain/buildEdition';
import { completenessOf, type MissingParagraph } from '../domain/completenessOf';
import { EXPORT_FORMATS, type Completeness, type EditionFormat, type ExportFormat, type InterchangeFormat } from '../domain/edition';
import { editionCredits } from '../domain/editionCredits';
import { excerpt } from '../domain/excerpt';
import { editionLabels } from './editionLabels';
import { WorkbenchError } from '../errors';
import { EDITION_WRITERS, formatInfo, INTERCHANGE_WRITERS } from '../formats/formatRegistry';
import { editionTemplatesStamp } from '../formats/editionTemplatesStamp';
import type { EditionRecord, EditionRepository, ExportRecord } from '../storage/editionRepository';
import type { HistoryEntry, HistoryRepository } from '../storage/historyRepository';
import type { LocaleStore } from '../storage/localeStore';
import type { StampedSnapshots } from '../storage/stampedSnapshots';
import type { DocumentVersion, LocaleFile } from '../domain/types';
import { canonicalLocale, describeLocale } from '../domain/localeTag';
import type { LocaleContext, Workbench } from './workbench';

/** How many made editions are kept (see Editions.cachedEdition). */
const CACHED_EDITIONS = 24;

/** The longest edition title accepted. */
export const MAX_TITLE_LENGTH = 300;

/** A file made by an export. */
export interface ExportedFile {
  fileName: string;
  contentType: string;
  body: Uint8Array;
  record: ExportRecord;
}

/** What the Edition page shows: how complete the locale is, what is missing, the title and the last exports. */
export interface EditionChecklist {
  context: LocaleContext;
  completeness: Completeness;
  missing: MissingParagraph[];
  /** Translated paragraphs with a check error open (not fixed, not dismissed by a reviewer). */
  openErrors: { id: string; source: string; checks: CheckResult[] }[];
  requireApproval: boolean;
  record: EditionRecord;
}

/** The file an edition made under `key` is kept in: the key's hash (the key itself is its stamp). */
function editionName(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Publishing a locale: editions (EPUB, HTML, Markdown, text) and interchange files (XLIFF 1.2/2.0, TMX). */
export class Editions {
  constructor(
    private readonly options: {
      workbench: Workbench;
      locales: LocaleStore;
      history: HistoryRepository;
      editions: EditionRepository;
      i18n: i18n;
      appRoot: string;
      /** Whether a paragraph must be approved to count as done (review is on by default). */
      requireApproval: boolean;
      /** Editions kept between processes (`.cache/editions/`), under the state they were made of (see editionKey). */
      kept?: StampedSnapshots;
    },
  ) {}

  /** The completeness checklist of a locale, with its title and last exports. */
  async checklist(documentId: string, lang: string, readerLanguage = 'en'): Promise<EditionChecklist> {
    const context = await this.options.workbench.locale(documentId, lang, readerLanguage);
    const { completeness, missing } = completenessOf(context.document.segments, context.units, { requireApproval: this.options.requireApproval });
    const record = await this.options.editions.read(context.document.id, context.locale.code);
    const errors = await this.options.workbench.translations.openChecks(context, undefined, { errorsOnly: true });
    const openErrors = context.document.segments.filter((s) => errors.has(s.id)).map((s) => ({ id: s.id, source: s.text, checks: errors.get(s.id) as CheckResult[] }));
    return { context, completeness, missing, openErrors, requireApproval: this.options.requireApproval, record };
  }

  /** Sets the title of the locale's edition (an empty title goes back to the source's). */
  async setTitle(documentId: string, lang: string, title: unknown): Promise<EditionRecord> {
    if (typeof title !== 'string') throw new WorkbenchError(400, 'invalid-title', 'Give the title as text.');
    const trimmed = title.trim();
    // One line of text: no control characters (a line break included).
    if (trimmed.length > MAX_TITLE_LENGTH || [...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
      throw new WorkbenchError(400, 'invalid-title', `A title is one line of at most ${MAX_TITLE_LENGTH} characters.`, { params: { max: MAX_TITLE_LENGTH } });
    }
    const context = await this.options.workbench.locale(documentId, lang);
    return this.options.editions.setTitle(context.document.id, context.locale.code, trimmed === '' ? undefined : trimmed);
  }

  /**
   * Exports a locale in a format. An edition format of an incomplete locale is refused (409
   * 'edition-incomplete', with the missing paragraphs in details) unless it is a draft. Every
   * export by someone signed in (`who`) is recorded (format, source version, draft, who, when);
   * anonymous readers' exports are not, so they cannot push real entries out of the list.
   */
  async export(documentId: string, lang: string, format: unknown, options: { draft?: boolean; force?: boolean; who?: string }): Promise<ExportedFile> {
    if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new WorkbenchError(400, 'invalid-format', `format must be one of: ${EXPORT_FORMATS.join(', ')}.`);
    }
    const chosen = format as ExportFormat;
    if (chosen !== 'xliff' && chosen !== 'xliff2' && chosen !== 'tmx' && chosen !== 'original') {
      // An edition of a state already exported (here or by another process) is the same file: the locale is not even loaded.
      const known = await this.knownEdition(documentId, lang, chosen, options.draft === true);
      if (known) return this.exported(known.document, known.code, chosen, options.draft === true, known.made, options.who);
    }
    const context = await this.options.workbench.locale(documentId, lang);
    const { document } = context;
    const code = context.locale.code;
    let body: Uint8Array;
    let percent: number;
    let draft = false;
    if (chosen === 'xliff' || chosen === 'xliff2' || chosen === 'tmx' || chosen === 'original') {
      percent = completenessOf(document.segments, context.units, { requireApproval: this.options.requireApproval }).completeness.percent;
      body = await this.interchange(chosen, context, chosen === 'tmx' ? await this.options.history.list(document.id, code) : [], options.force === true);
    } else {
      draft = options.draft === true;
      // An edition reads of the history only its credits and its tally, not a book's every entry.
      const result = await this.cachedEdition(chosen, context, draft);
      body = result.body;
      percent = result.percent;
    }
    return this.exported(document, code, chosen, draft, { body, percent }, options.who);
  }

  /** The exported file, its export recorded when someone signed in made it. */
  private async exported(document: DocumentVersion, code: string, format: ExportFormat, draft: boolean, made: { body: Uint8Array; percent: number }, who: string | undefined): Promise<ExportedFile> {
    const record: ExportRecord = { at: new Date().toISOString(), who: who ?? 'anonymous', format, sourceVersion: document.version, draft, percent: made.percent };
    if (who !== undefined) await this.options.editions.addExport(document.id, code, record);
    const { contentType, extension } = formatInfo(format);
    return { fileName: `${document.id}.${code}${draft ? '.draft' : ''}.${extension}`, contentType, body: made.body, record };
  }

  /**
   * What the edition of a locale is made of, as a key (see `made`): the document's version, the
   * locale file's bytes, the history's length and last entry (it only grows), the edition's title,
   * the format, whether a draft and whether approval is required, and what it is made with (see
   * makingsOf). Undefined without a locale file.
   */
  private async editionKey(document: DocumentVersion, code: string, format: EditionFormat, draft: boolean): Promise<string | undefined> {
    const hash = await this.localeHash(document.id, code);
    if (hash === undefined) return undefined;
    const tally = await this.options.history.tally(document.id, code);
    const record = await this.options.editions.read(document.id, code);
    return JSON.stringify([
      document.id,
      code,
      format,
      draft,
      document.version,
      hash,
      tally.count,
      tally.lastAt ?? '',
      record.title ?? '',
      this.options.requireApproval,
      await this.makingsOf(code),
    ]);
  }

  /**
   * What an edition in `code` is made with besides the project's files: the words it prints (the
   * interface catalog's `editionText`, in the language and those it falls back on: a catalog taken
   * in with `workbench ui-xliff import` changes them) and the templates (see editionTemplatesStamp).
   * (The ICU data that names the languages and writes the dates stamps every kept value: see
   * StampedSnapshots.)
   */
  private async makingsOf(code: string): Promise<string> {
    const { i18n } = this.options;
    const languages = (i18n.services.languageUtils as { toResolveHierarchy(code: string): string[] }).toResolveHierarchy(code);
    const words = JSON.stringify(languages.map((language) => [language, i18n.getResource(language, 'ui', 'editionText') ?? null]));
    return `${createHash('sha256').update(words).digest('hex').slice(0, 32)} ${await editionTemplatesStamp(this.options.appRoot)}`;
  }

  /**
   * The SHA-256 of the locale file's bytes (undefined without a file), worked out once per version
   * of the file: kept, in this process and for the next ones, under the file's stamp (see
   * StampedSnapshots; any write of the file changes it). A book's file is 17 MB to read and hash
   * (a megabyte at a time, see LocaleStore.digest), and an export asks twice. A file this process
   * holds saves ahead of is written first, then hashed.
   */
  private async localeHash(documentId: string, code: string): Promise<string | undefined> {
    const stamp = await this.options.locales.stamp(documentId, code);
    if (stamp === undefined) return undefined;
    const name = `hashes/${documentId}.${code}`;
    const ahead = stamp.includes('+'); // saves not yet in the file (see LocaleStore.stamp): no stamp names the bytes yet
    const known = ahead ? undefined : (this.hashes.get(stamp) ?? (await this.options.kept?.read(name, stamp)));
    if (typeof known === 'string') {
      this.hashes.set(stamp, known);
      return known;
    }
    const hash = await this.options.locales.digest(documentId, code);
    if (hash === undefined) return undefined;
    // Kept only when the file is the one stamped before the read (nothing wrote it meanwhile).
    if (!ahead && (await this.options.locales.stamp(documentId, code)) === stamp) {
      if (this.hashes.size >= CACHED_EDITIONS) this.hashes.delete(this.hashes.keys().next().value as string);
      this.hashes.set(stamp, hash);
      this.options.kept?.write(name, stamp, hash);
    }
    return hash;
  }

  /** Hashes of locale files by stamp (see localeHash), the newest few. */
  private readonly hashes = new Map<string, string>();

  /**
   * An edition already made of the locale as it is now, in this process or kept by another one,
   * without loading the locale. Only for a locale file at the document's current version: one
   * behind it is brought up to it by a load first, and its edition is made then.
   */
  private async knownEdition(documentId: string, lang: string, format: EditionFormat, draft: boolean) {
    // The document's id and version are all the key needs: told by what is kept beside the
    // document when it can be (a book's document is megabytes to read, the edition is kept).
    const version = await this.options.workbench.keptVersion(documentId);
    const document: DocumentVersion = version === undefined ? await this.options.workbench.document(documentId) : { id: documentId, version };
    const code = canonicalLocale(lang);
    const key = await this.editionKey(document, code, format, draft);
    const made = key === undefined ? undefined : await this.editionUnder(key);
    return made && { document, code, made };
  }

  /** The edition made under `key`, by this process or kept by another one (see StampedSnapshots), now the most recently used; undefined if none. */
  private async editionUnder(key: string): Promise<{ body: Uint8Array; percent: number } | undefined> {
    let made = this.made.get(key);
    if (!made) {
      const kept = await this.options.kept?.readBytes(editionName(key), key);
      const percent = (kept?.meta as { percent?: unknown } | undefined)?.percent;
      made = kept && typeof percent === 'number' ? { body: kept.bytes, percent } : undefined;
    }
    if (made) this.remember(key, made);
    return made;
  }

  /** Keeps an edition made under `key` as the most recently used, dropping the oldest beyond CACHED_EDITIONS. */
  private remember(key: string, made: { body: Uint8Array; percent: number }): void {
    this.made.delete(key);
    this.made.set(key, made);
    while (this.made.size > CACHED_EDITIONS) this.made.delete(this.made.keys().next().value as string);
  }

  /**
   * Editions made, by what they are made of: the document's version, the locale file's bytes, the
   * history's length (it only grows), the edition's title, the format and whether a draft. A reader
   * exporting the same state again gets the same file (and the same identifier) without the
   * seconds of CPU a book costs; any save, title or source change makes a new one. Kept for the
   * last CACHED_EDITIONS states.
   */
  private readonly made = new Map<string, { body: Uint8Array; percent: number }>();

  private async cachedEdition(format: EditionFormat, context: LocaleContext, draft: boolean): Promise<{ body: Uint8Array; percent: number }> {
    const key = await this.editionKey(context.document, context.locale.code, format, draft);
    const known = key === undefined ? undefined : await this.editionUnder(key);
    if (known) return known;
    const made = await this.edition(format, context, draft);
    if (key !== undefined) {
      this.remember(key, made);
      this.options.kept?.writeBytes(editionName(key), key, { percent: made.percent }, made.body, { keepNewest: CACHED_EDITIONS });
    }
    return made;
  }

  private async edition(format: EditionFormat, context: LocaleContext, draft: boolean): Promise<{ body: Uint8Array; percent: number }> {
    const { document } = context;
    const code = context.locale.code;
    const versions = await this.options.workbench.versions(document.id);
    const versionDate = versions.find((v) => v.number === document.version)?.date ?? new Date().toISOString();
    const record = await this.options.editions.read(document.id, code);
    const report = completenessOf(document.segments, context.units, { requireApproval: this.options.requireApproval });
    const { completeness, missing } = report;
    if (!draft && missing.length > 0) throw incomplete(context, completeness, missing);
    const language = describeLocale(code, code);
    const edition = buildEdition({
      document,
      units: context.units,
      language: { code, nativeName: language.nativeName, dir: language.dir },
      sourceDir: describeLocale(document.meta.language, code).dir,
      sourceLanguageName: describeLocale(document.meta.language, code).name,
      versionDate,
      title: record.title,
      credits: editionCredits(await this.options.history.creditEntries(document.id, code)),
      labels: editionLabels(this.options.i18n, code, { percent: completeness.percent, version: document.version, versionDate }),
      draft,
      completeness: report,
      exportedAt: new Date(),
      identifier: `urn:uuid:${randomUUID()}`,
    });
    return { body: await EDITION_WRITERS[format].write(edition, { appRoot: this.options.appRoot }), percent: completeness.percent };
  }

  private interchange(format: InterchangeFormat, context: LocaleContext, history: HistoryEntry[], force: boolean): Promise<Uint8Array> {
    const { document, file } = context;
    return INTERCHANGE_WRITERS[format].write({
      document,
      // The writers read the file and change nothing of it.
      file: file as LocaleFile,
      storedBytes: async () => {
        const bytes = await this.options.locales.readBytes(document.id, context.locale.code);
        if (!bytes) throw new WorkbenchError(404, 'locale-not-found', `"${document.meta.title}" has no ${context.locale.code} translation yet.`);
        return bytes;
      },
      pairs: format === 'tmx' ? approvedPairs(document, context.units, history) : [],
      tool: { name: 'translation-workbench', version: '0.1.0' },
      sourceText: () => this.options.workbench.sourceText(document.id),
      force,
    });
  }
}

/** Where a paragraph of a locale opens in the editor (see the paragraph route of editionPages). */
export function paragraphLink(context: LocaleContext, segmentId: string): string {
  return `/documents/${context.document.id}/locales/${context.locale.code}/paragraph/${segmentId}`;
}

/** The refusal of an incomplete edition: counts in the message, every missing paragraph (with a link) in details. */
function incomplete(context: LocaleContext, completeness: Completeness, missing: MissingParagraph[]): WorkbenchError {
  const parts = [
    completeness.untranslated > 0 ? `${completeness.untranslated} untranslated` : '',
    completeness.drifted > 0 ? `${completeness.drifted} drifted` : '',
    completeness.unapproved > 0 ? `${completeness.unapproved} not approved` : '',
  ].filter((p) => p !== '');
  return new WorkbenchError(
    409,
    'edition-incomplete',
    `The ${context.locale.code} edition of "${context.document.meta.title}" is not complete (${completeness.done} of ${completeness.total} paragraphs done; ${parts.join(', ')}). Finish it, or export a draft.`,
    {
      params: { locale: context.locale.code, title: context.document.meta.title, done: completeness.done, total: completeness.total, missing: missing.length },
      details: {
        completeness,
        missing: missing.map((m) => ({ id: m.id, reason: m.reason, source: excerpt(m.source), link: paragraphLink(context, m.id) })),
      },
    },
  );
}
