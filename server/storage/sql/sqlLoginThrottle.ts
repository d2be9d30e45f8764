import { throttleKeys, type LoginThrottle } from '../../auth/loginThrottle';
import type { SqlDatabase } from './openDatabase';

/**
 * The login throttle in the project database, so that a restart or a second server process does
 * not reset the count of failed attempts. Checking the limit and counting the attempt are one
 * IMMEDIATE transaction: parallel attempts, from this process or another, are counted one by one.
 */
export function createSqlLoginThrottle(db: SqlDatabase, options: { limit?: number; windowMs?: number; now?: () => number } = {}): LoginThrottle {
  const limit = options.limit ?? 5;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const now = options.now ?? Date.now;
  const q = {
    recent: db.prepare<[string, number], { n: number; first: number | null }>('SELECT COUNT(*) AS n, MIN(at) AS first FROM login_failures WHERE throttle_key = ? AND at > ?'),
    insert: db.prepare('INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)'),
    clear: db.prepare('DELETE FROM login_failures WHERE throttle_key = ?'),
    remove: db.prepare('DELETE FROM login_failures WHERE id = ?'),
    expire: db.prepare('DELETE FROM login_failures WHERE at <= ?'),
  };
  const begin = db.transaction((account: string, address: string) => {
    const at = now();
    const keys = throttleKeys(account, address);
    let wait = 0;
    for (const key of keys) {
      const { n, first } = q.recent.get(key, at - windowMs) as { n: number; first: number | null };
      if (n >= limit && first !== null) wait = Math.max(wait, Math.ceil((first + windowMs - at) / 1000));
    }
    if (wait > 0) return { retryAfter: wait };
    q.expire.run(at - windowMs);
    const rows = keys.map((key) => Number(q.insert.run(key, at).lastInsertRowid));
    return { retryAfter: 0, attempt: { account, rows } };
  });
  return {
    begin: (account, address) => begin.immediate(account, address),
    succeed(attempt) {
      db.transaction(() => {
        for (const row of attempt.rows) q.remove.run(row);
        q.clear.run(throttleKeys(attempt.account, '')[0]);
      }).immediate();
    },
  };
}
