import { createHash, randomBytes } from 'node:crypto';
import { SESSION_IDLE_MS, SESSION_MAX_MS, type Session, type SessionStore } from '../../auth/sessionStore';
import { userNameKey } from '../../accounts/userNames';
import type { SqlDatabase } from './openDatabase';

/** A session's last use is written at most this often: reading a page should not mean a write each time. */
const TOUCH_EVERY_MS = 60 * 1000;

/** The database keeps the SHA-256 of a session id, never the id: a copy of the database signs nobody in. */
const idHash = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex');

/** Sessions in the project database; expired ones are swept when a session is opened. */
export function createSqlSessionStore(db: SqlDatabase, now: () => number = Date.now): SessionStore {
  const q = {
    insert: db.prepare('INSERT INTO sessions (id_hash, user_key, created_at, last_seen) VALUES (?, ?, ?, ?)'),
    get: db.prepare<[string], { user_key: string; created_at: number; last_seen: number }>('SELECT user_key, created_at, last_seen FROM sessions WHERE id_hash = ?'),
    touch: db.prepare('UPDATE sessions SET last_seen = ? WHERE id_hash = ?'),
    delete: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    deleteUser: db.prepare('DELETE FROM sessions WHERE user_key = ?'),
    sweep: db.prepare('DELETE FROM sessions WHERE last_seen < ? OR created_at < ?'),
  };
  const sweep = () => {
    const at = now();
    return q.sweep.run(at - SESSION_IDLE_MS, at - SESSION_MAX_MS).changes;
  };
  return {
    create(user) {
      sweep();
      const at = now();
      const id = randomBytes(32).toString('base64url');
      q.insert.run(idHash(id), userNameKey(user), at, at);
      return { id, user, createdAt: at, lastSeen: at };
    },
    get(id) {
      if (typeof id !== 'string' || id === '') return undefined;
      const hash = idHash(id);
      const row = q.get.get(hash);
      if (!row) return undefined;
      const at = now();
      if (at - row.last_seen > SESSION_IDLE_MS || at - row.created_at > SESSION_MAX_MS) {
        q.delete.run(hash);
        return undefined;
      }
      if (at - row.last_seen > TOUCH_EVERY_MS) q.touch.run(at, hash);
      const session: Session = { id, user: row.user_key, createdAt: row.created_at, lastSeen: at };
      return session;
    },
    destroy(id) {
      if (typeof id === 'string') q.delete.run(idHash(id));
    },
    destroyUser(user) {
      q.deleteUser.run(userNameKey(user));
    },
    sweep,
  };
}
