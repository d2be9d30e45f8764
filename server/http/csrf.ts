import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { WorkbenchError } from '../errors';

const COOKIE = 'wb_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Double-submit CSRF protection. Every visitor gets a random token in a SameSite=Strict,
 * HttpOnly cookie; pages put it in their forms and the editor sends it as `X-CSRF-Token`.
 * A state-changing request must carry the same token, so another site cannot make a
 * visitor's browser post a translation. Every call made with a session needs it, API calls
 * included; calls with an API token (no ambient credential) do not; anonymous JSON calls must
 * at least be `Content-Type: application/json` (they are refused later for want of a login).
 */
export function csrfProtection() {
  return (req: Request, res: Response, next: NextFunction): void => {
    // A script with an API token carries no ambient credential a forged request could borrow, and
    // shows no form: no token to make (a random one and a cookie per call, for nothing).
    if (res.locals.authVia === 'token' && req.path.startsWith('/api/')) return next();
    let token: unknown = req.cookies?.[COOKIE];
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    }
    res.locals.csrfToken = token;
    if (SAFE_METHODS.has(req.method)) return next();
    // A script with an API token carries no ambient credential a forged request could borrow.
    if (res.locals.authVia === 'token') return next();

    // A multipart upload's body is parsed by its route, after this check: its form carries the
    // token in the query string of its action instead (still bound to the visitor's cookie).
    const fromQuery = req.is('multipart/form-data') ? req.query._csrf : undefined;
    const sent = req.get('x-csrf-token') ?? (req.body as Record<string, unknown> | undefined)?._csrf ?? fromQuery;
    const isApi = req.path.startsWith('/api/');
    if (isApi && sent === undefined && res.locals.authVia !== 'session') {
      if (!req.is('application/json')) {
        return next(new WorkbenchError(415, 'json-required', 'Send the request body as JSON (Content-Type: application/json).'));
      }
      return next();
    }
    if (typeof sent !== 'string' || !equal(sent, token as string)) {
      return next(new WorkbenchError(403, 'csrf-invalid', 'This form has expired or did not come from the workbench. Reload the page and try again.'));
    }
    next();
  };
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
