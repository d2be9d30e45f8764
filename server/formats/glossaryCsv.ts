/**
 * Glossaries as CSV (RFC 4180, read with csv-parse, written with csv-stringify): one row per
 * translation of a term, so a spreadsheet shows them plainly. The header names the columns, in any
 * order and case:
 *
 * - the term: `source` or `term`, or the source language's code (`en`);
 * - its translation: `target` or `translation`, or the target language's code (`es`);
 * - optional: `status` (preferred, admitted, forbidden — deprecated and superseded are forbidden
 *   too), `forbidden` (yes/no), `part_of_speech`, `note`, `case_sensitive` (yes/no),
 *   `source_language` and `target_language` (checked against the glossary's).
 *
 * Rows with the same term are one term: their translations in order, a preferred one first.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { WorkbenchError } from '../errors';
import { PARTS_OF_SPEECH } from '../domain/glossaryTerm';
import { languageServes } from '../domain/localeTag';
import type { GlossaryFile, GlossaryFileTerm, GlossaryWriteInput } from './glossaryFile';

const YES = /^(yes|y|true|1|x|sí|si|oui|ja)$/i;

function malformed(file: string, line: number, reason: string): WorkbenchError {
  return new WorkbenchError(400, 'csv-malformed', `${file}: line ${line}: ${reason}`, { details: { file, line }, params: { file, line, reason } });
}

/** Reads a glossary CSV file for a pair of languages (see the file's comment for its columns). */
export function readGlossaryCsv(content: string, ctx: { file: string; sourceLanguage: string; targetLanguage: string }): GlossaryFile {
  const { file } = ctx;
  let rows: { record: string[]; line: number }[];
  try {
    rows = (parse(content, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }) as unknown as { record: string[]; info: { lines: number } }[]).map((r) => ({
      record: r.record,
      line: r.info.lines,
    }));
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw malformed(file, e.lines ?? 1, (e.message ?? 'not CSV').replace(/^Invalid [^:]*: /, ''));
  }
  if (rows.length === 0) throw malformed(file, 1, 'the file is empty: a glossary CSV starts with a header (source,target,…).');
  const header = rows[0].record.map((name) => name.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const column = (...names: string[]): number => header.findIndex((h) => names.includes(h));
  const languageColumn = (wanted: string): number => header.findIndex((h) => /^[a-z]{2,3}([_-][a-z0-9]+)*$/i.test(h) && languageServes(h.replace(/_/g, '-'), wanted));
  let sourceAt = column('source', 'term', 'source_term');
  if (sourceAt < 0) sourceAt = languageColumn(ctx.sourceLanguage);
  let targetAt = column('target', 'translation', 'target_term');
  if (targetAt < 0) targetAt = languageColumn(ctx.targetLanguage);
  if (sourceAt < 0 || targetAt < 0) {
    const names = rows[0].record.join(', ');
    if (sourceAt >= 0 || header.some((h) => /^[a-z]{2,3}$/.test(h))) {
      throw new WorkbenchError(400, 'glossary-wrong-language', `${file}: line ${rows[0].line}: no column for ${sourceAt < 0 ? ctx.sourceLanguage : ctx.targetLanguage} (the columns: ${names}).`, {
        details: { file, line: rows[0].line },
        params: { file, line: rows[0].line, lang: sourceAt < 0 ? ctx.sourceLanguage : ctx.targetLanguage, names, context: 'column' },
      });
    }
    throw malformed(file, rows[0].line, `the header names no ${sourceAt < 0 ? 'term' : 'translation'} column (the columns: ${names}); a glossary CSV starts with source,target.`);
  }
  const at = {
    status: column('status', 'administrative_status'),
    forbidden: column('forbidden'),
    pos: column('part_of_speech', 'partofspeech', 'pos'),
    note: column('note', 'notes', 'description', 'comment', 'definition'),
    caseSensitive: column('case_sensitive', 'casesensitive'),
    sourceLanguage: column('source_language', 'source_lang'),
    targetLanguage: column('target_language', 'target_lang'),
  };
  const cell = (record: string[], index: number): string => (index >= 0 ? (record[index] ?? '').trim() : '');
  const terms = new Map<string, GlossaryFileTerm & { preferred: string[] }>();
  for (const { record, line } of rows.slice(1)) {
    const source = cell(record, sourceAt);
    const target = cell(record, targetAt);
    if (record.every((value) => value.trim() === '')) continue;
    for (const [index, wanted, what] of [
      [at.sourceLanguage, ctx.sourceLanguage, 'source'],
      [at.targetLanguage, ctx.targetLanguage, 'target'],
    ] as const) {
      const lang = cell(record, index);
      if (lang !== '' && !languageServes(lang, wanted)) {
        throw new WorkbenchError(400, 'glossary-wrong-language', `${file}: line ${line}: the ${what} language is ${lang}, not ${wanted}.`, { details: { file, line }, params: { file, line, lang, wanted, context: 'row' } });
      }
    }
    if (source === '') throw malformed(file, line, 'the term is empty.');
    const status = cell(record, at.status).toLowerCase();
    const forbidden = YES.test(cell(record, at.forbidden)) || /forbidden|deprecated|superseded|notrecommended/.test(status);
    const pos = cell(record, at.pos);
    const partOfSpeech = pos === '' ? '' : (PARTS_OF_SPEECH.find((p) => p.toLowerCase() === pos.toLowerCase().replace(/[\s_]+/g, '')) ?? 'other');
    const key = source.toLocaleLowerCase();
    let term = terms.get(key);
    if (!term) {
      term = { source, translations: [], preferred: [], forbidden: [], partOfSpeech, note: cell(record, at.note), caseSensitive: YES.test(cell(record, at.caseSensitive)), line };
      terms.set(key, term);
    } else {
      term.partOfSpeech ||= partOfSpeech;
      const note = cell(record, at.note);
      if (note !== '' && !term.note.split('\n').includes(note)) term.note = term.note ? `${term.note}\n${note}` : note;
    }
    if (target === '') continue;
    if (forbidden) term.forbidden.push(target);
    else if (status.includes('preferred')) term.preferred.push(target);
    else term.translations.push(target);
  }
  const list = [...terms.values()].map(({ preferred, ...term }) => ({ ...term, translations: [...preferred, ...term.translations] }));
  const usable = list.filter((t) => t.translations.length > 0 || t.forbidden.length > 0);
  return { terms: usable, skipped: list.length - usable.length };
}

/** Writes a language's glossary as CSV: a header, then one row per translation (and per forbidden one). */
export function buildGlossaryCsv(input: GlossaryWriteInput): string {
  const rows: string[][] = [['source', 'target', 'status', 'part_of_speech', 'note', 'case_sensitive', 'source_language', 'target_language']];
  for (const term of input.terms) {
    const base = (target: string, status: string) => [target, status, term.partOfSpeech, term.note, term.caseSensitive ? 'yes' : 'no', input.sourceLanguage, input.targetLanguage];
    const variants = [...term.translations.map((t, i) => base(t, i === 0 ? 'preferred' : 'admitted')), ...term.forbidden.map((t) => base(t, 'forbidden'))];
    for (const variant of variants.length > 0 ? variants : [base('', '')]) rows.push([term.source, ...variant]);
  }
  return stringify(rows, { record_delimiter: 'windows' });
}
