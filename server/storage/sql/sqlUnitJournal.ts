import type { Unit } from '../../domain/types';
import type { UnitJournal } from '../unitJournal';
import type { SqlDatabase } from './openDatabase';
import { othersCommits } from './othersCommits';

/**
 * Writes journal rows for a locale file's units in whatever transaction is open (the history
 * entries' own, see HistoryRepository.appendJournaled); returns the newest row's number.
 */
export function journalInserter(db: SqlDatabase): (document: string, lang: string, units: readonly Unit[]) => number {
  const insert = db.prepare('INSERT INTO unit_journal (document, locale, unit_json) VALUES (?, ?, ?)');
  return (document, lang, units) => {
    let last = 0;
    for (const unit of units) last = Number(insert.run(document, lang, JSON.stringify(unit)).lastInsertRowid);
    return last;
  };
}

/** The unit journal in the project database, one row per unit saved (see UnitJournal). */
export function createSqlUnitJournal(db: SqlDatabase): UnitJournal {
  const q = {
    pending: db.prepare<[string, string], { id: number; unit_json: string }>('SELECT id, unit_json FROM unit_journal WHERE document = ? AND locale = ? ORDER BY id'),
    count: db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM unit_journal WHERE document = ? AND locale = ?'),
    written: db.prepare<[string, string, number]>('DELETE FROM unit_journal WHERE document = ? AND locale = ? AND id <= ?'),
    locales: db.prepare<[], { document: string; locale: string }>('SELECT DISTINCT document, locale FROM unit_journal ORDER BY document, locale'),
  };
  const othersWrote = othersCommits(db);
  return {
    othersWrote,
    pending(document, lang) {
      const rows = q.pending.all(document, lang);
      if (rows.length === 0) return undefined;
      return { units: rows.map((row) => JSON.parse(row.unit_json) as Unit), upTo: rows[rows.length - 1].id };
    },
    count(document, lang) {
      return q.count.get(document, lang)?.n ?? 0;
    },
    written(document, lang, upTo) {
      // Durable (the database is synchronous = FULL): a row forgotten after its file was written
      // never comes back to be written over a later change of the same unit.
      return db.transaction(() => q.written.run(document, lang, upTo).changes).immediate();
    },
    locales() {
      return q.locales.all().map((row) => ({ document: row.document, lang: row.locale }));
    },
  };
}
