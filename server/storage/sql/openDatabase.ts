import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WorkbenchError } from '../../errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

/** The handle the SQL repositories take. */
export type SqlDatabase = Database.Database;

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The database file of a project folder. */
export function databaseFileOf(dataDir: string): string {
  return path.join(dataDir, 'workbench.db');
}

function refuse(code: string, message: string, cause?: unknown): WorkbenchError {
  return new WorkbenchError(500, code, message, { cause });
}

/** Refuses a file that is there but is not an SQLite database, before SQLite is let near it. */
function checkHeader(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw refuse('database-unreadable', `Cannot read the database ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, err);
  }
  try {
    const head = Buffer.alloc(16);
    const read = readSync(fd, head, 0, 16, 0);
    // An empty file is what a crash right after creating it leaves: SQLite makes a database of it.
    if (read === 0) return;
    if (read < 16 || !head.equals(SQLITE_HEADER)) {
      throw refuse('database-invalid', `${file} is not an SQLite database. It was left as it is: restore it from a backup, or move it away to start with no records.`);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates a new database file readable by its owner only: it holds password and token hashes.
 * SQLite gives its -wal and -shm files the same mode.
 */
function createPrivately(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw refuse('database-unreadable', `Cannot create the database ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, err);
  }
  writeSync(fd, Buffer.alloc(0));
  closeSync(fd);
}

/** The newest migration recorded in the database (0 for a new one), read without writing anything. */
function appliedVersion(db: SqlDatabase): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/** Runs the migrations the database has not had yet, each recorded in the same transaction. */
function migrate(db: SqlDatabase): void {
  // IMMEDIATE: a second process starting at the same moment waits here instead of migrating twice.
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = appliedVersion(db);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const step of MIGRATIONS) {
      if (step.version <= applied) continue;
      db.exec(step.sql);
      record.run(step.version, step.name, new Date().toISOString());
    }
  }).immediate();
}

/**
 * Opens (creating it if needed) the database of a project and brings its schema up to date.
 * Refused, with nothing written: a file that is not SQLite, a corrupt one, and one made by a newer
 * version of the workbench. WAL lets the server and CLI commands read while one of them writes;
 * `synchronous = FULL` makes a commit durable before it is acknowledged.
 */
export function openDatabase(file: string, options: { check?: boolean } = {}): SqlDatabase {
  checkHeader(file);
  createPrivately(file);
  let db: SqlDatabase;
  try {
    db = new Database(file);
  } catch (err) {
    throw refuse('database-unreadable', `Cannot open the database ${file}: ${(err as Error).message}.`, err);
  }
  try {
    db.pragma('busy_timeout = 10000');
    let version: number;
    try {
      version = appliedVersion(db);
    } catch (err) {
      throw refuse('database-corrupt', `${file} is damaged (${(err as Error).message}). It was left as it is: restore it from a backup.`, err);
    }
    if (version > SCHEMA_VERSION) {
      throw refuse(
        'database-too-new',
        `${file} was written by a newer workbench (schema version ${version}; this one knows up to ${SCHEMA_VERSION}). It was left as it is: run the newer workbench, or restore a backup made with this one.`,
      );
    }
    if (options.check) {
      const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
      if (problems.length !== 1 || problems[0] !== 'ok') {
        throw refuse('database-corrupt', `${file} is damaged (${problems.slice(0, 3).join('; ')}). It was left as it is: restore it from a backup.`);
      }
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof WorkbenchError) throw err;
    const code = (err as { code?: string }).code ?? '';
    const damaged = code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB');
    throw refuse(
      damaged ? 'database-corrupt' : 'database-unusable',
      `${file} ${damaged ? 'is damaged' : 'cannot be used'} (${(err as Error).message}). It was left as it is: ${damaged ? 'restore it from a backup' : 'check its permissions and the disk'}.`,
      err,
    );
  }
}

const open = new Map<string, SqlDatabase>();

/** What closes with a database: files kept open beside it (see whenClosed). */
const companions = new WeakMap<SqlDatabase, (() => void)[]>();

/**
 * Runs `close` when closeProjectDatabase closes `db`: for a file a repository keeps open as long
 * as its database (left to the garbage collector, Node warns, and will throw in a later version).
 */
export function whenClosed(db: SqlDatabase, close: () => void): void {
  const list = companions.get(db) ?? [];
  list.push(close);
  companions.set(db, list);
}

/** The database of a project folder, opened once per process and shared by every store over it. */
export function projectDatabase(dataDir: string, options: { check?: boolean } = {}): SqlDatabase {
  const file = databaseFileOf(path.resolve(dataDir));
  let db = open.get(file);
  if (!db || !db.open) {
    db = openDatabase(file, options);
    open.set(file, db);
  }
  return db;
}

/** Closes the project's database if this process opened it (tests, and a CLI command at its end). */
export function closeProjectDatabase(dataDir: string): void {
  const file = databaseFileOf(path.resolve(dataDir));
  const db = open.get(file);
  open.delete(file);
  if (!db) return;
  for (const close of companions.get(db) ?? []) close();
  companions.delete(db);
  if (db.open) db.close();
}
