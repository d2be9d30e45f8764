import { normalizeRoles } from '../../accounts/parseRoles';
import type { ApiToken, Role, User } from '../../accounts/types';
import { userNameKey } from '../../accounts/userNames';
import { WorkbenchError } from '../../errors';

/** `accounts/accounts.json` as the workbench wrote it before the database. */
export interface LegacyAccounts {
  users: User[];
  tokens: ApiToken[];
}

const TOKEN_HASH = /^[0-9a-f]{64}$/;

/**
 * Reads and checks an accounts file of the previous version. Anything it cannot vouch for is a 500
 * naming the file, so a migration never carries half an account into the database.
 */
export function readLegacyAccounts(content: string, shown: string): LegacyAccounts {
  const corrupt = (reason: string, cause?: unknown) =>
    new WorkbenchError(500, 'accounts-invalid', `${shown} is not a valid accounts file (${reason}); fix or restore it. Nothing was changed.`, { cause, details: { file: shown } });
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (cause) {
    throw corrupt((cause as Error).message, cause);
  }
  const data = raw as Partial<Record<'version' | 'users' | 'tokens', unknown>> | null;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw corrupt('not a JSON object');
  if (data.version !== 1) throw corrupt(`version ${JSON.stringify(data.version)}, expected 1`);
  if (!Array.isArray(data.users) || !Array.isArray(data.tokens)) throw corrupt('"users" and "tokens" must be lists');
  const names = new Map<string, string>();
  const users = data.users.map((u: unknown, i): User => {
    const user = u as Partial<Record<keyof User, unknown>> | null;
    if (!user || typeof user !== 'object' || typeof user.name !== 'string' || user.name === '' || typeof user.createdAt !== 'string') {
      throw corrupt(`user ${i + 1} needs a name and a createdAt`);
    }
    if (user.passwordHash !== undefined && typeof user.passwordHash !== 'string') throw corrupt(`user "${user.name}": passwordHash is not text`);
    if (names.has(userNameKey(user.name))) throw corrupt(`the name "${user.name}" appears twice`);
    names.set(userNameKey(user.name), user.name);
    let roles: Role[];
    try {
      roles = normalizeRoles(user.roles);
    } catch (err) {
      throw corrupt(`user "${user.name}": ${(err as Error).message}`, err);
    }
    const result: User = { name: user.name, roles, createdAt: user.createdAt };
    if (user.passwordHash !== undefined) result.passwordHash = user.passwordHash;
    return result;
  });
  const ids = new Set<string>();
  const tokens = data.tokens.map((t: unknown, i): ApiToken => {
    const token = t as Partial<Record<keyof ApiToken, unknown>> | null;
    if (!token || typeof token !== 'object' || typeof token.id !== 'string' || !token.id || typeof token.user !== 'string' || typeof token.createdAt !== 'string') {
      throw corrupt(`token ${i + 1} needs an id, a user and a createdAt`);
    }
    if (typeof token.hash !== 'string' || !TOKEN_HASH.test(token.hash)) throw corrupt(`token ${token.id}: hash is not a SHA-256 in hex`);
    if (ids.has(token.id)) throw corrupt(`the token id ${token.id} appears twice`);
    ids.add(token.id);
    // A token whose owner is gone would otherwise act for whoever takes the name next.
    if (names.get(userNameKey(token.user)) !== token.user) throw corrupt(`token ${token.id} belongs to no user ("${token.user}")`);
    if (token.revokedAt !== undefined && typeof token.revokedAt !== 'string') throw corrupt(`token ${token.id}: revokedAt is not text`);
    if (token.label !== undefined && typeof token.label !== 'string') throw corrupt(`token ${token.id}: label is not text`);
    const result: ApiToken = { id: token.id, user: token.user, hash: token.hash, createdAt: token.createdAt };
    if (token.revokedAt !== undefined) result.revokedAt = token.revokedAt;
    if (token.label !== undefined) result.label = token.label;
    return result;
  });
  return { users, tokens };
}
