/**
 * Redis as DOOS uses it: a fast path, never a condition of the order path. Every call goes through `attempt`: while
 * the client is not connected it is skipped at once (no command waits in ioredis' offline queue for a server that
 * is gone), a failure falls back to the caller's value, and both are counted in `redis_unavailable_total` by
 * operation. What each caller does without Redis is its own fallback: the Idempotency-Key replay is found through the
 * shard's unique index, the double-click guard is off, cached reads go to the shard, and cache invalidations owed
 * while Redis was away are replayed when it is back (lib/orders/cache.ts).
 */
import type { Redis } from 'ioredis';
import type { Counter, Registry } from 'prom-client';
import { sharedCounter } from '../metrics/registry';

/** What a process used Redis for when it could not. */
export type RedisOperation =
  'idempotency' | 'double-submit' | 'cache-read' | 'cache-write' | 'cache-invalidate' | 'rate-limit';

export class RedisFastPath {
  private readonly unavailable: Counter<'operation'>;

  constructor(
    readonly redis: Redis,
    registry: Registry,
  ) {
    this.unavailable = sharedCounter(registry, {
      name: 'redis_unavailable_total',
      help: 'Redis operations skipped (not connected) or failed, whose fallback was used instead, by operation',
      labelNames: ['operation'] as const,
    });
  }

  /** True while the client is connected and may be asked. */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  /** Counts one use of `operation`'s fallback by a caller that tried Redis its own way (lib/rate-limit). */
  fellBack(operation: RedisOperation): void {
    this.unavailable.inc({ operation });
  }

  /** `op` on Redis, or `fallback` (counted) when it is not connected or the command fails. */
  async attempt<T>(operation: RedisOperation, op: (redis: Redis) => Promise<T>, fallback: T): Promise<T> {
    if (!this.connected) {
      this.fellBack(operation);
      return fallback;
    }
    try {
      return await op(this.redis);
    } catch {
      this.fellBack(operation);
      return fallback;
    }
  }
}
