import type { ExportFormat } from '../../domain/edition';
import { EXPORTS_KEPT, type EditionRecord, type EditionRepository, type ExportRecord } from '../editionRepository';
import type { SqlDatabase } from './openDatabase';

interface ExportRow {
  at: string;
  who: string;
  format: string;
  source_version: number;
  draft: number;
  percent: number;
}

/** Edition titles and the list of exports in the project database. Every export is kept; the record shows the newest. */
export function createSqlEditionRepository(db: SqlDatabase): EditionRepository {
  const q = {
    title: db.prepare<[string, string], { title: string }>('SELECT title FROM edition_titles WHERE document = ? AND locale = ?'),
    exports: db.prepare<[string, string, number], ExportRow>(
      'SELECT at, who, format, source_version, draft, percent FROM edition_exports WHERE document = ? AND locale = ? ORDER BY id DESC LIMIT ?',
    ),
    deleteTitle: db.prepare('DELETE FROM edition_titles WHERE document = ? AND locale = ?'),
    insertTitle: db.prepare('INSERT INTO edition_titles (document, locale, title) VALUES (?, ?, ?)'),
    insertExport: db.prepare('INSERT INTO edition_exports (document, locale, at, who, format, source_version, draft, percent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
  };
  const read = (document: string, lang: string): EditionRecord => {
    const title = q.title.get(document, lang)?.title;
    const exports = q.exports.all(document, lang, EXPORTS_KEPT).map(
      (r): ExportRecord => ({ at: r.at, who: r.who, format: r.format as ExportFormat, sourceVersion: r.source_version, draft: r.draft === 1, percent: r.percent }),
    );
    return { ...(title === undefined ? {} : { title }), exports };
  };
  const setTitle = db.transaction((document: string, lang: string, title: string | undefined) => {
    q.deleteTitle.run(document, lang);
    if (title !== undefined) q.insertTitle.run(document, lang, title);
  });
  return {
    async read(document, lang) {
      return read(document, lang);
    },
    async setTitle(document, lang, title) {
      setTitle.immediate(document, lang, title);
      return read(document, lang);
    },
    async addExport(document, lang, r) {
      q.insertExport.run(document, lang, r.at, r.who, r.format, r.sourceVersion, r.draft ? 1 : 0, r.percent);
    },
  };
}
