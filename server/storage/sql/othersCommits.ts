import type { Statement } from 'better-sqlite3';
import type { SqlDatabase } from './openDatabase';

const readers = new WeakMap<SqlDatabase, () => number>();

/**
 * A number that changes whenever another connection (another process: a CLI command, a second
 * server) has committed to the database since it was last read; this process's own commits leave
 * it as it is (SQLite's `PRAGMA data_version`). What a process read from the database and keeps
 * in memory is current for as long as the number is the same and the process wrote nothing that
 * changes it.
 *
 * Read once per turn of the event loop: the pragma opens and closes a read transaction (a few
 * tens of microseconds on a busy server, as much as the queries it saves), and the requests a
 * server takes in one turn arrived together, so what it says holds for all of them.
 */
export function othersCommits(db: SqlDatabase): () => number {
  let read = readers.get(db);
  if (!read) {
    const statement: Statement<[], number> = db.prepare<[], number>('PRAGMA data_version').pluck();
    let current: number | undefined;
    const forget = () => {
      current = undefined;
    };
    read = () => {
      if (current === undefined) {
        current = statement.get() as number;
        setImmediate(forget);
      }
      return current;
    };
    readers.set(db, read);
  }
  return read;
}
