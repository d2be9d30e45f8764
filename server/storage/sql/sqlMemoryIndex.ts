import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FoundPair, IndexedPair, MemoryIndex, ParagraphPairs } from '../memoryIndex';

/**
 * The translation memory's index, in its own SQLite database under `.cache/`: it is made from the
 * locale files and the imported memories (which the project database keeps), so it can be rebuilt
 * at any time and is never backed up; writes to it need not wait for the disk (`synchronous =
 * OFF`), and a damaged or foreign file is set aside and made again. Source texts are searched by
 * their words with FTS5 (the unicode61 tokenizer: case and diacritics folded), the rarest words of
 * the text looked for first (their counts from the index's own vocabulary), so a search reads a
 * few short lists of texts, not the long ones of common words. (FTS5's trigram tokenizer was tried
 * first: each word of a search became a phrase of its trigrams, and the lists of common trigrams,
 * thousands of texts long in a book, made a search of a paragraph 100 to 200 ms.) Each text is kept
 * once per source language, with the translations of it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, lang TEXT NOT NULL, text TEXT NOT NULL, UNIQUE (lang, text));
CREATE VIRTUAL TABLE IF NOT EXISTS texts_fts USING fts5(text, content='texts', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS texts_terms USING fts5vocab(texts_fts, 'row');
CREATE TRIGGER IF NOT EXISTS texts_added AFTER INSERT ON texts BEGIN INSERT INTO texts_fts (rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER IF NOT EXISTS texts_removed AFTER DELETE ON texts BEGIN INSERT INTO texts_fts (texts_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TABLE IF NOT EXISTS pairs (
  id INTEGER PRIMARY KEY,
  text_id INTEGER NOT NULL,
  target_lang TEXT NOT NULL,
  target TEXT NOT NULL,
  quality INTEGER NOT NULL,
  level TEXT NOT NULL,
  document TEXT,
  segment TEXT,
  memory TEXT
);
CREATE INDEX IF NOT EXISTS pairs_text ON pairs (text_id, target_lang);
CREATE INDEX IF NOT EXISTS pairs_paragraph ON pairs (document, target_lang, segment);
CREATE TABLE IF NOT EXISTS memories_indexed (memory TEXT NOT NULL, target_lang TEXT NOT NULL, PRIMARY KEY (memory, target_lang));
`;
/** Bumped when the schema changes: an index of another version is made again. */
const INDEX_VERSION = 2;

interface PairRow {
  text_id: number;
  text: string;
  target: string;
  quality: number;
  level: string;
  document: string | null;
  segment: string | null;
  memory: string | null;
}

function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== INDEX_VERSION) {
    if (version !== 0) throw new Error(`the memory index ${file} is of another version (${version})`);
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${INDEX_VERSION}`);
    }).immediate();
  }
  return db;
}

/** The index in `<dataDir>/.cache/memory.db` (made when missing, made again when it cannot be used). */
export function createSqlMemoryIndex(dataDir: string): MemoryIndex {
  const dir = path.join(dataDir, '.cache');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'memory.db');
  let db: Database.Database;
  try {
    db = open(file);
  } catch {
    // Made from the project's files: a copy that cannot be used is set aside, not trusted.
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        renameSync(`${file}${suffix}`, `${file}${suffix}.broken`);
      } catch {
        // not there
      }
    }
    db = open(file);
  }
  const q = {
    textId: db.prepare<[string, string], { id: number }>('SELECT id FROM texts WHERE lang = ? AND text = ?'),
    addText: db.prepare<[string, string]>('INSERT INTO texts (lang, text) VALUES (?, ?)'),
    dropTextIfUnused: db.prepare<[number, number]>('DELETE FROM texts WHERE id = ? AND NOT EXISTS (SELECT 1 FROM pairs WHERE text_id = ?)'),
    paragraphTexts: db.prepare<[string, string, string], { text_id: number }>('SELECT DISTINCT text_id FROM pairs WHERE document = ? AND target_lang = ? AND segment = ?'),
    dropParagraph: db.prepare<[string, string, string]>('DELETE FROM pairs WHERE document = ? AND target_lang = ? AND segment = ?'),
    addPair: db.prepare<[number, string, string, number, string, string | null, string | null, string | null]>(
      'INSERT INTO pairs (text_id, target_lang, target, quality, level, document, segment, memory) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    paragraphs: db.prepare<[string, string], { segment: string; text: string; target: string; quality: number }>(
      "SELECT p.segment, t.text, p.target, p.quality FROM pairs p JOIN texts t ON t.id = p.text_id WHERE p.document = ? AND p.target_lang = ? AND p.level = 'paragraph'",
    ),
    hasMemory: db.prepare<[string, string], { memory: string }>('SELECT memory FROM memories_indexed WHERE target_lang = ? AND memory = ?'),
    markMemory: db.prepare<[string, string]>('INSERT INTO memories_indexed (memory, target_lang) VALUES (?, ?)'),
    exact: db.prepare<[string, string, string], { id: number; text: string }>(
      'SELECT id, text FROM texts t WHERE lang = ? AND text = ? AND EXISTS (SELECT 1 FROM pairs p WHERE p.text_id = t.id AND p.target_lang = ?)',
    ),
    allTerms: db.prepare<[], [string, number]>('SELECT term, doc FROM texts_terms'),
    termCount: db.prepare<[string], { doc: number }>('SELECT doc FROM texts_terms WHERE term = ?'),
    textCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM texts'),
    search: db.prepare<[string, string, string, number], { id: number; text: string }>(
      'SELECT t.id, t.text FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid WHERE texts_fts MATCH ? AND t.lang = ? AND EXISTS (SELECT 1 FROM pairs p WHERE p.text_id = t.id AND p.target_lang = ?) ORDER BY texts_fts.rank LIMIT ?',
    ),
    pairsOf: db.prepare<[number, string], PairRow>(
      // The best translations of a text first, a few of them: a sentence repeated through a book has one pair per paragraph.
      'SELECT p.text_id, t.text, p.target, p.quality, p.level, p.document, p.segment, p.memory FROM pairs p JOIN texts t ON t.id = p.text_id WHERE p.text_id = ? AND p.target_lang = ? ORDER BY p.quality DESC, p.id LIMIT 12',
    ),
  };
  // How many texts have each word: the whole vocabulary read at once (a book's few thousand words
  // in tens of milliseconds, where one word at a time cost up to 2 ms each for the common ones),
  // then kept while the index changes a little (a count a little off only changes which words a
  // search looks for first; a word new since is asked for alone).
  let termCounts: Map<string, number> | undefined;
  let texts: number | undefined;
  let changedSinceRead = 0;
  const textCount = (): number => (texts ??= q.textCount.get()?.n ?? 0);
  const termCount = (word: string): number => {
    termCounts ??= new Map(q.allTerms.raw().all() as [string, number][]);
    let count = termCounts.get(word);
    if (count === undefined) {
      // A word the read did not have (new since, or in no text): asked for alone, kept once found.
      count = q.termCount.get(word)?.doc ?? 0;
      if (count > 0) termCounts.set(word, count);
    }
    return count;
  };
  const changed = (paragraphs: number): void => {
    changedSinceRead += paragraphs;
    if (changedSinceRead < 500) return;
    termCounts = undefined;
    texts = undefined;
    changedSinceRead = 0;
  };
  const textIdOf = (lang: string, text: string): number => q.textId.get(lang, text)?.id ?? Number(q.addText.run(lang, text).lastInsertRowid);
  const putParagraphs = db.transaction((sourceLanguage: string, document: string, lang: string, paragraphs: readonly ParagraphPairs[]) => {
    for (const { segment, pairs } of paragraphs) {
      const before = q.paragraphTexts.all(document, lang, segment).map((row) => row.text_id);
      q.dropParagraph.run(document, lang, segment);
      for (const pair of pairs) q.addPair.run(textIdOf(sourceLanguage, pair.source), lang, pair.target, pair.quality, pair.level, document, segment, null);
      for (const id of before) q.dropTextIfUnused.run(id, id);
    }
  });
  const putMemory = db.transaction((sourceLanguage: string, lang: string, memory: string, pairs: readonly IndexedPair[]) => {
    if (q.hasMemory.get(lang, memory)) return false;
    for (const pair of pairs) q.addPair.run(textIdOf(sourceLanguage, pair.source), lang, pair.target, pair.quality, pair.level, null, null, memory);
    q.markMemory.run(memory, lang);
    return true;
  });
  const found = (row: PairRow, lang: string): FoundPair => ({
    textId: row.text_id,
    source: row.text,
    target: row.target,
    quality: row.quality,
    level: row.level === 'sentence' ? 'sentence' : 'paragraph',
    origin: row.memory !== null ? { memory: row.memory } : { document: row.document ?? '', segment: row.segment ?? '', locale: lang },
  });
  return {
    putParagraphs(sourceLanguage, document, lang, paragraphs) {
      if (paragraphs.length === 0) return;
      putParagraphs.immediate(sourceLanguage, document, lang, paragraphs);
      changed(paragraphs.length);
    },
    paragraphs(document, lang) {
      const map = new Map<string, IndexedPair>();
      for (const row of q.paragraphs.iterate(document, lang)) map.set(row.segment, { source: row.text, target: row.target, quality: row.quality, level: 'paragraph' });
      return map;
    },
    putMemory(sourceLanguage, lang, memory, pairs) {
      changed(pairs.length);
      return putMemory.immediate(sourceLanguage, lang, memory, pairs);
    },
    hasMemory(lang, memory) {
      return !!q.hasMemory.get(lang, memory);
    },
    candidates(sourceLanguage, lang, exact, words, limit) {
      const texts: { textId: number; source: string }[] = [];
      const same = q.exact.get(sourceLanguage, exact, lang);
      if (same) texts.push({ textId: same.id, source: same.text });
      // The rarest of the words (those the index has), at most 8: the texts with most of them come first.
      const counted = words.map((word) => ({ word, count: termCount(word) })).filter(({ count }) => count > 0);
      counted.sort((a, b) => a.count - b.count);
      // A word most texts of a book have ("the", "of") finds nothing a rarer word does not, and
      // ranking every text it is in took 30-40 ms: left out past 20 times the rarest word's count or
      // a quarter of the texts, when it is in over a thousand (the two rarest words are always kept).
      const common = Math.max(1000, Math.min(20 * (counted[0]?.count ?? 0), textCount() / 4));
      const rarest = counted
        .filter(({ count }, i) => i < 2 || count <= common)
        .slice(0, 8)
        .map(({ word }) => `"${word.replace(/"/g, '""')}"`);
      if (rarest.length > 0) {
        for (const row of q.search.iterate(rarest.join(' OR '), sourceLanguage, lang, limit)) if (row.id !== same?.id) texts.push({ textId: row.id, source: row.text });
      }
      return texts;
    },
    pairsOf(textIds, lang) {
      const pairs: FoundPair[] = [];
      for (const id of textIds) for (const row of q.pairsOf.iterate(id, lang)) pairs.push(found(row, lang));
      return pairs;
    },
    close() {
      db.close();
    },
  };
}

