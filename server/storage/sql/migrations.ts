/**
 * The database schema, as numbered steps. Each step runs once, in order, inside the transaction
 * that records it in `schema_migrations`; a step is never edited once released — a change is a new
 * step. The SQL is kept portable (plain types, no SQLite-only clauses) so that the same schema can
 * be written for PostgreSQL.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'records: accounts, sessions, login throttle, history, discussion, editions, memories, staged imports',
    sql: `
CREATE TABLE users (
  name_key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  password_hash TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE user_roles (
  user_key TEXT NOT NULL REFERENCES users(name_key) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  locale TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (user_key, position)
);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_key TEXT NOT NULL REFERENCES users(name_key) ON DELETE CASCADE,
  hash TEXT NOT NULL UNIQUE,
  label TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_key);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_key TEXT NOT NULL REFERENCES users(name_key) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_key);
CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  throttle_key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(throttle_key, at);
CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  segment TEXT NOT NULL,
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  version INTEGER,
  suggested_by TEXT
);
CREATE INDEX history_segment ON history(document, locale, segment, id);
CREATE INDEX history_locale ON history(document, locale, id);
CREATE INDEX history_who ON history(document, locale, who, id);
CREATE TABLE suggestions (
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  id TEXT NOT NULL,
  segment TEXT NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  seq INTEGER NOT NULL,
  PRIMARY KEY (document, locale, id)
);
CREATE TABLE threads (
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  id TEXT NOT NULL,
  segment TEXT NOT NULL,
  created_at TEXT NOT NULL,
  resolved INTEGER NOT NULL,
  resolved_by TEXT,
  seq INTEGER NOT NULL,
  PRIMARY KEY (document, locale, id)
);
CREATE TABLE thread_messages (
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  thread TEXT NOT NULL,
  position INTEGER NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (document, locale, thread, position),
  FOREIGN KEY (document, locale, thread) REFERENCES threads(document, locale, id) ON DELETE CASCADE
);
CREATE TABLE edition_titles (
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  title TEXT NOT NULL,
  PRIMARY KEY (document, locale)
);
CREATE TABLE edition_exports (
  id INTEGER PRIMARY KEY,
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  format TEXT NOT NULL,
  source_version INTEGER NOT NULL,
  draft INTEGER NOT NULL,
  percent REAL NOT NULL
);
CREATE INDEX edition_exports_locale ON edition_exports(document, locale, id);
CREATE TABLE memories (
  locale TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  pairs INTEGER NOT NULL,
  content BLOB NOT NULL,
  PRIMARY KEY (locale, id)
);
CREATE TABLE staged_imports (
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  name TEXT NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  content BLOB NOT NULL
);
CREATE TABLE legacy_files (
  path TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  records INTEGER NOT NULL,
  migrated_at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'history staged with a locale file write: entries made durable before the file, confirmed after it',
    sql: `
CREATE TABLE history_staged (
  id INTEGER PRIMARY KEY,
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  segment TEXT NOT NULL,
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  version INTEGER,
  suggested_by TEXT,
  batch TEXT NOT NULL
);
CREATE INDEX history_staged_batch ON history_staged(batch, id);
`,
  },
  {
    version: 3,
    name: 'unit journal: saves durable before their locale file is written, the file written behind them',
    // Row numbers only ever grow, never reused once their rows are forgotten: a write names the
    // rows it holds as "up to n" (AUTOINCREMENT here, an identity column in PostgreSQL).
    sql: `
CREATE TABLE unit_journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  unit_json TEXT NOT NULL
);
CREATE INDEX unit_journal_locale ON unit_journal(document, locale, id);
`,
  },
  {
    version: 4,
    name: 'dismissed checks: a check a person dismissed for the translation of a paragraph',
    sql: `
CREATE TABLE check_dismissals (
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  segment TEXT NOT NULL,
  check_id TEXT NOT NULL,
  target TEXT NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (document, locale, segment, check_id)
);
`,
  },
  {
    version: 5,
    name: 'glossaries: terms per target language, a revision per glossary, files staged for a previewed import',
    // source_key is the term folded (one entry per term, whatever its capitals); the revision of a
    // glossary goes up at each change, so every process sees a change of another.
    sql: `
CREATE TABLE glossary_terms (
  locale TEXT NOT NULL,
  id TEXT NOT NULL,
  source_language TEXT NOT NULL,
  source TEXT NOT NULL,
  source_key TEXT NOT NULL,
  translations_json TEXT NOT NULL,
  forbidden_json TEXT NOT NULL,
  part_of_speech TEXT NOT NULL,
  note TEXT NOT NULL,
  case_sensitive INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (locale, id)
);
CREATE UNIQUE INDEX glossary_terms_key ON glossary_terms(locale, source_language, source_key);
CREATE TABLE glossary_revisions (
  locale TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
);
CREATE TABLE glossary_imports (
  id TEXT PRIMARY KEY,
  locale TEXT NOT NULL,
  name TEXT NOT NULL,
  source_language TEXT NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  content BLOB NOT NULL
);
`,
  },
  {
    version: 6,
    name: 'people: deactivated accounts (their history stays theirs), one-time links to set a new password',
    // A link's secret is never stored, only its SHA-256; a link is used once, and dies with its user.
    sql: `
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
CREATE TABLE password_resets (
  hash TEXT PRIMARY KEY,
  user_key TEXT NOT NULL REFERENCES users(name_key) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets(user_key);
`,
  },
  {
    version: 7,
    name: 'alignments: an existing translation aligned with its source, kept between its preview and its confirmation',
    sql: `
CREATE TABLE staged_alignments (
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  locale TEXT NOT NULL,
  name TEXT NOT NULL,
  who TEXT NOT NULL,
  at TEXT NOT NULL,
  blocks_json TEXT NOT NULL,
  links_json TEXT NOT NULL,
  revisions_json TEXT NOT NULL
);
`,
  },
  {
    version: 8,
    name: 'alignments: the links the aligner made, with their confidences, kept with a preview (a view or an adjustment no longer aligns again)',
    // Null for a preview staged before: its views align again, as they did.
    sql: `
ALTER TABLE staged_alignments ADD COLUMN scored_json TEXT;
`,
  },
  {
    version: 9,
    name: "history: who did what read from the index alone (an edition's credits, the people's counts), not from every entry of the locale",
    // The same index by person, with the action and who suggested in it: a book's credits read
    // 424,000 entries through the table (230 ms, holding up the saves), now its index (153 ms).
    sql: `
DROP INDEX history_who;
CREATE INDEX history_who ON history(document, locale, who, id, action, suggested_by);
`,
  },
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
