/** A signed-in browser: which user, since when. */
export interface Session {
  id: string;
  user: string;
  createdAt: number;
  lastSeen: number;
}

/** How long a session lasts without use, and at most. */
export const SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;
export const SESSION_MAX_MS = 30 * 24 * 3600 * 1000;

/**
 * Sessions held by the server (the cookie carries only a random id), so logging out ends a session
 * for good. Kept in the project database: a restart keeps people signed in.
 */
export interface SessionStore {
  /** Opens a session for a user; a fresh random id every time (so a session id never survives a login). */
  create(user: string): Session;
  /** The live session with this id, touched; undefined when unknown, ended or expired. */
  get(id: unknown): Session | undefined;
  /** Ends a session. */
  destroy(id: unknown): void;
  /** Ends every session of a user (after a password change). */
  destroyUser(user: string): void;
  /** Forgets every expired session. */
  sweep(): number;
}
