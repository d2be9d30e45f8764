/**
 * The thread that checkpoints a server's project database (see checkpointOffThread.ts): its own
 * connection to the file, which copies the committed pages of the write-ahead log into the
 * database every little while, PASSIVE (it never waits for, nor blocks, the server's commits and
 * reads). It says once whether it could open the file; then, after each checkpoint, nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** What the thread is given: the database file and how often to checkpoint it. */
export interface CheckpointJob {
  file: string;
  everyMs: number;
}

/** Its first message: ready, or why it cannot checkpoint (the server then checkpoints as SQLite does by default). */
export type CheckpointStart = { ready: true } | { error: string };

const job = workerData as CheckpointJob;
let db: Database.Database | undefined;
try {
  db = new Database(job.file, { fileMustExist: true });
  // A checkpoint that meets a busy database is simply tried again at the next turn.
  db.pragma('busy_timeout = 0');
  db.pragma('journal_mode = WAL');
  // The connection's own commits (none) would not checkpoint; its checkpoints are the point.
  db.pragma('wal_autocheckpoint = 0');
  parentPort?.postMessage({ ready: true } satisfies CheckpointStart);
} catch (err) {
  parentPort?.postMessage({ error: (err as Error).message } satisfies CheckpointStart);
  db = undefined;
}

if (db) {
  const open = db;
  const checkpoint = open.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  setInterval(() => {
    try {
      checkpoint.run();
    } catch {
      // SQLITE_BUSY (another checkpoint under way, a process recovering the log): tried again at the next turn.
    }
  }, job.everyMs);
}
