import { Router, type Request, type Response } from 'express';
import type { AccountRepository } from '../accounts/accountRepository';
import { parseRoles } from '../accounts/parseRoles';
import type { PublicUser, Role } from '../accounts/types';
import { actorOf, SESSION_COOKIE } from '../auth/authenticate';
import { requirePermission } from '../auth/permissions';
import type { SessionStore } from '../auth/sessionStore';
import { isWorkbenchError, WorkbenchError } from '../errors';

/**
 * What the people page's forms send: checkboxes `role` (admin, translator:es...) and roles typed
 * for other languages, `otherRoles` (or `roles`, as a script may send them: "translator:es, admin").
 */
interface RolesForm {
  role?: unknown;
  otherRoles?: unknown;
  roles?: unknown;
}

/** The form's own values, to show again when it is refused. */
function typedRoles(body: RolesForm): { checked: string[]; other: string } {
  const checked = (Array.isArray(body.role) ? body.role : body.role === undefined ? [] : [body.role]).filter((r): r is string => typeof r === 'string');
  const other = [body.otherRoles, body.roles].filter((r): r is string => typeof r === 'string' && r.trim() !== '').join(', ');
  return { checked, other: other.slice(0, 500) };
}

/** The roles a people form asks for (400 naming a bad one; at least one). */
function rolesOf(body: RolesForm): Role[] {
  const { checked, other } = typedRoles(body);
  return parseRoles([...checked, other].filter(Boolean).join(', '));
}

const isAdmin = (user: Pick<PublicUser, 'roles'>): boolean => user.roles.some((r) => r.kind === 'admin');

/**
 * The people page (administrators): add a person with roles ticked per language, change anyone's
 * roles, give a one-time link to set a new password, deactivate and reactivate an account (its
 * history stays credited to it). The project always keeps an active administrator. And the page a
 * reset link opens, where its person sets a new password.
 */
export function peoplePages(deps: { accounts: AccountRepository; sessions: SessionStore; languages: () => Promise<string[]> }): Router {
  const { accounts, sessions, languages } = deps;
  const router = Router();

  const render = async (res: Response, extra: Record<string, unknown> = {}) => {
    const users = await accounts.listUsers();
    // Every language a document has, and every language someone already has a role in.
    const codes = new Set(await languages());
    for (const user of users) for (const role of user.roles) if (role.kind !== 'admin') codes.add(role.locale);
    res.render('users', { users, languages: [...codes].sort(), created: undefined, notice: undefined, reset: undefined, formError: undefined, typed: undefined, ...extra });
  };

  /** A change the page refused: the page again, the reason at the form (`user`: the person's row; none: the add form), what was typed kept. */
  const refused = async (res: Response, err: unknown, user: string | undefined, body: RolesForm & { name?: unknown }) => {
    if (!isWorkbenchError(err) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
    res.status(err.status);
    await render(res, { formError: { user, message: err.message }, typed: { user, name: typeof body.name === 'string' ? body.name.slice(0, 40) : '', ...typedRoles(body) } });
  };

  /** Refuses a change that would leave the project without an active administrator. */
  const keepsAnAdmin = async (name: string, after: { roles?: Role[]; active?: boolean }) => {
    const others = (await accounts.listUsers()).filter((u) => u.name !== name && !u.deactivatedAt && isAdmin(u));
    const stillAdmin = (after.active ?? true) && (after.roles ? isAdmin({ roles: after.roles }) : true);
    if (others.length === 0 && !stillAdmin) {
      const user = await accounts.getUser(name);
      if (user && isAdmin(user) && !user.deactivatedAt) {
        throw new WorkbenchError(409, 'last-admin', `${name} is the only active administrator: make someone else an administrator first.`, { params: { who: name } });
      }
    }
  };

  const person = async (name: unknown): Promise<PublicUser> => {
    const user = typeof name === 'string' ? await accounts.getUser(name) : undefined;
    if (!user) throw new WorkbenchError(404, 'user-not-found', `There is no user "${String(name).slice(0, 40)}".`, { params: { name: String(name).slice(0, 40) } });
    return user;
  };

  router.get('/admin/users', async (_req, res) => {
    requirePermission(actorOf(res), 'admin');
    await render(res);
  });

  router.post('/admin/users', async (req, res) => {
    requirePermission(actorOf(res), 'admin');
    const body = (req.body ?? {}) as RolesForm & { name?: unknown; password?: unknown };
    try {
      const user = await accounts.addUser(String(body.name ?? '').trim(), rolesOf(body), String(body.password ?? ''));
      res.status(201);
      await render(res, { created: user.name });
    } catch (err) {
      await refused(res, err, undefined, body);
    }
  });

  router.post('/admin/users/:name/roles', async (req, res) => {
    requirePermission(actorOf(res), 'admin');
    const user = await person(req.params.name);
    const body = (req.body ?? {}) as RolesForm;
    try {
      const roles = rolesOf(body);
      await keepsAnAdmin(user.name, { roles });
      await accounts.setRoles(user.name, roles);
      res.redirect(303, `/admin/users?changed=${encodeURIComponent(user.name)}#user-${encodeURIComponent(user.name)}`);
    } catch (err) {
      await refused(res, err, user.name, body);
    }
  });

  router.post('/admin/users/:name/reset', async (req, res) => {
    requirePermission(actorOf(res), 'admin');
    const user = await person(req.params.name);
    try {
      const { token, expiresAt } = await accounts.createPasswordReset(user.name);
      // Shown once, to give to the person; only its hash is kept.
      await render(res, { reset: { name: user.name, link: `${req.protocol}://${req.get('host') ?? 'localhost'}/reset/${token}`, expiresAt } });
    } catch (err) {
      await refused(res, err, user.name, {});
    }
  });

  router.post('/admin/users/:name/:change', async (req, res, next) => {
    if (req.params.change !== 'deactivate' && req.params.change !== 'activate') return next();
    const actor = requirePermission(actorOf(res), 'admin');
    const user = await person(req.params.name);
    const active = req.params.change === 'activate';
    try {
      if (!active && user.name === actor.name) throw new WorkbenchError(400, 'deactivate-self', 'You cannot deactivate your own account: ask another administrator.', { params: {} });
      if (!active) await keepsAnAdmin(user.name, { active: false });
      await accounts.setActive(user.name, active);
      // Logged out everywhere at once.
      if (!active) sessions.destroyUser(user.name);
      res.redirect(303, `/admin/users?changed=${encodeURIComponent(user.name)}#user-${encodeURIComponent(user.name)}`);
    } catch (err) {
      await refused(res, err, user.name, {});
    }
  });

  // The page of a reset link: its person sets a new password, then is logged in.
  const resetUser = async (req: Request) => {
    const user = await accounts.passwordResetUser(String(req.params.token));
    if (!user) throw new WorkbenchError(404, 'reset-link-invalid', 'This link to set a password does not work any more (used, expired or replaced): ask an administrator for a new one.', { params: {} });
    return user;
  };

  router.get('/reset/:token', async (req, res) => {
    const user = await resetUser(req);
    res.render('reset', { name: user.name, token: req.params.token, resetError: undefined });
  });

  router.post('/reset/:token', async (req, res) => {
    const user = await resetUser(req);
    const body = (req.body ?? {}) as { password?: unknown; password2?: unknown };
    try {
      if (body.password !== body.password2) throw new WorkbenchError(400, 'passwords-differ', 'The two passwords differ.');
      await accounts.usePasswordReset(String(req.params.token), typeof body.password === 'string' ? body.password : '');
    } catch (err) {
      if (!isWorkbenchError(err) || err.status !== 400) throw err;
      res.status(400).render('reset', { name: user.name, token: req.params.token, resetError: err.message });
      return;
    }
    // Every session the account had ends; this browser starts a new one.
    sessions.destroyUser(user.name);
    sessions.destroy(req.cookies?.[SESSION_COOKIE]);
    const session = sessions.create(user.name);
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    res.redirect(303, '/');
  });

  return router;
}
