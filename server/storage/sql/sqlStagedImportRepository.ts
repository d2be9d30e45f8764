import type { StagedImport, StagedImportRepository } from '../stagedImportRepository';
import type { SqlDatabase } from './openDatabase';

/** Staged uploads in the project database (so a preview survives a restart, and a backup has it). */
export function createSqlStagedImportRepository(db: SqlDatabase): StagedImportRepository {
  const q = {
    insert: db.prepare('INSERT INTO staged_imports (id, document, locale, name, who, at, content) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    get: db.prepare<[string], StagedImport & { content: Buffer }>('SELECT id, document, locale, name, who, at, content FROM staged_imports WHERE id = ?'),
    remove: db.prepare('DELETE FROM staged_imports WHERE id = ?'),
    sweep: db.prepare('DELETE FROM staged_imports WHERE at < ?'),
  };
  return {
    async add(e, content) {
      q.insert.run(e.id, e.document, e.locale, e.name, e.who, e.at, Buffer.from(content));
    },
    async get(id) {
      const row = q.get.get(id);
      if (!row) return undefined;
      const { content, ...entry } = row;
      return { entry: { id: entry.id, document: entry.document, locale: entry.locale, name: entry.name, who: entry.who, at: entry.at }, content };
    },
    async remove(id) {
      q.remove.run(id);
    },
    async sweep(before) {
      return q.sweep.run(before).changes;
    },
  };
}
