import { throttleKeys, type LoginThrottle } from '../../auth/loginThrottle';
import type { SqlDatabase } from './openDatabase';

/**
 * The login throttle in the project database, so that a restart or a second server process does
 * not reset the count of failed attempts.
 */
export function createSqlLoginThrottle(db: SqlDatabase, options: { limit?: number; windowMs?: number; now?: () => number } = {}): LoginThrottle {
  const limit = options.limit ?? 5;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const now = options.now ?? Date.now;
  const q = {
    recent: db.prepare<[string, number], { n: number; first: number | null }>('SELECT COUNT(*) AS n, MIN(at) AS first FROM login_failures WHERE throttle_key = ? AND at > ?'),
    insert: db.prepare('INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)'),
    clear: db.prepare('DELETE FROM login_failures WHERE throttle_key = ?'),
    expire: db.prepare('DELETE FROM login_failures WHERE at <= ?'),
  };
  return {
    retryAfter(account, address) {
      const since = now() - windowMs;
      let wait = 0;
      for (const key of throttleKeys(account, address)) {
        const { n, first } = q.recent.get(key, since) as { n: number; first: number | null };
        if (n >= limit && first !== null) wait = Math.max(wait, Math.ceil((first + windowMs - now()) / 1000));
      }
      return wait;
    },
    fail(account, address) {
      const at = now();
      db.transaction(() => {
        q.expire.run(at - windowMs);
        for (const key of throttleKeys(account, address)) q.insert.run(key, at);
      })();
    },
    succeed(account) {
      q.clear.run(throttleKeys(account, '')[0]);
    },
  };
}
