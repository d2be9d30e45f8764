import { canonicalLocale } from '../domain/localeTag';
import { findTerms, queryRegex, queryTerms, type SearchMode } from '../domain/findInText';
import { splitSections } from '../domain/splitSections';
import type { SourceDocument } from '../domain/types';
import { workflowState } from '../domain/workflowState';
import { isWorkbenchError } from '../errors';
import { runRegex } from './regexSearch';
import { turnTaker } from './turnTaker';
import type { LocaleContext, Workbench } from './workbench';

/** What a search looks for, and where. */
export interface SearchQuery {
  q: string;
  in: 'source' | 'target' | 'both';
  mode: SearchMode;
  lang?: string;
  doc?: string;
  offset: number;
  limit: number;
}

/** A paragraph found: where it is, its texts, and what was found in them ([start, end], UTF-16 offsets). */
export interface SearchResult {
  document: string;
  lang: string | null;
  segment: string;
  source: string;
  target: string | null;
  state: string | null;
  /** The editor's page of the paragraph (the reader's, for a source searched in no language). */
  link: string;
  /** The places found in the target when it was searched and had any, else in the source. */
  matches: [number, number][];
  sourceMatches: [number, number][];
  targetMatches: [number, number][];
}

/** A paragraph looked at by a search: in one language, or in none (its source only). */
interface Row {
  document: SourceDocument;
  lang: string | null;
  index: number;
  target: string | null;
  state: string | null;
}

/**
 * Search across the project: the source and/or the translations of every document (or one), in
 * every language (or one), by words (all of them; case and diacritics folded), an exact phrase,
 * or a regular expression (run on a thread of its own, stopped after two seconds). Paged.
 */
export class ProjectSearch {
  constructor(private readonly deps: { workbench: Workbench; listLocales: (document: string) => Promise<string[]> }) {}

  async search(query: SearchQuery): Promise<{ results: SearchResult[]; total: number }> {
    const rows = await this.rows(query);
    const fields = (row: Row): { source?: string; target?: string } => ({
      ...(query.in !== 'target' ? { source: row.document.segments[row.index].text } : {}),
      ...(query.in !== 'source' && row.target !== null ? { target: row.target } : {}),
    });
    const found: { row: Row; source: [number, number][]; target: [number, number][] }[] = [];
    if (query.mode === 'regex') {
      const pattern = queryRegex(query.q);
      const texts: string[] = [];
      const at: { source?: number; target?: number }[] = [];
      for (const row of rows) {
        const { source, target } = fields(row);
        const places: { source?: number; target?: number } = {};
        if (source !== undefined) places.source = texts.push(source) - 1;
        if (target !== undefined) places.target = texts.push(target) - 1;
        at.push(places);
      }
      const answer = await runRegex(pattern, texts);
      rows.forEach((row, i) => {
        const source = at[i].source !== undefined ? answer.found[at[i].source as number] : [];
        const target = at[i].target !== undefined ? answer.found[at[i].target as number] : [];
        if (source.length > 0 || target.length > 0) found.push({ row, source, target });
      });
    } else {
      const terms = queryTerms(query.q, query.mode);
      // A book's every paragraph in every language: other requests (saves) are served in between.
      const pause = turnTaker();
      for (const row of rows) {
        const paused = pause();
        if (paused) await paused;
        const { source, target } = fields(row);
        const inSource = source !== undefined ? findTerms(source, terms) : undefined;
        const inTarget = target !== undefined ? findTerms(target, terms) : undefined;
        if (inSource || inTarget) found.push({ row, source: inSource ?? [], target: inTarget ?? [] });
      }
    }
    const sections = new Map<string, ReturnType<typeof splitSections>>();
    const results = found.slice(query.offset, query.offset + query.limit).map(({ row, source, target }) => {
      const segment = row.document.segments[row.index];
      let pages = sections.get(row.document.id);
      if (!pages) sections.set(row.document.id, (pages = splitSections(row.document.segments)));
      const page = pages.find((section) => row.index >= section.start && row.index < section.end)?.index ?? 0;
      const link = row.lang === null ? `/documents/${row.document.id}?section=${page}#seg-${segment.id}` : `/documents/${row.document.id}/locales/${row.lang}?section=${page}#seg-${segment.id}`;
      return {
        document: row.document.id,
        lang: row.lang,
        segment: segment.id,
        source: segment.text,
        target: row.target,
        state: row.state,
        link,
        matches: target.length > 0 ? target : source,
        sourceMatches: source,
        targetMatches: target,
      };
    });
    return { results, total: found.length };
  }

  /** Every translatable paragraph the query covers, in each language it names (none: its source alone, when only the source is searched). */
  private async rows(query: SearchQuery): Promise<Row[]> {
    const lang = query.lang === undefined ? undefined : canonicalLocale(query.lang);
    const ids = query.doc === undefined ? await this.deps.workbench.documentIds() : [query.doc];
    const rows: Row[] = [];
    for (const id of ids) {
      const document = await this.deps.workbench.document(id);
      const codes = lang !== undefined ? [lang] : query.in === 'source' ? [] : await this.deps.listLocales(document.id);
      if (codes.length === 0) {
        if (lang === undefined) document.segments.forEach((segment, index) => segment.translatable && rows.push({ document, lang: null, index, target: null, state: null }));
        continue;
      }
      for (const code of codes) {
        let context: LocaleContext;
        try {
          context = await this.deps.workbench.locale(document.id, code);
        } catch (err) {
          // Searching every document: one not in this language (or with a broken file) has nothing to find.
          if (isWorkbenchError(err) && err.status < 500 && query.doc === undefined) continue;
          throw err;
        }
        document.segments.forEach((segment, index) => {
          if (!segment.translatable) return;
          const unit = context.units.get(segment.id);
          rows.push({ document, lang: code, index, target: unit?.target ?? null, state: workflowState(segment, unit) });
        });
      }
    }
    return rows;
  }
}
