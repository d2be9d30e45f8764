import { Worker } from 'node:worker_threads';
import { builtWorkerScript } from '../../builtWorkerScript';
import { type SqlDatabase, whenClosed } from './openDatabase';
import type { CheckpointJob, CheckpointStart } from './sqlCheckpointWorker';

/** How often the thread copies the write-ahead log into the database. */
const CHECKPOINT_EVERY_MS = 250;

/**
 * The log's size, in pages, past which a commit of the server checkpoints it itself, as SQLite
 * does by default at 1,000 (about 16 MB of 4 KB pages). A backstop should the thread fall behind,
 * and what keeps the log's file from growing: under a steady stream of commits the thread's
 * checkpoints copy the log, but SQLite starts it again from its beginning only in a commit that
 * finds it all copied. That commit has little left to copy.
 */
const BACKSTOP_PAGES = 4_000;

/** Databases whose checkpoints a thread makes. */
const started = new WeakSet<SqlDatabase>();

/**
 * A server's project database is checkpointed on a thread of its own (see sqlCheckpointWorker),
 * not by its commits. By default SQLite checkpoints in the commit that takes the write-ahead log
 * past 1,000 pages: on the server's thread, with a sync of the database file, about every 300
 * saves of a busy server. That was close to half of the time its commits of saves took (28 µs
 * against 53 µs a save, measured on the journal's and the history's tables) and the longest pauses
 * its requests waited for. The thread's checkpoints are PASSIVE: they wait for no commit and hold
 * none up. Should the thread not start or stop, the commits checkpoint again as by default.
 */
export function checkpointOffThread(db: SqlDatabase): void {
  if (db.memory || !db.open || started.has(db)) return;
  started.add(db);
  let worker: Worker;
  try {
    const job: CheckpointJob = { file: db.name, everyMs: CHECKPOINT_EVERY_MS };
    worker = new Worker(builtWorkerScript(__dirname, 'sqlCheckpointWorker', 'database checkpoint thread'), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 64 } });
  } catch (err) {
    console.error(`The database is checkpointed by its commits: the checkpoint thread did not start (${(err as Error).message}).`);
    return;
  }
  // The server's process ends when the server does, whatever this thread does.
  worker.unref();
  let closing = false;
  const byCommits = () => {
    if (!closing && db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.once('message', (start: CheckpointStart) => {
    if ('ready' in start && db.open) db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    else void worker.terminate();
  });
  worker.once('error', byCommits);
  worker.once('exit', byCommits);
  whenClosed(db, () => {
    closing = true;
    void worker.terminate();
  });
}
