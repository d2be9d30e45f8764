/** What a user may do: everything (admin), or translate / review the given locale. */
export type Role = { kind: 'admin' } | { kind: 'translator' | 'reviewer'; locale: string };

/** A user as stored: the name verbatim, canonical roles, the scrypt hash (none: no password login). */
export interface User {
  name: string;
  roles: Role[];
  passwordHash?: string;
  /** ISO 8601. */
  createdAt: string;
}

/** An API token as stored: only the SHA-256 of the secret, never the secret itself. */
export interface ApiToken {
  /** Public handle (shown in lists, used to revoke); not a secret. */
  id: string;
  /** The owner's name, as stored in its User. */
  user: string;
  /** SHA-256 of the token, lower-case hex. */
  hash: string;
  createdAt: string;
  revokedAt?: string;
  label?: string;
}

/** A user as the store hands it out: the password hash never leaves the store. */
export type PublicUser = Omit<User, 'passwordHash'> & {
  hasPassword: boolean;
  /** When an administrator deactivated the account (ISO 8601): it cannot log in or use its tokens; its history stays credited to it. */
  deactivatedAt?: string;
};

/** A token as the store lists it: no hash. */
export type TokenInfo = Omit<ApiToken, 'hash'>;
