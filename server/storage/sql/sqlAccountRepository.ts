import { randomBytes } from 'node:crypto';
import { othersCommits } from './othersCommits';
import { checkTokenLabel, newToken, RESET_HOURS, someHash, TOKEN_PATTERN, tokenHash, userNotFound, type AccountRepository } from '../../accounts/accountRepository';
import { normalizeRoles } from '../../accounts/parseRoles';
import { hashPassword, verifyPassword } from '../../accounts/passwords';
import type { PublicUser, Role, TokenInfo } from '../../accounts/types';
import { checkUserName, nameSkeleton, userNameKey } from '../../accounts/userNames';
import { WorkbenchError } from '../../errors';
import type { SqlDatabase } from './openDatabase';

interface UserRow {
  name_key: string;
  name: string;
  password_hash: string | null;
  created_at: string;
  deactivated_at: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Accounts in the project database: users, their roles in order, token hashes. Every process sees every change at once. */
export function createSqlAccountRepository(db: SqlDatabase): AccountRepository {
  const q = {
    user: db.prepare<[string], UserRow>('SELECT name_key, name, password_hash, created_at, deactivated_at FROM users WHERE name_key = ?'),
    users: db.prepare<[], UserRow>('SELECT name_key, name, password_hash, created_at, deactivated_at FROM users'),
    setActive: db.prepare('UPDATE users SET deactivated_at = ? WHERE name_key = ?'),
    insertReset: db.prepare('INSERT INTO password_resets (hash, user_key, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    dropResets: db.prepare('DELETE FROM password_resets WHERE user_key = ?'),
    reset: db.prepare<[string], { user_key: string; expires_at: string; used_at: string | null }>('SELECT user_key, expires_at, used_at FROM password_resets WHERE hash = ?'),
    useReset: db.prepare('UPDATE password_resets SET used_at = ? WHERE hash = ? AND used_at IS NULL'),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),
    roles: db.prepare<[string], { kind: string; locale: string }>('SELECT kind, locale FROM user_roles WHERE user_key = ? ORDER BY position'),
    insertUser: db.prepare('INSERT INTO users (name_key, name, password_hash, created_at) VALUES (?, ?, ?, ?)'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE name_key = ?'),
    deleteRoles: db.prepare('DELETE FROM user_roles WHERE user_key = ?'),
    insertRole: db.prepare('INSERT INTO user_roles (user_key, position, kind, locale) VALUES (?, ?, ?, ?)'),
    insertToken: db.prepare('INSERT INTO api_tokens (id, user_key, hash, label, created_at) VALUES (?, ?, ?, ?, ?)'),
    token: db.prepare<[string, string], TokenRow>(
      'SELECT t.id, u.name, t.label, t.created_at, t.revoked_at FROM api_tokens t JOIN users u ON u.name_key = t.user_key WHERE t.id = ? AND t.user_key = ?',
    ),
    revoke: db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_key = ? AND revoked_at IS NULL'),
    tokens: db.prepare<[string], TokenRow>(
      'SELECT t.id, u.name, t.label, t.created_at, t.revoked_at FROM api_tokens t JOIN users u ON u.name_key = t.user_key WHERE t.user_key = ? ORDER BY t.created_at, t.id',
    ),
    byHash: db.prepare<[string], { user_key: string; revoked_at: string | null }>('SELECT user_key, revoked_at FROM api_tokens WHERE hash = ?'),
  };

  function rolesOf(key: string): Role[] {
    return q.roles.all(key).map((r) => (r.kind === 'admin' ? { kind: 'admin' } : { kind: r.kind as 'translator' | 'reviewer', locale: r.locale }));
  }

  function publicUser(row: UserRow): PublicUser {
    const user: PublicUser = { name: row.name, roles: rolesOf(row.name_key), createdAt: row.created_at, hasPassword: row.password_hash !== null };
    if (row.deactivated_at !== null) user.deactivatedAt = row.deactivated_at;
    return user;
  }

  /** The user row a reset link's secret works for now, or undefined. */
  function resetRow(token: unknown): UserRow | undefined {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
    const reset = q.reset.get(tokenHash(token));
    if (!reset || reset.used_at !== null || reset.expires_at <= new Date().toISOString()) return undefined;
    const row = q.user.get(reset.user_key);
    return row && row.deactivated_at === null ? row : undefined;
  }

  const useReset = db.transaction((token: string, passwordHash: string) => {
    const row = resetRow(token);
    if (!row) throw resetGone();
    q.useReset.run(new Date().toISOString(), tokenHash(token));
    q.setPassword.run(passwordHash, row.name_key);
    return publicUser(row);
  });

  function requireUser(name: string): UserRow {
    const row = typeof name === 'string' ? q.user.get(userNameKey(name)) : undefined;
    if (!row) throw userNotFound(name);
    return row;
  }

  function writeRoles(key: string, roles: Role[]): void {
    q.deleteRoles.run(key);
    roles.forEach((role, i) => q.insertRole.run(key, i, role.kind, role.kind === 'admin' ? '' : role.locale));
  }

  function tokenInfo(row: TokenRow): TokenInfo {
    const info: TokenInfo = { id: row.id, user: row.name, createdAt: row.created_at };
    if (row.revoked_at !== null) info.revokedAt = row.revoked_at;
    if (row.label !== null) info.label = row.label;
    return info;
  }

  const addUser = db.transaction((name: string, roles: Role[], passwordHash: string | null) => {
    const key = userNameKey(name);
    if (q.user.get(key)) throw new WorkbenchError(409, 'user-exists', `A user "${name}" already exists (names are compared without regard to case).`, { params: { name } });
    const skeleton = nameSkeleton(name);
    const lookAlike = q.users.all().find((u) => nameSkeleton(u.name) === skeleton);
    if (lookAlike) {
      throw new WorkbenchError(409, 'user-confusable', `"${name}" looks like the existing user "${lookAlike.name}": choose a name that cannot be taken for another.`, { params: { name, other: lookAlike.name } });
    }
    const createdAt = new Date().toISOString();
    q.insertUser.run(key, name, passwordHash, createdAt);
    writeRoles(key, roles);
    return publicUser({ name_key: key, name, password_hash: passwordHash, created_at: createdAt, deactivated_at: null });
  });

  const setRoles = db.transaction((name: string, roles: Role[]) => {
    const row = requireUser(name);
    writeRoles(row.name_key, roles);
    return publicUser(row);
  });

  /** A kept user as a caller may change it (the kept one stays as read). */
  const copyUser = (user: PublicUser | undefined): PublicUser | undefined => user && { ...user, roles: user.roles.map((role) => ({ ...role })) };
  // The users and token holders requests authenticate as, kept while no other process has written
  // the database and this one has not changed an account (every change below forgets them all):
  // a save looked its token and user up again on every request, a tenth of its time.
  const othersWrote = othersCommits(db);
  const known = { at: -1, users: new Map<string, PublicUser | undefined>(), tokens: new Map<string, PublicUser | undefined>() };
  const remembered = (kind: 'users' | 'tokens', key: string, look: () => PublicUser | undefined): PublicUser | undefined => {
    const at = othersWrote();
    if (known.at !== at) {
      known.at = at;
      known.users.clear();
      known.tokens.clear();
    }
    if (known[kind].has(key)) return copyUser(known[kind].get(key));
    const user = look();
    // Bounded: a flood of made-up tokens does not grow it without end.
    if (known[kind].size >= 10_000) known[kind].clear();
    known[kind].set(key, user);
    return copyUser(user);
  };
  const changed = <A extends unknown[], R>(write: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await write(...args);
    } finally {
      known.at = -1;
    }
  };

  return {
    async listUsers() {
      return q.users
        .all()
        .sort((a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : 0))
        .map(publicUser);
    },

    async getUser(name) {
      if (typeof name !== 'string') return undefined;
      const key = userNameKey(name);
      return remembered('users', key, () => {
        const row = q.user.get(key);
        return row && publicUser(row);
      });
    },

    async countUsers() {
      return (q.count.get() as { n: number }).n;
    },

    addUser: changed(async (name, roles, password) => {
      checkUserName(name);
      const canonicalRoles = normalizeRoles(roles);
      // Checked before the slow hash for a quick answer, and again in the transaction, where it counts.
      if (q.user.get(userNameKey(name))) throw new WorkbenchError(409, 'user-exists', `A user "${name}" already exists (names are compared without regard to case).`, { params: { name } });
      const passwordHash = password === undefined ? null : await hashPassword(password);
      return addUser.immediate(name, canonicalRoles, passwordHash);
    }),

    setPassword: changed(async (name, password) => {
      requireUser(name);
      const passwordHash = await hashPassword(password);
      const { changes } = q.setPassword.run(passwordHash, userNameKey(name));
      if (changes === 0) throw userNotFound(name);
    }),

    setRoles: changed(async (name, roles) => {
      return setRoles.immediate(name, normalizeRoles(roles));
    }),

    async checkPassword(name, password) {
      const row = typeof name === 'string' ? q.user.get(userNameKey(name)) : undefined;
      const hash = row?.password_hash ?? undefined;
      const ok = await verifyPassword(password, hash ?? (await someHash()));
      return row && hash !== undefined && ok && row.deactivated_at === null ? publicUser(row) : undefined;
    },

    setActive: changed(async (name, active) => {
      const row = requireUser(name);
      q.setActive.run(active ? null : new Date().toISOString(), row.name_key);
      if (!active) q.dropResets.run(row.name_key);
      return publicUser(requireUser(name));
    }),

    createPasswordReset: changed(async (name, hours = RESET_HOURS) => {
      const row = requireUser(name);
      if (row.deactivated_at !== null) throw new WorkbenchError(409, 'user-deactivated', `${row.name}'s account is deactivated: reactivate it first.`, { params: { who: row.name } });
      const token = newToken();
      const now = new Date();
      const expiresAt = new Date(now.getTime() + hours * 3600_000).toISOString();
      db.transaction(() => {
        q.dropResets.run(row.name_key);
        q.insertReset.run(tokenHash(token), row.name_key, now.toISOString(), expiresAt);
      }).immediate();
      return { token, expiresAt };
    }),

    async passwordResetUser(token) {
      const row = resetRow(token);
      return row && publicUser(row);
    },

    usePasswordReset: changed(async (token, password) => {
      if (!resetRow(token)) throw resetGone();
      const passwordHash = await hashPassword(password);
      return useReset.immediate(token, passwordHash);
    }),

    createToken: changed(async (name, label) => {
      const checkedLabel = checkTokenLabel(label);
      const row = requireUser(name);
      const token = newToken();
      const id = randomBytes(6).toString('hex');
      q.insertToken.run(id, row.name_key, tokenHash(token), checkedLabel ?? null, new Date().toISOString());
      return { id, token };
    }),

    revokeToken: changed(async (name, id) => {
      const row = requireUser(name);
      q.revoke.run(new Date().toISOString(), String(id), row.name_key);
      const token = q.token.get(String(id), row.name_key);
      if (!token) throw new WorkbenchError(404, 'token-not-found', `User "${row.name}" has no token ${JSON.stringify(String(id).slice(0, 40))}.`);
      return tokenInfo(token);
    }),

    async listTokens(name) {
      return q.tokens.all(requireUser(name).name_key).map(tokenInfo);
    },

    async verifyToken(token) {
      if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
      const hash = tokenHash(token);
      return remembered('tokens', hash, () => {
        const found = q.byHash.get(hash);
        if (!found || found.revoked_at !== null) return undefined;
        const row = q.user.get(found.user_key);
        return row && row.deactivated_at === null ? publicUser(row) : undefined;
      });
    },
  };
}

/** A reset link that does not work (unknown, used, expired, or its user deactivated). */
function resetGone(): WorkbenchError {
  return new WorkbenchError(404, 'reset-link-invalid', 'This link to set a password does not work any more (used, expired or replaced): ask an administrator for a new one.', { params: {} });
}
