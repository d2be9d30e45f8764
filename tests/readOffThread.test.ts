import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../server/storage/sql/openDatabase';
import { readOffThread, readsOffThread } from '../server/storage/sql/readOffThread';

// A server's long reads of the project database (an edition's credits, the people's counts over a
// book's history) run on a thread of their own: the server's thread serves saves meanwhile. A
// command's are made on its own thread: it would only wait for the other to start.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-reader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Counts to `n` in SQL: a read that takes SQLite a while. */
const SLOW = { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT COUNT(*) AS n FROM c', params: [3_000_000] };

test("a server's read off the thread gives the rows a read here gives, and the thread is free meanwhile", async () => {
  const db = openDatabase(path.join(dir, 'workbench.db'));
  readsOffThread(db);
  try {
    db.prepare('INSERT INTO history (document, locale, segment, at, who, action) VALUES (?, ?, ?, ?, ?, ?)').run('doc', 'es', 's1', '2026-01-01T00:00:00Z', 'a translator', 'save');
    const read = { sql: 'SELECT who, action FROM history WHERE document = ? AND locale = ? ORDER BY id', params: ['doc', 'es'] };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const [rows, counted] = await readOffThread(db, [read, SLOW]);
    clearInterval(timer);
    expect(rows).toEqual([{ who: 'a translator', action: 'save' }]);
    expect(counted).toEqual([{ n: 3_000_000 }]);
    // Counting to three million takes SQLite a few hundred milliseconds: here, the timer would not
    // have run once.
    expect(ticks).toBeGreaterThanOrEqual(5);
    // What a save commits meanwhile is seen by the next read.
    db.prepare('INSERT INTO history (document, locale, segment, at, who, action) VALUES (?, ?, ?, ?, ?, ?)').run('doc', 'es', 's2', '2026-01-01T00:00:01Z', 'a reviewer', 'approve');
    expect((await readOffThread(db, [read]))[0]).toEqual([
      { who: 'a translator', action: 'save' },
      { who: 'a reviewer', action: 'approve' },
    ]);
  } finally {
    db.close();
  }
});

test("a command's database is read on this thread, with the same rows", async () => {
  const db = openDatabase(path.join(dir, 'workbench.db'));
  try {
    db.prepare('INSERT INTO history (document, locale, segment, at, who, action) VALUES (?, ?, ?, ?, ?, ?)').run('doc', 'es', 's1', '2026-01-01T00:00:00Z', 'a translator', 'save');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const [rows, counted] = await readOffThread(db, [{ sql: 'SELECT who FROM history', params: [] }, SLOW]);
    clearInterval(timer);
    expect(rows).toEqual([{ who: 'a translator' }]);
    expect(counted).toEqual([{ n: 3_000_000 }]);
    // Read here: the timer did not run while SQLite counted.
    expect(ticks).toBe(0);
  } finally {
    db.close();
  }
});

test('a database in memory is read on this thread, and a read the thread cannot make is made here', async () => {
  const memory = new Database(':memory:');
  memory.exec('CREATE TABLE t (x INTEGER)');
  memory.prepare('INSERT INTO t VALUES (?)').run(7);
  expect(await readOffThread(memory, [{ sql: 'SELECT x FROM t', params: [] }])).toEqual([[{ x: 7 }]]);
  memory.close();

  // A table only this connection sees (a temporary one): the thread's connection fails to read it,
  // and the read is made here, with the same rows.
  const db = openDatabase(path.join(dir, 'workbench.db'));
  readsOffThread(db);
  try {
    db.exec('CREATE TEMP TABLE only_here (x INTEGER)');
    db.prepare('INSERT INTO only_here VALUES (?)').run(42);
    expect(await readOffThread(db, [{ sql: 'SELECT x FROM only_here', params: [] }])).toEqual([[{ x: 42 }]]);
  } finally {
    db.close();
  }
});

test('a statement that is wrong fails as it would here', async () => {
  const db = openDatabase(path.join(dir, 'workbench.db'));
  readsOffThread(db);
  try {
    // Looked at by its message: the SQLite error's class may be another test file's (the native
    // module is loaded once per process), so it need not be an Error of this file's realm.
    const failure = await readOffThread(db, [{ sql: 'SELECT x FROM nowhere', params: [] }]).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(String((failure as { message?: unknown } | undefined)?.message)).toMatch(/no such table: nowhere/);
  } finally {
    db.close();
  }
});
