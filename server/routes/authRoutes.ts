import { Router, type Request, type Response } from 'express';
import type { AccountRepository } from '../accounts/accountRepository';
import { actorOf, SESSION_COOKIE } from '../auth/authenticate';
import type { LoginThrottle } from '../auth/loginThrottle';
import type { SessionStore } from '../auth/sessionStore';
import type { SetupGate } from '../auth/setupGate';
import { isWorkbenchError, WorkbenchError } from '../errors';

/** Where to go after logging in: a path of this site only (never another host). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

/** Login, logout, the first-start admin setup and the people page. */
export function authRoutes(deps: { accounts: AccountRepository; sessions: SessionStore; throttle: LoginThrottle; setup: SetupGate }): Router {
  const { accounts, sessions, throttle, setup } = deps;
  const router = Router();

  /** Starts a session for `name`, ending the one the browser had: the id always changes at login. */
  const signIn = (req: Request, res: Response, name: string) => {
    sessions.destroy(req.cookies?.[SESSION_COOKIE]);
    const session = sessions.create(name);
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
  };

  router.get('/login', (req, res) => {
    res.render('login', { next: safeNext(req.query.next), name: '', loginError: undefined });
  });

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as { name?: unknown; password?: unknown; next?: unknown };
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    // Counted before the (slow) password check: attempts sent at once cannot all get one.
    const { retryAfter, attempt } = throttle.begin(name, address);
    if (!attempt) {
      res.set('Retry-After', String(retryAfter));
      throw new WorkbenchError(429, 'too-many-attempts', `Too many failed logins. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, { params: { count: Math.ceil(retryAfter / 60) } });
    }
    const user = name && password ? await accounts.checkPassword(name, password) : undefined;
    if (!user) {
      res.status(401).render('login', { next: safeNext(body.next), name, loginError: 'auth.wrongPassword' });
      return;
    }
    throttle.succeed(attempt);
    signIn(req, res, user.name);
    res.redirect(303, safeNext(body.next));
  });

  router.post('/logout', (req, res) => {
    sessions.destroy(res.locals.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/');
  });

  router.get('/setup/:token', async (req, res) => {
    if (!(await setup.accepts(req.params.token))) throw new WorkbenchError(404, 'setup-closed', 'This setup link is not valid (the project already has an admin).');
    res.render('setup', { token: req.params.token, name: '', setupError: undefined });
  });

  router.post('/setup/:token', async (req, res) => {
    if (!(await setup.accepts(req.params.token))) throw new WorkbenchError(404, 'setup-closed', 'This setup link is not valid (the project already has an admin).');
    const body = (req.body ?? {}) as { name?: unknown; password?: unknown; password2?: unknown };
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    try {
      if (body.password !== body.password2) throw new WorkbenchError(400, 'passwords-differ', 'The two passwords differ.');
      const admin = await accounts.addUser(name, [{ kind: 'admin' }], typeof body.password === 'string' ? body.password : '');
      setup.consume();
      signIn(req, res, admin.name);
      res.redirect(303, '/admin/users');
    } catch (err) {
      if (!isWorkbenchError(err) || err.status >= 500) throw err;
      res.status(err.status).render('setup', { token: req.params.token, name, setupError: err.message });
    }
  });

  // Each person's own API tokens: made and revoked by their owner; the secret is shown once.
  const renderAccount = async (res: Response, name: string, created?: string) => {
    res.render('account', { tokens: await accounts.listTokens(name), created });
  };
  const signedIn = (res: Response) => {
    const actor = actorOf(res);
    if (!actor) throw new WorkbenchError(401, 'login-required', 'Log in to see your account.');
    return actor;
  };

  router.get('/account', async (_req, res) => renderAccount(res, signedIn(res).name));

  router.post('/account/tokens', async (req, res) => {
    const actor = signedIn(res);
    const label = typeof (req.body as { label?: unknown }).label === 'string' ? String((req.body as { label: string }).label).slice(0, 100) : undefined;
    const { token } = await accounts.createToken(actor.name, label || undefined);
    res.status(201);
    await renderAccount(res, actor.name, token);
  });

  router.post('/account/tokens/:id/revoke', async (req, res) => {
    const actor = signedIn(res);
    await accounts.revokeToken(actor.name, req.params.id);
    res.redirect(303, '/account');
  });

  return router;
}
