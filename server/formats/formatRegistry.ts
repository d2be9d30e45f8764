import type { ApprovedPair } from '../domain/approvedPairs';
import type { Edition, EditionFormat, ExportFormat, InterchangeFormat } from '../domain/edition';
import type { InterchangeFile } from '../domain/interchange';
import type { LocaleFile, SourceDocument } from '../domain/types';
import type { GlossaryFile, GlossaryWriteInput } from './glossaryFile';
import type { MachineProviderConfig, MachineTranslate } from './machine/machineProvider';
import { WorkbenchError } from '../errors';
import { once } from '../once';
import type { TmxFile } from './tmx';

/* eslint-disable @typescript-eslint/no-require-imports -- the readers are synchronous: loaded at their first use, as the writers are */
/** The XLIFF reader (1.0 to 2.0), loaded at its first use: most commands read no other tool's file. */
const xliffReader = once(() => require('./readXliff') as typeof import('./readXliff'));
/** TMX, read and written, loaded at its first use. */
const tmxFormat = once(() => require('./tmx') as typeof import('./tmx'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** What every export has: the media type it is served as and the extension of its file name. */
export interface FormatInfo {
  contentType: string;
  extension: string;
}

/** A writer of a finished edition, from the internal model of one. */
export interface EditionWriter extends FormatInfo {
  write(edition: Edition, ctx: { appRoot: string }): Promise<Uint8Array>;
}

/** What an interchange writer is handed: the locale as stored, and its approved pairs. */
export interface InterchangeInput {
  document: SourceDocument;
  file: LocaleFile;
  /** The locale's XLIFF 1.2 file as stored (our files are the interchange file itself). */
  storedBytes: () => Promise<Uint8Array>;
  pairs: ApprovedPair[];
  tool: { name: string; version: string };
  /** The document's source file as it is now (another tool's XLIFF file, for `original`). */
  sourceText: () => Promise<string>;
  /** Write what can be written, leaving out translations that would break the file (`original`). */
  force?: boolean;
}

/** A writer of a file for other CAT tools. */
export interface InterchangeWriter extends FormatInfo {
  write(input: InterchangeInput): Promise<Uint8Array>;
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** Every edition format, by name. */
// The writers' modules are loaded on first use: every CLI command and every server start loaded
// them all (a tenth of a second), and most never export anything.
export const EDITION_WRITERS: Readonly<Record<EditionFormat, EditionWriter>> = {
  epub: { contentType: 'application/epub+zip', extension: 'epub', write: async (edition, ctx) => (await import('./editionEpub')).renderEditionEpub(edition, ctx) },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html', write: async (edition, ctx) => (await import('./editionHtml')).writeEditionHtml(edition, ctx) },
  md: { contentType: 'text/markdown; charset=utf-8', extension: 'md', write: async (edition) => utf8((await import('./editionMarkdown')).renderEditionMarkdown(edition)) },
  txt: { contentType: 'text/plain; charset=utf-8', extension: 'txt', write: async (edition) => utf8((await import('./editionText')).renderEditionText(edition)) },
  'epub-bilingual': { contentType: 'application/epub+zip', extension: 'bilingual.epub', write: async (edition, ctx) => (await import('./editionEpub')).renderEditionEpub(edition, ctx, { bilingual: true }) },
  'html-bilingual': { contentType: 'text/html; charset=utf-8', extension: 'bilingual.html', write: async (edition, ctx) => (await import('./editionHtml')).writeEditionHtml(edition, ctx, { bilingual: true }) },
};

/** Every interchange format, by name. */
export const INTERCHANGE_WRITERS: Readonly<Record<InterchangeFormat, InterchangeWriter>> = {
  xliff: { contentType: 'application/xliff+xml; charset=utf-8', extension: 'xlf', write: (input) => input.storedBytes() },
  xliff2: { contentType: 'application/xliff+xml; charset=utf-8', extension: 'xliff2.xlf', write: async (input) => utf8((await import('./xliff20')).buildXliff20({ document: input.document, file: input.file })) },
  original: {
    contentType: 'application/xliff+xml; charset=utf-8',
    extension: 'xlf',
    write: async (input) => {
      if (!input.document.meta.bilingual) {
        throw new WorkbenchError(400, 'not-bilingual', `"${input.document.meta.title}" is not another tool's XLIFF file: export it as xliff, xliff2 or tmx instead`, { params: { title: input.document.meta.title } });
      }
      const { writeXliffDocument } = await import('./xliffDocument');
      const units = new Map(input.file.units.map((unit) => [unit.id, unit]));
      return utf8(writeXliffDocument(await input.sourceText(), input.document.segments, units, { file: `${input.document.id}.xlf`, targetLanguage: input.file.targetLanguage, force: input.force }));
    },
  },
  tmx: {
    contentType: 'application/x-tmx+xml; charset=utf-8',
    extension: 'tmx',
    write: async (input) =>
      utf8(
        tmxFormat().buildTmx({
          sourceLanguage: input.document.meta.language,
          targetLanguage: input.file.targetLanguage,
          pairs: input.pairs,
          creationTool: input.tool.name,
          creationToolVersion: input.tool.version,
        }),
      ),
  },
};

/** The formats a glossary is exchanged in. */
export const GLOSSARY_FORMATS = ['tbx', 'csv'] as const;
export type GlossaryFormat = (typeof GLOSSARY_FORMATS)[number];

/** A reader and a writer of glossary files, by format (loaded on first use, like the edition writers). */
export const GLOSSARY_FORMAT: Readonly<
  Record<GlossaryFormat, FormatInfo & { read(content: string, ctx: { file: string; sourceLanguage: string; targetLanguage: string }): Promise<GlossaryFile>; write(input: GlossaryWriteInput): Promise<Uint8Array> }>
> = {
  tbx: {
    contentType: 'application/x-tbx+xml; charset=utf-8',
    extension: 'tbx',
    read: async (content, ctx) => (await import('./tbx')).readTbx(content, ctx),
    write: async (input) => utf8((await import('./tbx')).buildTbx(input)),
  },
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    read: async (content, ctx) => (await import('./glossaryCsv')).readGlossaryCsv(content, ctx),
    write: async (input) => utf8((await import('./glossaryCsv')).buildGlossaryCsv(input)),
  },
};

/** The machine translation providers a project may configure, by type (each adapter loaded on first use). */
export const MACHINE_TRANSLATORS: Readonly<Record<MachineProviderConfig['type'], { name: string; translate: MachineTranslate }>> = {
  libretranslate: { name: 'LibreTranslate', translate: async (...args) => (await import('./machine/libreTranslate')).libreTranslate(...args) },
  deepl: { name: 'DeepL', translate: async (...args) => (await import('./machine/deepl')).deepl(...args) },
  openai: { name: 'OpenAI-compatible', translate: async (...args) => (await import('./machine/openAiChat')).openAiChat(...args) },
};

/** The media type and file extension of any export format. */
export function formatInfo(format: ExportFormat): FormatInfo {
  const writer = format in EDITION_WRITERS ? EDITION_WRITERS[format as EditionFormat] : INTERCHANGE_WRITERS[format as InterchangeFormat];
  return { contentType: writer.contentType, extension: writer.extension };
}

/** The readers of files from other tools (content already decoded and checked for safety), by name. */
export const READERS = {
  /** XLIFF 1.0, 1.1, 1.2 and 2.0, into the interchange model. */
  xliff: (content: string, ctx: { file: string }): InterchangeFile => xliffReader().readXliff(content, ctx),
  /** TMX 1.4 memories. */
  tmx: (content: string, ctx: { file: string }): TmxFile => tmxFormat().readTmx(content, ctx),
} as const;
