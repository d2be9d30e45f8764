import type { MemoryInfo, MemoryRepository } from '../memoryRepository';
import type { SqlDatabase } from './openDatabase';

/** Imported memories in the project database, the TMX file kept whole beside its description. */
export function createSqlMemoryRepository(db: SqlDatabase): MemoryRepository {
  const q = {
    exists: db.prepare<[string, string], { id: string }>('SELECT id FROM memories WHERE locale = ? AND id = ?'),
    insert: db.prepare('INSERT INTO memories (locale, id, name, who, at, pairs, content) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    list: db.prepare<[string], MemoryInfo>('SELECT id, name, who, at, pairs FROM memories WHERE locale = ? ORDER BY at DESC, id'),
    content: db.prepare<[string, string], { content: Buffer }>('SELECT content FROM memories WHERE locale = ? AND id = ?'),
  };
  const add = db.transaction((lang: string, info: MemoryInfo, content: Uint8Array) => {
    if (q.exists.get(lang, info.id)) return false;
    q.insert.run(lang, info.id, info.name, info.who, info.at, info.pairs, Buffer.from(content));
    return true;
  });
  return {
    async add(lang, info, content) {
      return add.immediate(lang, info, content);
    },
    async list(lang) {
      return q.list.all(lang).map((r) => ({ id: r.id, name: r.name, who: r.who, at: r.at, pairs: r.pairs }));
    },
    async content(lang, id) {
      return q.content.get(lang, id)?.content;
    },
  };
}
