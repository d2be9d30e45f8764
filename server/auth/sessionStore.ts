import { randomBytes } from 'node:crypto';

/** A signed-in browser: which user, since when. */
export interface Session {
  id: string;
  user: string;
  createdAt: number;
  lastSeen: number;
}

/** How long a session lasts without use, and at most. */
const IDLE_MS = 7 * 24 * 3600 * 1000;
const MAX_MS = 30 * 24 * 3600 * 1000;

/**
 * Sessions held by the server (the cookie carries only a random id), so logging out ends a
 * session for good. Kept in memory: a restart signs everyone out, which is acceptable for a
 * single-process workbench and keeps no secrets on disk.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Opens a session for a user; a fresh random id every time (so a session id never survives a login). */
  create(user: string): Session {
    const at = this.now();
    const session = { id: randomBytes(32).toString('base64url'), user, createdAt: at, lastSeen: at };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, touched; undefined when unknown, ended or expired. */
  get(id: unknown): Session | undefined {
    if (typeof id !== 'string') return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const at = this.now();
    if (at - session.lastSeen > IDLE_MS || at - session.createdAt > MAX_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = at;
    return session;
  }

  /** Ends a session. */
  destroy(id: unknown): void {
    if (typeof id === 'string') this.sessions.delete(id);
  }

  /** Ends every session of a user (after a password change). */
  destroyUser(user: string): void {
    for (const [id, session] of this.sessions) if (session.user === user) this.sessions.delete(id);
  }
}
