import type { CheckDismissal, CheckDismissalRepository } from '../checkDismissalRepository';
import type { SqlDatabase } from './openDatabase';

/** Dismissed checks in the project database. */
export function createSqlCheckDismissalRepository(db: SqlDatabase): CheckDismissalRepository {
  const q = {
    put: db.prepare<[string, string, string, string, string, string, string]>(
      'INSERT INTO check_dismissals (document, locale, segment, check_id, target, who, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document, locale, segment, check_id) DO UPDATE SET target = excluded.target, who = excluded.who, at = excluded.at',
    ),
    list: db.prepare<[string, string], { segment: string; check_id: string; target: string; who: string; at: string }>(
      'SELECT segment, check_id, target, who, at FROM check_dismissals WHERE document = ? AND locale = ?',
    ),
  };
  return {
    async put(document, lang, d) {
      q.put.run(document, lang, d.segment, d.check, d.target, d.who, d.at);
    },
    async list(document, lang) {
      const bySegment = new Map<string, CheckDismissal[]>();
      for (const row of q.list.iterate(document, lang)) {
        const list = bySegment.get(row.segment) ?? [];
        if (!bySegment.has(row.segment)) bySegment.set(row.segment, list);
        list.push({ segment: row.segment, check: row.check_id, target: row.target, who: row.who, at: row.at });
      }
      return bySegment;
    },
  };
}
