import { hash, randomBytes } from 'node:crypto';
import { WorkbenchError } from '../errors';
import { hashPassword } from './passwords';
import type { PublicUser, Role, TokenInfo } from './types';

/** Users, their roles and password hashes, and API tokens. Everything handed out is a copy without secrets or hashes. */
export interface AccountRepository {
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
  /** The owner of an active token, or undefined for a malformed, unknown or revoked one (or a deactivated owner's). */
  verifyToken(token: string): Promise<PublicUser | undefined>;
  /** Deactivates (`false`) or reactivates a user (404 unknown); a deactivated user cannot log in, and their tokens and reset links stop working. */
  setActive(name: string, active: boolean): Promise<PublicUser>;
  /**
   * A one-time link's secret for the user to set a new password with, valid `hours` (the user's
   * earlier links stop working): returned this once, only its hash is kept.
   */
  createPasswordReset(name: string, hours?: number): Promise<{ token: string; expiresAt: string }>;
  /** The user a reset link's secret is for, when it is unused, unexpired and the user active; else undefined. */
  passwordResetUser(token: string): Promise<PublicUser | undefined>;
  /** Sets the password with a reset link's secret and uses the link up (400 for a bad password, 404 for a link that does not work). */
  usePasswordReset(token: string, password: string): Promise<PublicUser>;
}

/** How long a reset link works, by default. */
export const RESET_HOURS = 24;

export const TOKEN_PREFIX = 'wb_';
/** `wb_` + 32 random bytes in base64url (43 characters, no padding). */
export const TOKEN_PATTERN = /^wb_[A-Za-z0-9_-]{43}$/;
const LABEL_MAX = 200;

/** A new API token secret. */
export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 of a token, in hex. A fast hash is right here: the token holds 256 random bits, so there
 * is nothing to brute-force and no need for a slow, salted password hash; and a look-up by this hash
 * tells an attacker nothing about other tokens.
 */
export function tokenHash(token: string): string {
  // crypto.hash: one call, no Hash object (every API request hashes its token; a third of the time of createHash's three calls).
  return hash('sha256', token, 'hex');
}

/** A token label as stored: trimmed, one line, at most 200 characters; undefined for none. */
export function checkTokenLabel(label: unknown): string | undefined {
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
export function someHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

/** 404 for a user name nobody has. */
export function userNotFound(name: string): WorkbenchError {
  return new WorkbenchError(404, 'user-not-found', `There is no user "${name}".`, { params: { name: String(name).slice(0, 40) } });
}
