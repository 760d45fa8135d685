/**
 * Failed logins, counted per account and per IP address (lib/rate-limit): after auth.loginFailures' points within
 * its window, the account (or the address) is refused with 429 / 10006 for blockSeconds — before any password is
 * checked, the right one included — and then may try again: a guesser gets a few tries per window, the owner
 * outwaits the lockout (Retry-After says how long). A successful login ends the account's run of failures.
 *
 * The account is its user id when the username exists — the accounts table compares names without regard to case,
 * so `Admin` and `ADMIN` are the same account and share one count — and the lower-cased name otherwise.
 */
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { RateLimit } from '../rate-limit/rate-limit';
import type { RedisFastPath } from '../redis/fast-path';

export class LoginThrottle {
  private readonly perAccount: RateLimit;
  private readonly perIp: RateLimit;

  constructor(limits: Config['rateLimits']['loginFailures'], fastPath: RedisFastPath, registry: Registry) {
    this.perAccount = new RateLimit(
      { name: 'login-failures:account', ...limits.perAccount, withoutRedis: 'in-process' },
      fastPath,
      registry,
    );
    this.perIp = new RateLimit(
      { name: 'login-failures:ip', ...limits.perIp, withoutRedis: 'in-process' },
      fastPath,
      registry,
    );
  }

  /** The key of an account: its user id when it exists, else the name as the database would compare it. */
  static accountKey(username: string, userId: bigint | undefined): string {
    return userId === undefined ? `name:${username.toLowerCase()}` : `user:${userId}`;
  }

  /** Refuses (429 / 10006) a login for an account or from an address locked out by failures. */
  async check(account: string, ip: string): Promise<void> {
    const [accountMs, ipMs] = await Promise.all([this.perAccount.refusedForMs(account), this.perIp.refusedForMs(ip)]);
    if (accountMs > 0 && accountMs >= ipMs) {
      throw this.perAccount.refusal(accountMs, 'too many failed logins for this account');
    }
    if (ipMs > 0) throw this.perIp.refusal(ipMs, 'too many failed logins from this address');
  }

  async failed(account: string, ip: string): Promise<void> {
    await Promise.all([this.perAccount.count(account), this.perIp.count(ip)]);
  }

  async succeeded(account: string): Promise<void> {
    await this.perAccount.clear(account);
  }
}
