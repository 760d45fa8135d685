/**
 * One request limit: `points` per `seconds` per key (a user, an IP address, an account), counted in Redis so every
 * API process shares the count (rate-limiter-flexible's RateLimiterRedis; keys `<redis prefix>rl:<limit>:<key>`).
 *
 * Without Redis a limit follows its policy, and each use of it is counted in
 * `redis_unavailable_total{operation="rate-limit"}`:
 * - `fail-open` (reads): nobody is refused because a fast path is down;
 * - `in-process` (acts, logins, registrations): the same limit, counted by each API process on its own, so a
 *   guesser is not set free by Redis going away; with N API processes a key may get up to N times its points.
 */
import type { Counter, Registry } from 'prom-client';
import { sharedCounter } from '../metrics/registry';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import type { RedisFastPath } from '../redis/fast-path';

export type WithoutRedis = 'fail-open' | 'in-process';

export interface LimitSpec {
  /** Names the limit in keys, metrics and the 429's details (`place-order:user`). */
  name: string;
  points: number;
  seconds: number;
  /** Once over its points, a key stays refused this long (a lockout); else until its window ends. */
  blockSeconds?: number;
  withoutRedis: WithoutRedis;
}

/** The 429 / 10006 of a key over `limit`, waiting `ms`; the error handler sends `Retry-After` from its details. */
function rateLimited(limit: string, ms: number, what = 'too many requests'): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
  return new AppError('RATE_LIMITED', `${what}; retry after ${retryAfterSeconds} s`, { limit, retryAfterSeconds });
}

export class RateLimit {
  private readonly shared: RateLimiterRedis;
  private readonly local: RateLimiterMemory;
  private readonly refused: Counter<'limit'>;

  constructor(
    readonly spec: LimitSpec,
    private readonly fastPath: RedisFastPath,
    registry: Registry,
  ) {
    const options = { keyPrefix: `rl:${spec.name}`, points: spec.points, duration: spec.seconds };
    this.shared = new RateLimiterRedis({ ...options, storeClient: fastPath.redis, rejectIfRedisNotReady: true });
    this.local = new RateLimiterMemory(options);
    this.refused = sharedCounter(registry, {
      name: 'rate_limited_total',
      help: 'Requests refused with 429 / 10006, by limit',
      labelNames: ['limit'] as const,
    });
  }

  /** Counts one request of `key`; over the limit it is refused: 429 / 10006 with the seconds to wait. */
  async take(key: string): Promise<void> {
    try {
      await this.onStore((limiter) => limiter.consume(key));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw this.refusal(err.msBeforeNext);
    }
  }

  /** The 429 of a request refused by this limit for `ms` more (counted in `rate_limited_total`). */
  refusal(ms: number, what?: string): AppError {
    this.refused.inc({ limit: this.spec.name });
    return rateLimited(this.spec.name, ms, what);
  }

  /** Milliseconds `key` is still refused for (0: it is not), without counting anything. */
  async refusedForMs(key: string): Promise<number> {
    const res = await this.onStore((limiter) => limiter.get(key));
    return res && res.consumedPoints >= this.spec.points ? res.msBeforeNext : 0;
  }

  /** Counts one event of `key` (a failed login); the one that uses up its points locks it for blockSeconds. */
  async count(key: string): Promise<void> {
    await this.onStore(async (limiter) => {
      const res = await limiter.consume(key).catch((err: unknown) => {
        if (err instanceof RateLimiterRes) return err;
        throw err;
      });
      if (this.spec.blockSeconds && res.consumedPoints >= this.spec.points) {
        await limiter.block(key, this.spec.blockSeconds);
      }
      return res;
    });
  }

  /** Forgets `key`'s count (a successful login ends its run of failures). */
  async clear(key: string): Promise<void> {
    await this.onStore((limiter) => limiter.delete(key));
  }

  /** `op` on the shared count; without Redis on this process's own count, or nothing (fail-open). */
  private async onStore<T>(op: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T | undefined> {
    if (this.fastPath.connected) {
      try {
        return await op(this.shared);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw err;
      }
    }
    this.fastPath.fellBack('rate-limit');
    return this.spec.withoutRedis === 'in-process' ? op(this.local) : undefined;
  }
}
