import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middleware run one after the other as one layer of the router: what every request goes through
 * (cookies, language, bodies, sign-in, CSRF). As layers of their own, each cost the router's walk
 * (its matching, its bookkeeping of the URL) at every request, a tenth of a busy server's save for
 * the eight of them. Each is called as the router calls it: `next()` goes on to the one after,
 * `next(err)` (or a throw, or a rejected promise) goes to the error handlers; `next('route')` and
 * `next('router')` are handed to the router (they skip the rest of the series).
 */
export function series(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction): void => {
    let index = 0;
    const next = (err?: unknown): void => {
      // As the router reads it: a value that is not truthy is no error.
      if (err) {
        done(err);
        return;
      }
      const handler = handlers[index++];
      if (!handler) {
        done();
        return;
      }
      try {
        const returned: unknown = handler(req, res, next);
        if (returned instanceof Promise) returned.catch((error: unknown) => done(error ?? new Error('Rejected promise')));
      } catch (error) {
        done(error);
      }
    };
    next();
  };
}
