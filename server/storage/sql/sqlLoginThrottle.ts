import { throttleKeys, type LoginThrottle } from '../../auth/loginThrottle';
import type { SqlDatabase } from './openDatabase';

/** The longest wait a run of failures on one account imposes between attempts. */
const MAX_BACKOFF_MS = 60_000;

/**
 * The login throttle in the project database, so that a restart or a second server process does
 * not reset the count of failed attempts. An address is refused for the rest of the window after
 * `limit` failures; an account only slows down (see begin). Checking the limit and counting the attempt are one
 * IMMEDIATE transaction: parallel attempts, from this process or another, are counted one by one.
 */
export function createSqlLoginThrottle(db: SqlDatabase, options: { limit?: number; windowMs?: number; now?: () => number } = {}): LoginThrottle {
  const limit = options.limit ?? 5;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const now = options.now ?? Date.now;
  const q = {
    recent: db.prepare<[string, number], { n: number; first: number | null; last: number | null }>(
      'SELECT COUNT(*) AS n, MIN(at) AS first, MAX(at) AS last FROM login_failures WHERE throttle_key = ? AND at > ?',
    ),
    insert: db.prepare('INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)'),
    clear: db.prepare('DELETE FROM login_failures WHERE throttle_key = ?'),
    remove: db.prepare('DELETE FROM login_failures WHERE id = ?'),
    expire: db.prepare('DELETE FROM login_failures WHERE at <= ?'),
  };
  const begin = db.transaction((account: string, address: string) => {
    const at = now();
    const keys = throttleKeys(account, address);
    const [accountKey, addressKey] = keys;
    // The address: strict, the window must pass.
    const fromAddress = q.recent.get(addressKey, at - windowMs) as { n: number; first: number | null };
    let wait = fromAddress.n >= limit && fromAddress.first !== null ? Math.ceil((fromAddress.first + windowMs - at) / 1000) : 0;
    // The account: a guesser is slowed down, 1 s after the last failure, doubling to a minute at most,
    // so that a stranger's failures can delay its owner a little but never lock them out.
    const onAccount = q.recent.get(accountKey, at - windowMs) as { n: number; last: number | null };
    if (onAccount.n >= limit && onAccount.last !== null) {
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (onAccount.n - limit));
      wait = Math.max(wait, Math.ceil((onAccount.last + backoff - at) / 1000));
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
