import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import { WorkbenchError } from '../errors';
import { fileIdentity, sameFile, type FileIdentity } from '../storage/fileIdentity';
import { writeFileAtomic, type AtomicWriteFs } from '../storage/writeFileAtomic';
import { hashPassword, verifyPassword } from './passwords';
import { normalizeRoles } from './parseRoles';
import type { ApiToken, PublicUser, Role, TokenInfo, User } from './types';
import { checkUserName, userNameKey } from './userNames';

/** Users, their roles and password hashes, and API tokens. Everything handed out is a copy without secrets or hashes. */
export interface AccountStore {
  /** The accounts file. */
  readonly file: string;
  /** Every user, sorted by name (case-insensitively). */
  listUsers(): Promise<PublicUser[]>;
  /** The user of that name (case-insensitive), or undefined. */
  getUser(name: string): Promise<PublicUser | undefined>;
  countUsers(): Promise<number>;
  /** Adds a user (409 when the name exists in any case). Without a password the user cannot log in with one (tokens only). */
  addUser(name: string, roles: Role[], password?: string): Promise<PublicUser>;
  /** Replaces the user's password (404 for an unknown user, 400 when it breaks the rules). */
  setPassword(name: string, password: string): Promise<void>;
  /** Replaces the user's roles (at least one). */
  setRoles(name: string, roles: Role[]): Promise<PublicUser>;
  /** The user when `password` is theirs, else undefined (same cost whether or not the user exists). */
  checkPassword(name: string, password: string): Promise<PublicUser | undefined>;
  /** Creates an API token for the user; `token` is the secret, returned this once and never stored. */
  createToken(name: string, label?: string): Promise<{ id: string; token: string }>;
  /** Revokes one of the user's tokens (404 when the user has no token of that id); revoking twice is harmless. */
  revokeToken(name: string, id: string): Promise<TokenInfo>;
  /** The user's tokens, revoked ones included (with revokedAt), oldest first; never the hash. */
  listTokens(name: string): Promise<TokenInfo[]>;
  /** The owner of an active token, or undefined for a malformed, unknown or revoked one. */
  verifyToken(token: string): Promise<PublicUser | undefined>;
}

interface AccountsData {
  version: 1;
  users: User[];
  tokens: ApiToken[];
}

interface CacheEntry extends FileIdentity {
  data: AccountsData;
}

export const TOKEN_PREFIX = 'wb_';
/** `wb_` + 32 random bytes in base64url (43 characters, no padding). */
export const TOKEN_PATTERN = /^wb_[A-Za-z0-9_-]{43}$/;
const TOKEN_HASH = /^[0-9a-f]{64}$/;
const LABEL_MAX = 200;

/**
 * Tail of the write queue of each accounts file, shared by every store of this process: writes to
 * one file run one at a time, in call order, even through two store objects. (Another process, such
 * as the CLI while the server runs, is not serialized with these; each write re-reads the file first,
 * so the window is a few milliseconds.)
 */
const queues = new Map<string, Promise<void>>();

function exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task);
  // The tail never rejects, so one failing write does not block the next.
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** Creates the temp file of an atomic write with mode 0600, so the hashes are never readable by others, not even for a moment. */
const privateFs: AtomicWriteFs = {
  open: ((file: Parameters<typeof fsPromises.open>[0], flags?: string | number, mode?: number) =>
    fsPromises.open(file, flags, flags === 'wx' ? 0o600 : mode)) as typeof fsPromises.open,
  rename: fsPromises.rename,
  unlink: fsPromises.unlink,
};

/** SHA-256 of a token. A fast hash is right here: the token holds 256 random bits, so there is nothing to brute-force and no need for a slow, salted password hash. */
function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function publicUser(user: User): PublicUser {
  return { name: user.name, roles: user.roles.map((r) => ({ ...r })), createdAt: user.createdAt, hasPassword: typeof user.passwordHash === 'string' };
}

function tokenInfo(token: ApiToken): TokenInfo {
  const info: TokenInfo = { id: token.id, user: token.user, createdAt: token.createdAt };
  if (token.revokedAt !== undefined) info.revokedAt = token.revokedAt;
  if (token.label !== undefined) info.label = token.label;
  return info;
}

function notFound(name: string): WorkbenchError {
  return new WorkbenchError(404, 'user-not-found', `There is no user "${name}".`);
}

function checkLabel(label: unknown): string | undefined {
  if (label === undefined) return undefined;
  if (typeof label !== 'string') throw new WorkbenchError(400, 'invalid-token-label', 'A token label is text.');
  const trimmed = label.trim();
  // eslint-disable-next-line no-control-regex
  if ([...trimmed].length > LABEL_MAX || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new WorkbenchError(400, 'invalid-token-label', `A token label is at most ${LABEL_MAX} characters on one line.`);
  }
  return trimmed === '' ? undefined : trimmed;
}

let dummyHash: Promise<string> | undefined;
/** A hash to verify against when the user does not exist, so a login costs the same either way. */
function someHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

/**
 * An AccountStore keeping users and tokens in one JSON file (mode 0600), written atomically, writes
 * serialized, re-read whenever its mtime, size or inode changes (a hand edit is seen). A file that
 * cannot be read as accounts is a 500 naming it, for reads and writes alike: it is never overwritten.
 */
export function createFileAccountStore(options: { file: string; displayName?: string }): AccountStore {
  const file = path.resolve(options.file);
  // Named relative to the project (accounts/accounts.json), as the other stores name their files.
  const shown = options.displayName ?? path.join(path.basename(path.dirname(file)), path.basename(file));
  let cache: CacheEntry | undefined;

  function corrupt(reason: string, cause?: unknown): WorkbenchError {
    return new WorkbenchError(500, 'accounts-invalid', `${shown} is not a valid accounts file (${reason}); fix or restore it. Nothing was changed.`, {
      cause,
      details: { file: shown },
    });
  }

  function parse(content: string): AccountsData {
    let raw: unknown;
    try {
      raw = JSON.parse(content);
    } catch (cause) {
      throw corrupt((cause as Error).message, cause);
    }
    const data = raw as Partial<Record<keyof AccountsData, unknown>> | null;
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
    return { version: 1, users, tokens };
  }

  /** The accounts as on disk (cached while the file's mtime, size and inode are unchanged). Never mutate the result. */
  async function load(): Promise<AccountsData> {
    let handle: fsPromises.FileHandle;
    try {
      handle = await fsPromises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        cache = undefined;
        return { version: 1, users: [], tokens: [] };
      }
      throw new WorkbenchError(500, 'accounts-unreadable', `Cannot read ${shown}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, { cause: err });
    }
    try {
      // Stat and read through one handle: the bytes belong to the stat even if the file is replaced meanwhile.
      const stats = await handle.stat();
      if (cache && sameFile(cache, stats)) return cache.data;
      cache = undefined;
      const data = parse(await handle.readFile('utf8'));
      cache = { ...fileIdentity(stats), data };
      return data;
    } finally {
      await handle.close();
    }
  }

  /**
   * Runs `change` on a fresh copy of the accounts under the write queue and writes the result.
   * The file is re-read first, so a corrupt file throws here and is never overwritten.
   */
  function update<T>(change: (data: AccountsData) => T): Promise<T> {
    return exclusive(file, async () => {
      const data = structuredClone(await load());
      const result = change(data);
      const content = `${JSON.stringify(data, null, 1)}\n`;
      await fsPromises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      let stats;
      try {
        stats = await writeFileAtomic(file, content, privateFs);
      } catch (err) {
        cache = undefined;
        throw new WorkbenchError(500, 'accounts-write-failed', `Cannot write ${shown}: ${((err as Error).cause as NodeJS.ErrnoException)?.code ?? (err as Error).message}. Nothing was changed.`, { cause: err });
      }
      cache = { ...fileIdentity(stats), data };
      return result;
    });
  }

  function findUser(data: AccountsData, name: string): User | undefined {
    if (typeof name !== 'string') return undefined;
    const key = userNameKey(name);
    return data.users.find((u) => userNameKey(u.name) === key);
  }

  function requireUser(data: AccountsData, name: string): User {
    const user = findUser(data, name);
    if (!user) throw notFound(name);
    return user;
  }

  return {
    file,

    async listUsers() {
      const data = await load();
      return data.users.map(publicUser).sort((a, b) => (userNameKey(a.name) < userNameKey(b.name) ? -1 : userNameKey(a.name) > userNameKey(b.name) ? 1 : 0));
    },

    async getUser(name) {
      const user = findUser(await load(), name);
      return user && publicUser(user);
    },

    async countUsers() {
      return (await load()).users.length;
    },

    async addUser(name, roles, password) {
      checkUserName(name);
      const canonicalRoles = normalizeRoles(roles);
      const exists = () => new WorkbenchError(409, 'user-exists', `A user "${name}" already exists (names are compared without regard to case).`);
      // Checked before the slow hash for a quick answer, and again under the queue, where it counts.
      const existing = findUser(await load(), name);
      if (existing) throw exists();
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      return update((data) => {
        if (findUser(data, name)) throw exists();
        const user: User = { name, roles: canonicalRoles, createdAt: new Date().toISOString() };
        if (passwordHash !== undefined) user.passwordHash = passwordHash;
        data.users.push(user);
        return publicUser(user);
      });
    },

    async setPassword(name, password) {
      requireUser(await load(), name);
      const passwordHash = await hashPassword(password);
      await update((data) => {
        requireUser(data, name).passwordHash = passwordHash;
      });
    },

    async setRoles(name, roles) {
      const canonicalRoles = normalizeRoles(roles);
      return update((data) => {
        const user = requireUser(data, name);
        user.roles = canonicalRoles;
        return publicUser(user);
      });
    },

    async checkPassword(name, password) {
      const user = findUser(await load(), name);
      const hash = user?.passwordHash;
      const ok = await verifyPassword(password, hash ?? (await someHash()));
      return user && hash !== undefined && ok ? publicUser(user) : undefined;
    },

    async createToken(name, label) {
      const checkedLabel = checkLabel(label);
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const id = randomBytes(6).toString('hex');
      await update((data) => {
        const user = requireUser(data, name);
        if (data.tokens.some((t) => t.id === id)) throw new WorkbenchError(500, 'token-id-collision', 'Token id collision; try again.');
        const record: ApiToken = { id, user: user.name, hash: tokenHash(token).toString('hex'), createdAt: new Date().toISOString() };
        if (checkedLabel !== undefined) record.label = checkedLabel;
        data.tokens.push(record);
      });
      return { id, token };
    },

    async revokeToken(name, id) {
      return update((data) => {
        const user = requireUser(data, name);
        const token = data.tokens.find((t) => t.id === id && t.user === user.name);
        if (!token) throw new WorkbenchError(404, 'token-not-found', `User "${user.name}" has no token ${JSON.stringify(String(id).slice(0, 40))}.`);
        token.revokedAt ??= new Date().toISOString();
        return tokenInfo(token);
      });
    },

    async listTokens(name) {
      const data = await load();
      const user = requireUser(data, name);
      return data.tokens.filter((t) => t.user === user.name).map(tokenInfo);
    },

    async verifyToken(token) {
      if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
      const data = await load();
      const hash = tokenHash(token);
      // Compare with every stored hash in constant time, without stopping at the first match.
      let found: ApiToken | undefined;
      for (const t of data.tokens) {
        if (timingSafeEqual(hash, Buffer.from(t.hash, 'hex')) && !found) found = t;
      }
      if (!found || found.revokedAt !== undefined) return undefined;
      const user = findUser(data, found.user);
      return user && publicUser(user);
    },
  };
}

/** The accounts file of a project folder. */
export function accountsFileOf(dataDir: string): string {
  return path.join(dataDir, 'accounts', 'accounts.json');
}
