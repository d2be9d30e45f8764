/**
 * Limits password guessing: after a number of failures within a window for one account, or for one
 * address, further attempts are refused until the window has passed.
 */
export interface LoginThrottle {
  /** Seconds to wait before trying again, or 0 when attempts are allowed for both the account and the address. */
  retryAfter(account: string, address: string): number;
  /** Counts a failed attempt against both. */
  fail(account: string, address: string): void;
  /** A success clears the account's failures (not the address's: one good password must not reset guessing at others). */
  succeed(account: string): void;
}

/** The keys an attempt counts against: the account (case-insensitively) and the address. */
export function throttleKeys(account: string, address: string): [string, string] {
  return [`user:${account.normalize('NFC').toLowerCase()}`, `ip:${address}`];
}
