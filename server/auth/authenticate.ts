import type { NextFunction, Request, Response } from 'express';
import type { AccountRepository } from '../accounts/accountRepository';
import { WorkbenchError } from '../errors';
import type { Actor } from './permissions';
import type { SessionStore } from './sessionStore';

/** The session cookie's name. */
export const SESSION_COOKIE = 'wb_session';

/** How the request proved who it is, if it did. */
export type AuthVia = 'token' | 'session' | undefined;

/** The signed-in person of a request (set by `authenticate`). */
export function actorOf(res: Response): Actor | undefined {
  return res.locals.actor as Actor | undefined;
}

/**
 * Finds out who is asking: an `Authorization: Bearer` API token (scripts), else the session
 * cookie (browsers). The user is looked up on every request, so a role change or a removed
 * user takes effect at once. An unknown or revoked token is 401; a stale session is just ignored.
 */
export function authenticate(accounts: AccountRepository, sessions: SessionStore) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    if (header !== undefined) {
      const match = /^Bearer[ ]+([^\s]+)$/i.exec(header.trim());
      if (!match) throw new WorkbenchError(401, 'authorization-invalid', 'Send an API token as "Authorization: Bearer <token>".');
      const user = await accounts.verifyToken(match[1]);
      if (!user) throw new WorkbenchError(401, 'token-invalid', 'This API token is unknown or has been revoked.');
      res.locals.actor = { name: user.name, roles: user.roles } satisfies Actor;
      res.locals.authVia = 'token' satisfies AuthVia;
      return next();
    }
    const session = sessions.get(req.cookies?.[SESSION_COOKIE]);
    if (session) {
      const user = await accounts.getUser(session.user);
      // A deactivated account's sessions end with it.
      if (user && !user.deactivatedAt) {
        res.locals.actor = { name: user.name, roles: user.roles } satisfies Actor;
        res.locals.authVia = 'session' satisfies AuthVia;
        res.locals.sessionId = session.id;
      } else {
        sessions.destroy(session.id);
      }
    }
    next();
  };
}
