import { userNameKey } from '../accounts/userNames';

/**
 * Limits password guessing: after a number of failures within a window from one address, further
 * attempts from it are refused until the window has passed; after as many on one account, its
 * attempts are spaced out (a growing wait, at most a minute), so that nobody can lock a translator
 * out by failing on purpose. An attempt is counted before its password is checked, so that many
 * attempts sent at once cannot all get a check.
 */
export interface LoginThrottle {
  /**
   * Counts an attempt against the account and the address, unless either is over the limit: then
   * the seconds to wait, and nothing is counted. The attempt counts as a failure until `succeed`.
   */
  begin(account: string, address: string): { retryAfter: number; attempt?: LoginAttempt };
  /** The password was right: the account's failures are cleared, and this attempt stops counting against the address (earlier failures from it still do). */
  succeed(attempt: LoginAttempt): void;
}

/** An attempt under way: what `succeed` takes back. */
export interface LoginAttempt {
  account: string;
  rows: number[];
}

/** The keys an attempt counts against: the account (case-insensitively) and the address. */
export function throttleKeys(account: string, address: string): [string, string] {
  return [`user:${userNameKey(account)}`, `ip:${address}`];
}
