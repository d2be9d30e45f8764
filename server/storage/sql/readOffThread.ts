import { builtWorkerScript } from '../../builtWorkerScript';
import { replyOfThread } from '../../replyOfThread';
import type { SqlDatabase } from './openDatabase';
import type { SqlReadAnswer, SqlReadJob } from './sqlReaderWorker';

/** A statement of SELECT and its parameters. */
export type SqlRead = SqlReadJob['reads'][number];

/**
 * The rows of `reads` (statements of SELECT, run in one read transaction), read on a thread of
 * their own with a read-only connection to `db`'s file (see sqlReaderWorker): a read of a book's
 * whole history takes a fifth of a second, which the server's thread spends serving saves instead.
 * A database in memory (tests), or a thread that cannot read (it could not start, or open the
 * file), is read on this thread: the same rows, later than the saves would like, never an error
 * the read here would not give.
 */
export async function readOffThread(db: SqlDatabase, reads: readonly SqlRead[]): Promise<unknown[][]> {
  const here = (): unknown[][] => db.transaction(() => reads.map(({ sql, params }) => db.prepare(sql).all(...params)))();
  if (db.memory || !db.open) return here();
  const job: SqlReadJob = { file: db.name, reads: [...reads] };
  let answer: SqlReadAnswer;
  try {
    answer = await replyOfThread<SqlReadAnswer>(builtWorkerScript(__dirname, 'sqlReaderWorker', 'database reader thread'), job, {
      maxOldGenerationSizeMb: 512,
      failed: (err) => err,
      stopped: (code) => new Error(`the database reader thread stopped (exit code ${code})`),
    });
  } catch {
    return here();
  }
  return 'rows' in answer ? answer.rows : here();
}
