import { builtWorkerScript } from '../../builtWorkerScript';
import { keptThread } from '../../keptThread';
import type { SqlDatabase } from './openDatabase';
import type { SqlReadAnswer, SqlReadJob } from './sqlReaderWorker';

/**
 * The reader thread, kept between reads (see keptThread): started for each read, it took a
 * quarter of a second to start, which every export of an edition waited for (its credits).
 */
const reader = keptThread({
  script: () => builtWorkerScript(__dirname, 'sqlReaderWorker', 'database reader thread'),
  what: 'database reader thread',
  idleMs: 30_000,
  resourceLimits: { maxOldGenerationSizeMb: 512 },
});

/** A statement of SELECT and its parameters. */
export type SqlRead = SqlReadJob['reads'][number];

/** The databases of servers (see readsOffThread). */
const served = new WeakSet<SqlDatabase>();

/**
 * Has the long reads of `db` made on a thread of their own (see readOffThread): a server's, whose
 * thread has saves to serve meanwhile. A command run once waits for its read either way, and
 * would only wait for the thread to start as well.
 */
export function readsOffThread(db: SqlDatabase): void {
  served.add(db);
}

/**
 * The rows of `reads` (statements of SELECT, run in one read transaction). For a server's
 * database (see readsOffThread), read on a thread of their own with a read-only connection to
 * `db`'s file (see sqlReaderWorker): a read of a book's whole history takes a fifth of a second,
 * which the server's thread spends serving saves instead. Any other database, one in memory
 * (tests), or a thread that cannot read (it could not start, or open the file), is read on this
 * thread: the same rows, never an error the read here would not give.
 */
export async function readOffThread(db: SqlDatabase, reads: readonly SqlRead[]): Promise<unknown[][]> {
  const here = (): unknown[][] => db.transaction(() => reads.map(({ sql, params }) => db.prepare(sql).all(...params)))();
  if (!served.has(db) || db.memory || !db.open) return here();
  const job: SqlReadJob = { file: db.name, reads: [...reads] };
  let answer: SqlReadAnswer;
  try {
    answer = await reader.request<SqlReadAnswer>(job);
  } catch {
    return here();
  }
  return 'rows' in answer ? answer.rows : here();
}
