import type { NextFunction, Request, Response } from 'express';
import { actorOf } from '../auth/authenticate';
import { WorkbenchError } from '../errors';

/** Paths anyone may open even in a private project: logging in and setting up need them. */
const OPEN = /^\/(?:login|logout|setup\/[^/]+|healthz|assets\/.*)$/;

/** For a private project: nobody reads without logging in (a browser is sent to the login page). */
export function requireLoginToRead() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (actorOf(res) || OPEN.test(req.path)) return next();
    if (!req.path.startsWith('/api/') && req.method === 'GET' && req.accepts('html')) {
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    next(new WorkbenchError(401, 'login-required', 'This project is private: log in to read it.'));
  };
}
