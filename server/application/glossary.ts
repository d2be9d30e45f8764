import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { GlossaryMatcher, type TermFound } from '../domain/glossaryMatcher';
import { normaliseTermInput, termKey, type GlossaryTerm, type TermInput } from '../domain/glossaryTerm';
import { canonicalLocale } from '../domain/localeTag';
import { readUpload, WorkbenchError } from '../errors';
import { GLOSSARY_FORMAT, GLOSSARY_FORMATS, type GlossaryFormat } from '../formats/formatRegistry';
import { decodeXmlBytes } from '../formats/xmlSafety';
import type { GlossaryRepository } from '../storage/glossaryRepository';

export type { GlossaryTerm, TermInput };

/** The largest glossary file the workbench reads. */
export const MAX_GLOSSARY_BYTES = 10 * 1024 * 1024;
/** The most terms one file may bring. */
export const MAX_GLOSSARY_TERMS = 50_000;

/**
 * The glossaries' matchers, one per target and source language, built again only when the
 * glossary's revision changed (by this process or another): every check of a page asks for one.
 */
export class GlossaryMatchers {
  private readonly built = new Map<string, { revision: number; matcher: GlossaryMatcher }>();

  constructor(private readonly repository: GlossaryRepository) {}

  async matcher(lang: string, sourceLanguage: string): Promise<GlossaryMatcher> {
    const revision = await this.repository.revision(lang);
    const key = `${lang} ${sourceLanguage}`;
    const kept = this.built.get(key);
    if (kept && kept.revision === revision) return kept.matcher;
    const terms = revision === 0 ? [] : (await this.repository.list(lang)).filter((t) => t.sourceLanguage === sourceLanguage);
    const matcher = new GlossaryMatcher(terms, sourceLanguage, lang);
    this.built.set(key, { revision, matcher });
    return matcher;
  }
}

/** A term of an import's plan: as it would be, and as it was (for a changed one). */
export interface PlannedTerm {
  source: string;
  translations: string[];
  forbidden: string[];
  before?: { translations: string[]; forbidden: string[]; note: string; partOfSpeech: string; caseSensitive: boolean };
}

/** What an import of a glossary file does (or, for a dry run, would do). */
export interface GlossaryImportReport {
  dryRun: boolean;
  file: string;
  format: GlossaryFormat;
  sourceLanguage: string;
  added: PlannedTerm[];
  updated: PlannedTerm[];
  unchanged: number;
  /** Entries of the file without a term in one of the two languages. */
  skipped: number;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const folded = (list: readonly string[]) => new Set(list.map((v) => v.toLocaleLowerCase()));

/**
 * The project's glossaries, one per target language: terms added, changed and removed by people
 * (a stale change is 409), imported from TBX and CSV files (merged into the terms there are,
 * previewed first) and exported; and the terms of a paragraph for the editor.
 */
export class Glossary {
  constructor(
    private readonly deps: {
      repository: GlossaryRepository;
      matchers: GlossaryMatchers;
      /** The source languages of the project's documents. */
      sourceLanguages: () => Promise<string[]>;
    },
  ) {}

  /** The source language terms are written in: the one asked for, or the project's documents' one. */
  async sourceLanguageOf(lang: string, asked?: unknown): Promise<string> {
    if (asked !== undefined && asked !== '') {
      const code = canonicalLocale(asked);
      if (code === lang) throw new WorkbenchError(400, 'glossary-same-language', `The terms of a glossary into ${lang} cannot be in ${lang} as well.`, { params: { locale: lang } });
      return code;
    }
    const languages = [...new Set(await this.deps.sourceLanguages())].filter((l) => l !== lang);
    if (languages.length === 1) return languages[0];
    if (languages.length === 0) throw new WorkbenchError(400, 'source-language-required', 'The project has no document in another language yet: say which language the terms are in (sourceLanguage).');
    throw new WorkbenchError(400, 'source-language-required', `The project's documents are in ${languages.join(', ')}: say which language the terms are in (sourceLanguage).`);
  }

  /** A glossary's terms, by term; `query` keeps those whose term or translations contain it (case folded). */
  async list(lang: unknown, query = ''): Promise<GlossaryTerm[]> {
    const terms = await this.deps.repository.list(canonicalLocale(lang));
    const q = query.trim().toLocaleLowerCase();
    if (q === '') return terms;
    return terms.filter((t) => [t.source, ...t.translations, ...t.forbidden].some((v) => v.toLocaleLowerCase().includes(q)));
  }

  async get(lang: unknown, id: string): Promise<GlossaryTerm> {
    const term = await this.deps.repository.get(canonicalLocale(lang), id);
    if (!term) throw new WorkbenchError(404, 'term-not-found', `The glossary has no term "${id}".`, { params: { id: String(id).slice(0, 40) } });
    return term;
  }

  /** Adds a term (409 when the glossary has it already). */
  async add(lang: unknown, input: TermInput & { sourceLanguage?: string }, who: string): Promise<GlossaryTerm> {
    const code = canonicalLocale(lang);
    const term: GlossaryTerm = {
      ...normaliseTermInput(input),
      id: randomBytes(6).toString('hex'),
      sourceLanguage: await this.sourceLanguageOf(code, input.sourceLanguage),
      revision: 1,
      who,
      at: new Date().toISOString(),
    };
    await this.write(code, [term]);
    return term;
  }

  /** Changes a term from the revision the person saw (409 when it changed since, or when its new text is another term's). */
  async update(lang: unknown, id: string, input: TermInput & { revision: number }, who: string): Promise<GlossaryTerm> {
    const code = canonicalLocale(lang);
    const current = await this.get(code, id);
    if (current.revision !== input.revision) throw this.stale(current);
    const term: GlossaryTerm = { ...current, ...normaliseTermInput(input), revision: current.revision + 1, who, at: new Date().toISOString() };
    await this.write(code, [term]);
    return term;
  }

  /** Removes a term, from the revision the person saw. */
  async remove(lang: unknown, id: string, revision: number): Promise<void> {
    const code = canonicalLocale(lang);
    const current = await this.get(code, id);
    if (current.revision !== revision || !(await this.deps.repository.remove(code, id, revision))) throw this.stale(await this.get(code, id));
  }

  private stale(current: GlossaryTerm): WorkbenchError {
    return new WorkbenchError(409, 'term-conflict', `The term "${current.source}" was changed by ${current.who} since you opened it: look at it again, then change it.`, {
      params: { term: current.source, who: current.who },
      details: { current },
    });
  }

  private async write(lang: string, terms: GlossaryTerm[]): Promise<void> {
    const { stale, taken } = await this.deps.repository.write(lang, terms);
    if (taken.length > 0) {
      const term = terms.find((t) => t.id === taken[0]) as GlossaryTerm;
      throw new WorkbenchError(409, 'term-exists', `The glossary has the term "${term.source}" already: change that one.`, { params: { term: term.source } });
    }
    if (stale.length > 0) throw new WorkbenchError(409, 'glossary-changed', 'The glossary was changed meanwhile: look at it again, then try again.');
  }

  /**
   * Imports a TBX or CSV file into a glossary: each of its terms is added, or merged into the
   * glossary's term (its translations and forbidden translations added, a note or part of speech
   * filled in). A dry run says what would change and writes nothing. Nothing is written either
   * when any term of the file is refused (400 with its line).
   */
  async import(
    lang: unknown,
    bytes: Uint8Array,
    options: { name: string; format?: unknown; sourceLanguage?: unknown; who: string; dryRun?: boolean },
  ): Promise<GlossaryImportReport> {
    const code = canonicalLocale(lang);
    const name = path.basename(options.name).slice(0, 200) || 'glossary';
    if (bytes.byteLength > MAX_GLOSSARY_BYTES) {
      throw new WorkbenchError(413, 'glossary-too-large', `${name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB: a glossary file may be at most 10 MB.`, { params: { name, size: (bytes.byteLength / 1024 / 1024).toFixed(1), context: 'size' } });
    }
    if (bytes.byteLength === 0) throw new WorkbenchError(400, 'file-missing', `${name} is empty.`, { params: { name, context: 'empty' } });
    const sourceLanguage = await this.sourceLanguageOf(code, options.sourceLanguage);
    const format = formatOf(name, bytes, options.format);
    const content = readUpload(() => decodeXmlBytes(bytes, { file: name, malformedCode: format === 'tbx' ? 'tbx-malformed' : 'csv-malformed' }));
    // A file that does not read is the sender's mistake: 400, with its line.
    const file = await GLOSSARY_FORMAT[format].read(content, { file: name, sourceLanguage, targetLanguage: code }).catch((err: unknown) =>
      readUpload(() => {
        throw err;
      }),
    );
    if (file.terms.length > MAX_GLOSSARY_TERMS) throw new WorkbenchError(413, 'glossary-too-large', `${name} has ${file.terms.length} terms: a file may bring at most ${MAX_GLOSSARY_TERMS}.`, { params: { name, terms: file.terms.length, max: MAX_GLOSSARY_TERMS, context: 'terms' } });
    const inputs = mergeSame(file.terms.map((t) => ({ ...normaliseTermInput(t, `${name}: line ${t.line ?? '?'}`), line: t.line })));

    const existing = new Map((await this.deps.repository.list(code)).filter((t) => t.sourceLanguage === sourceLanguage).map((t) => [termKey(t.source), t]));
    const at = new Date().toISOString();
    const report: GlossaryImportReport = { dryRun: options.dryRun === true, file: name, format, sourceLanguage, added: [], updated: [], unchanged: 0, skipped: file.skipped };
    const writes: GlossaryTerm[] = [];
    for (const input of inputs) {
      const current = existing.get(termKey(input.source));
      if (!current) {
        writes.push({ ...input, id: randomBytes(6).toString('hex'), sourceLanguage, revision: 1, who: options.who, at });
        report.added.push({ source: input.source, translations: input.translations, forbidden: input.forbidden });
        continue;
      }
      const merged = mergeInto(current, input);
      if (
        sameList(merged.translations, current.translations) &&
        sameList(merged.forbidden, current.forbidden) &&
        merged.note === current.note &&
        merged.partOfSpeech === current.partOfSpeech &&
        merged.caseSensitive === current.caseSensitive
      ) {
        report.unchanged++;
        continue;
      }
      writes.push({ ...current, ...merged, revision: current.revision + 1, who: options.who, at });
      report.updated.push({
        source: current.source,
        translations: merged.translations,
        forbidden: merged.forbidden,
        before: { translations: current.translations, forbidden: current.forbidden, note: current.note, partOfSpeech: current.partOfSpeech, caseSensitive: current.caseSensitive },
      });
    }
    if (!report.dryRun && writes.length > 0) await this.write(code, writes);
    return report;
  }

  /** Keeps a file for a previewed import: its preview, and the id its confirmation names. */
  async stage(lang: unknown, bytes: Uint8Array, options: { name: string; sourceLanguage?: unknown; who: string }): Promise<{ id: string; report: GlossaryImportReport }> {
    const code = canonicalLocale(lang);
    const report = await this.import(code, bytes, { ...options, dryRun: true });
    const id = randomBytes(12).toString('hex');
    await this.deps.repository.stage({ id, lang: code, name: report.file, sourceLanguage: report.sourceLanguage, who: options.who, at: new Date().toISOString(), content: bytes });
    return { id, report };
  }

  /** Imports a file kept by `stage` (by the person who sent it), then forgets it. */
  async confirm(lang: unknown, id: string, who: string): Promise<GlossaryImportReport> {
    const code = canonicalLocale(lang);
    const staged = /^[0-9a-f]{24}$/.test(id) ? await this.deps.repository.staged(code, id) : undefined;
    if (!staged || staged.who !== who) throw new WorkbenchError(404, 'import-not-found', 'This import was confirmed already, or has expired: send the file again.');
    const report = await this.import(code, staged.content, { name: staged.name, sourceLanguage: staged.sourceLanguage, who });
    await this.deps.repository.unstage(id);
    return report;
  }

  /** A glossary as a file of a format (TBX-Basic or CSV), for its source language. */
  async export(lang: unknown, format: unknown, options: { sourceLanguage?: unknown; title: string; tool: string }): Promise<{ body: Uint8Array; contentType: string; fileName: string }> {
    const code = canonicalLocale(lang);
    if (typeof format !== 'string' || !(GLOSSARY_FORMATS as readonly string[]).includes(format)) {
      throw new WorkbenchError(400, 'invalid-format', `format must be one of: ${GLOSSARY_FORMATS.join(', ')}.`);
    }
    const sourceLanguage = await this.sourceLanguageOf(code, options.sourceLanguage);
    const terms = (await this.deps.repository.list(code)).filter((t) => t.sourceLanguage === sourceLanguage);
    const writer = GLOSSARY_FORMAT[format as GlossaryFormat];
    const body = await writer.write({ title: options.title, tool: options.tool, sourceLanguage, targetLanguage: code, terms });
    return { body, contentType: writer.contentType, fileName: `glossary.${sourceLanguage}-${code}.${writer.extension}` };
  }

  /** The glossary's terms in a source text (of a document in `sourceLanguage`), in order. */
  async termsIn(lang: string, sourceLanguage: string, text: string): Promise<TermFound[]> {
    return (await this.deps.matchers.matcher(lang, sourceLanguage)).termsIn(text);
  }
}

/** The format of an uploaded glossary: the one named, else by the file's extension, else by its first character. */
function formatOf(name: string, bytes: Uint8Array, asked: unknown): GlossaryFormat {
  if (asked !== undefined && asked !== '') {
    if (typeof asked !== 'string' || !(GLOSSARY_FORMATS as readonly string[]).includes(asked)) throw new WorkbenchError(400, 'invalid-format', `format must be one of: ${GLOSSARY_FORMATS.join(', ')}.`);
    return asked as GlossaryFormat;
  }
  const ext = path.extname(name).toLowerCase();
  if (ext === '.tbx' || ext === '.xml') return 'tbx';
  if (ext === '.csv') return 'csv';
  const head = Buffer.from(bytes.subarray(0, 64)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<') ? 'tbx' : 'csv';
}

/** The terms of a file with the same term given twice (two entries) made one. */
function mergeSame<T extends TermInput>(inputs: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const input of inputs) {
    const key = termKey(input.source);
    const seen = byKey.get(key);
    byKey.set(key, seen ? ({ ...seen, ...mergeInto(seen, input) } as T) : input);
  }
  return [...byKey.values()];
}

/** A term with what a file says of it added: new translations after its own, the file's forbidden ones taken out of its translations. */
function mergeInto(current: TermInput, input: TermInput): TermInput {
  const forbiddenNow = folded(input.forbidden);
  const translations = [...current.translations.filter((t) => !forbiddenNow.has(t.toLocaleLowerCase()))];
  const have = folded(translations);
  for (const t of input.translations) if (!have.has(t.toLocaleLowerCase())) translations.push(t);
  const allowed = folded(input.translations);
  const forbidden = current.forbidden.filter((f) => !allowed.has(f.toLocaleLowerCase()));
  const banned = folded(forbidden);
  for (const f of input.forbidden) if (!banned.has(f.toLocaleLowerCase())) forbidden.push(f);
  const note = current.note === '' ? input.note : input.note === '' || current.note.includes(input.note) ? current.note : `${current.note}\n${input.note}`;
  return { source: current.source, translations, forbidden, note, partOfSpeech: current.partOfSpeech || input.partOfSpeech, caseSensitive: current.caseSensitive || input.caseSensitive };
}

