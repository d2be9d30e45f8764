import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../server/storage/sql/migrations';
import { databaseFileOf, openDatabase } from '../server/storage/sql/openDatabase';
import { WHO_DID_WHAT } from '../server/storage/sql/sqlHistoryRepository';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';

let project: TestProject;
let file: string;
beforeEach(() => {
  project = makeProject();
  file = databaseFileOf(project.dir);
});
afterEach(() => project.cleanup());

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** Starts the real server over the project; it must refuse, so it ends by itself. */
function startServer(): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/server/server.js')], {
    env: { ...process.env, WORKBENCH_DATA: project.dir, PORT: '0' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('the project database', () => {
  it('is made at first use with every migration recorded, in WAL mode, readable by its owner only', () => {
    const db = openDatabase(file);
    const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A second opening migrates nothing again.
    const again = openDatabase(file);
    expect((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('reads who did what in a locale (credits, the people\'s counts) from an index alone, not from its every entry', () => {
    const db = openDatabase(file);
    for (const [name, sql] of Object.entries(WHO_DID_WHAT)) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('doc', 'es') as { detail: string }[]).map((row) => row.detail);
      expect({ name, scan: plan.find((detail) => /\bhistory\b/.test(detail)) }).toEqual({ name, scan: expect.stringMatching(/USING COVERING INDEX history_who \(document=\? AND locale=\?\)/) });
    }
    db.close();
  });

  it('refuses a file that is not an SQLite database, naming it, and leaves it as it is', () => {
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(20));
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'database-invalid', message: expect.stringContaining(file) }));
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);

    const started = startServer();
    expect(started.status).toBe(1);
    expect(started.stderr).toContain(`${file} is not an SQLite database`);
    expect(sha(file)).toBe(before);
  });

  it('refuses a damaged database at start, naming it, and leaves it as it is', () => {
    const db = openDatabase(file);
    const insert = db.prepare('INSERT INTO history (document, locale, segment, at, who, action) VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 2000; i++) insert.run('small', 'es', `s${i}`, '2026-01-01T00:00:00.000Z', 'Ana', `save with some words to fill pages ${i}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Garbage over a few pages in the middle: the header is still SQLite's, the tree is not.
    const bytes = readFileSync(file);
    for (let i = 8192; i < 8192 + 3 * 4096 && i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(file, bytes);
    const before = sha(file);
    expect(() => openDatabase(file, { check: true })).toThrow(expect.objectContaining({ code: 'database-corrupt', message: expect.stringContaining(file) }));
    expect(sha(file)).toBe(before);

    const started = startServer();
    expect(started.status).toBe(1);
    expect(started.stderr).toContain(`${file} is damaged`);
    expect(sha(file)).toBe(before);
  });

  it('refuses a database written by a newer workbench, naming both versions, and touches nothing', () => {
    openDatabase(file).close();
    const newer = new Database(file);
    newer.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 5, 'from the future', '2030-01-01T00:00:00.000Z');
    newer.pragma('wal_checkpoint(TRUNCATE)');
    newer.pragma('journal_mode = DELETE');
    newer.close();
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(
      expect.objectContaining({ code: 'database-too-new', message: expect.stringContaining(`schema version ${SCHEMA_VERSION + 5}; this one knows up to ${SCHEMA_VERSION}`) }),
    );
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);

    const started = startServer();
    expect(started.status).toBe(1);
    expect(started.stderr).toContain(`schema version ${SCHEMA_VERSION + 5}`);
    expect(sha(file)).toBe(before);
  });
});
