import type { GlossaryTerm } from '../../domain/glossaryTerm';
import { termKey } from '../../domain/glossaryTerm';
import type { GlossaryRepository, StagedGlossaryImport } from '../glossaryRepository';
import type { SqlDatabase } from './openDatabase';
import { othersCommits } from './othersCommits';

interface TermRow {
  id: string;
  source_language: string;
  source: string;
  translations_json: string;
  forbidden_json: string;
  part_of_speech: string;
  note: string;
  case_sensitive: number;
  revision: number;
  who: string;
  at: string;
}

function termOf(row: TermRow): GlossaryTerm {
  return {
    id: row.id,
    sourceLanguage: row.source_language,
    source: row.source,
    translations: JSON.parse(row.translations_json) as string[],
    forbidden: JSON.parse(row.forbidden_json) as string[],
    partOfSpeech: row.part_of_speech,
    note: row.note,
    caseSensitive: row.case_sensitive === 1,
    revision: row.revision,
    who: row.who,
    at: row.at,
  };
}

const COLUMNS = 'id, source_language, source, translations_json, forbidden_json, part_of_speech, note, case_sensitive, revision, who, at';

/** A refusal that rolls a write back. */
class Refused extends Error {}

/**
 * Each language's glossary revision as last read on a connection, asked at every save (for the
 * terminology checks): read again once another connection committed to the database (see
 * othersCommits) or a repository over this one changed the glossary (a bump in a transaction that
 * rolls back leaves a value read again, never a stale one). Shared by every repository over the
 * connection, so a change made through one is seen by the others.
 */
const knownRevisions = new WeakMap<SqlDatabase, { revisions: Map<string, number>; readAt?: number }>();

function knownRevisionsOf(db: SqlDatabase): { revisions: Map<string, number>; readAt?: number } {
  let known = knownRevisions.get(db);
  if (!known) knownRevisions.set(db, (known = { revisions: new Map() }));
  return known;
}

/** Glossaries in the project database. */
export function createSqlGlossaryRepository(db: SqlDatabase): GlossaryRepository {
  const q = {
    list: db.prepare<[string], TermRow>(`SELECT ${COLUMNS} FROM glossary_terms WHERE locale = ? ORDER BY source_key, id`),
    get: db.prepare<[string, string], TermRow>(`SELECT ${COLUMNS} FROM glossary_terms WHERE locale = ? AND id = ?`),
    revision: db.prepare<[string], { revision: number }>('SELECT revision FROM glossary_revisions WHERE locale = ?'),
    bump: db.prepare<[string]>('INSERT INTO glossary_revisions (locale, revision) VALUES (?, 1) ON CONFLICT (locale) DO UPDATE SET revision = revision + 1'),
    keyOwner: db.prepare<[string, string, string], { id: string }>('SELECT id FROM glossary_terms WHERE locale = ? AND source_language = ? AND source_key = ?'),
    insert: db.prepare(
      'INSERT INTO glossary_terms (locale, id, source_language, source, source_key, translations_json, forbidden_json, part_of_speech, note, case_sensitive, revision, who, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    update: db.prepare(
      'UPDATE glossary_terms SET source_language = ?, source = ?, source_key = ?, translations_json = ?, forbidden_json = ?, part_of_speech = ?, note = ?, case_sensitive = ?, revision = ?, who = ?, at = ? WHERE locale = ? AND id = ? AND revision = ?',
    ),
    exists: db.prepare<[string, string], { revision: number }>('SELECT revision FROM glossary_terms WHERE locale = ? AND id = ?'),
    remove: db.prepare<[string, string, number]>('DELETE FROM glossary_terms WHERE locale = ? AND id = ? AND revision = ?'),
    stage: db.prepare('INSERT INTO glossary_imports (id, locale, name, source_language, who, at, content) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    staged: db.prepare<[string, string], { id: string; locale: string; name: string; source_language: string; who: string; at: string; content: Buffer }>(
      'SELECT id, locale, name, source_language, who, at, content FROM glossary_imports WHERE locale = ? AND id = ?',
    ),
    unstage: db.prepare<[string]>('DELETE FROM glossary_imports WHERE id = ?'),
    sweep: db.prepare<[string]>('DELETE FROM glossary_imports WHERE at < ?'),
  };

  const write = db.transaction((lang: string, terms: GlossaryTerm[]) => {
    const stale: string[] = [];
    const taken: string[] = [];
    for (const t of terms) {
      const key = termKey(t.source);
      const owner = q.keyOwner.get(lang, t.sourceLanguage, key);
      if (owner && owner.id !== t.id) {
        taken.push(t.id);
        continue;
      }
      const values = [t.sourceLanguage, t.source, key, JSON.stringify(t.translations), JSON.stringify(t.forbidden), t.partOfSpeech, t.note, t.caseSensitive ? 1 : 0, t.revision, t.who, t.at];
      const current = q.exists.get(lang, t.id);
      if (!current) {
        if (t.revision !== 1) stale.push(t.id);
        else q.insert.run(lang, t.id, ...values);
      } else if (q.update.run(...values, lang, t.id, t.revision - 1).changes === 0) {
        stale.push(t.id);
      }
    }
    if (stale.length > 0 || taken.length > 0) throw new Refused(JSON.stringify({ stale, taken }));
    if (terms.length > 0) q.bump.run(lang);
  });

  const known = knownRevisionsOf(db);
  const { revisions } = known;
  const othersWrote = othersCommits(db);

  return {
    async list(lang) {
      return q.list.all(lang).map(termOf);
    },
    async get(lang, id) {
      const row = q.get.get(lang, id);
      return row ? termOf(row) : undefined;
    },
    async revision(lang) {
      const now = othersWrote();
      if (now !== known.readAt) {
        revisions.clear();
        known.readAt = now;
      }
      let revision = revisions.get(lang);
      if (revision === undefined) revisions.set(lang, (revision = q.revision.get(lang)?.revision ?? 0));
      return revision;
    },
    async write(lang, terms) {
      revisions.delete(lang);
      try {
        write(lang, terms);
        return { stale: [], taken: [] };
      } catch (err) {
        if (err instanceof Refused) return JSON.parse(err.message) as { stale: string[]; taken: string[] };
        throw err;
      }
    },
    async remove(lang, id, revision) {
      revisions.delete(lang);
      return db.transaction(() => {
        const removed = q.remove.run(lang, id, revision).changes > 0;
        if (removed) q.bump.run(lang);
        return removed;
      })();
    },
    async stage(file: StagedGlossaryImport) {
      // A preview not confirmed within a day is forgotten.
      q.sweep.run(new Date(Date.now() - 24 * 3600 * 1000).toISOString());
      q.stage.run(file.id, file.lang, file.name, file.sourceLanguage, file.who, file.at, Buffer.from(file.content));
    },
    async staged(lang, id) {
      const row = q.staged.get(lang, id);
      return row ? { id: row.id, lang: row.locale, name: row.name, sourceLanguage: row.source_language, who: row.who, at: row.at, content: row.content } : undefined;
    },
    async unstage(id) {
      q.unstage.run(id);
    },
  };
}
