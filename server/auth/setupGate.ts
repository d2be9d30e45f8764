import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccountRepository } from '../accounts/accountRepository';

/**
 * The first start of a project with no users: a one-time secret link lets the first person create
 * the admin account (there is no default password). The link is printed by the server, works
 * once, and is gone as soon as any user exists.
 */
export class SetupGate {
  private token: string | undefined;

  constructor(private readonly accounts: AccountRepository) {}

  /** Makes the one-time token when the project has no users yet; returns it (undefined when set up). */
  async prepare(): Promise<string | undefined> {
    if ((await this.accounts.countUsers()) > 0) {
      this.token = undefined;
      return undefined;
    }
    this.token ??= randomBytes(24).toString('base64url');
    return this.token;
  }

  /** Whether `candidate` is the live setup token. */
  async accepts(candidate: unknown): Promise<boolean> {
    if (typeof candidate !== 'string' || !this.token) return false;
    if ((await this.accounts.countUsers()) > 0) {
      this.token = undefined;
      return false;
    }
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The token has been used. */
  consume(): void {
    this.token = undefined;
  }
}
