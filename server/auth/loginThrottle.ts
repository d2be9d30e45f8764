/**
 * Limits password guessing: after `limit` failures within `windowMs` for one account, or for one
 * address, further attempts are refused until the window has passed. In memory, per process.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before trying again, or 0 when attempts are allowed for both the account and the address. */
  retryAfter(account: string, address: string): number {
    let wait = 0;
    for (const key of [`user:${account.normalize('NFC').toLowerCase()}`, `ip:${address}`]) {
      const list = this.recent(key);
      if (list.length >= this.limit) wait = Math.max(wait, Math.ceil((list[0] + this.windowMs - this.now()) / 1000));
    }
    return wait;
  }

  /** Counts a failed attempt against both. */
  fail(account: string, address: string): void {
    for (const key of [`user:${account.normalize('NFC').toLowerCase()}`, `ip:${address}`]) {
      this.recent(key);
      this.failures.set(key, [...(this.failures.get(key) ?? []), this.now()]);
    }
  }

  /** A success clears the account's failures (not the address's: one good password must not reset guessing at others). */
  succeed(account: string): void {
    this.failures.delete(`user:${account.normalize('NFC').toLowerCase()}`);
  }
}
