import type { StagedAlignment, StagedAlignmentRepository } from '../stagedAlignmentRepository';
import type { SqlDatabase } from './openDatabase';

interface Row {
  id: string;
  document: string;
  locale: string;
  name: string;
  who: string;
  at: string;
  blocks_json: string;
  links_json: string;
  revisions_json: string;
  scored_json: string | null;
}

/** Staged alignments in the project database (a preview survives a restart). */
export function createSqlStagedAlignmentRepository(db: SqlDatabase): StagedAlignmentRepository {
  const q = {
    insert: db.prepare('INSERT INTO staged_alignments (id, document, locale, name, who, at, blocks_json, links_json, revisions_json, scored_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    get: db.prepare<[string], Row>('SELECT id, document, locale, name, who, at, blocks_json, links_json, revisions_json, scored_json FROM staged_alignments WHERE id = ?'),
    links: db.prepare('UPDATE staged_alignments SET links_json = ? WHERE id = ?'),
    remove: db.prepare('DELETE FROM staged_alignments WHERE id = ?'),
    sweep: db.prepare('DELETE FROM staged_alignments WHERE at < ?'),
  };
  return {
    async add(a) {
      q.insert.run(a.id, a.document, a.locale, a.name, a.who, a.at, JSON.stringify(a.blocks), JSON.stringify(a.links), JSON.stringify(a.revisions), a.scored ? JSON.stringify(a.scored) : null);
    },
    async get(id) {
      const row = q.get.get(id);
      if (!row) return undefined;
      const alignment: StagedAlignment = { id: row.id, document: row.document, locale: row.locale, name: row.name, who: row.who, at: row.at, blocks: JSON.parse(row.blocks_json), links: JSON.parse(row.links_json), revisions: JSON.parse(row.revisions_json) };
      if (row.scored_json !== null) alignment.scored = JSON.parse(row.scored_json);
      return alignment;
    },
    async setLinks(id, links) {
      q.links.run(JSON.stringify(links), id);
    },
    async remove(id) {
      q.remove.run(id);
    },
    async sweep(before) {
      return q.sweep.run(before).changes;
    },
  };
}
