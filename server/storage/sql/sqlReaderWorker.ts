/**
 * The thread long reads of the project database run on (see readOffThread.ts): its own read-only
 * connection to the file, so a read of a book's whole history (an edition's credits, the people's
 * counts) does not hold the server's thread, and the saves go on meanwhile (in WAL mode a reader
 * and the writer do not wait for each other).
 */
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** What the thread is asked: statements of SELECT, each with its parameters, on the database `file`. */
export interface SqlReadJob {
  file: string;
  reads: { sql: string; params: (string | number | null)[] }[];
}

/** Its answer to the request `id`: the rows of each statement, in order; or what went wrong. */
export type SqlReadAnswer = { id: number } & ({ rows: unknown[][] } | { error: string });

// The thread is kept for the reads after (see keptThread); each opens the file afresh, so a read
// sees the database as it is, whatever happened to the file in between.
parentPort?.on('message', ({ id, ...job }: SqlReadJob & { id: number }) => {
  let db: Database.Database | undefined;
  try {
    db = new Database(job.file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const open = db;
    // One read transaction: the statements see the same state of the database.
    const rows = open.transaction(() => job.reads.map(({ sql, params }) => open.prepare(sql).all(...params)))();
    parentPort?.postMessage({ id, rows } satisfies SqlReadAnswer);
  } catch (err) {
    parentPort?.postMessage({ id, error: (err as Error).message } satisfies SqlReadAnswer);
  } finally {
    db?.close();
  }
});
