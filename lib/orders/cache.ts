/**
 * Redis cache of order details. Every change to an order bumps the order's generation and deletes its entry after
 * the change commits; a reader stores what it read only if the generation it saw before reading is still current,
 * so a read that raced with a change can never put the old state back into the cache.
 */
import type { Redis } from 'ioredis';
import type { RedisFastPath } from '../redis/fast-path';

/** Key of an order's cached detail (the Redis client adds the configured prefix). */
export function orderCacheKey(orderId: bigint | string): string {
  return `order:${orderId.toString()}`;
}

/** Key of an order's cache generation, bumped by every change. */
export function orderGenerationKey(orderId: bigint | string): string {
  return `order-gen:${orderId.toString()}`;
}

/** How long an order detail may be served from the cache if no change deletes it first. */
export const ORDER_CACHE_TTL_SECONDS = 300;
/** Outlives any cached entry, so a generation is never forgotten while an entry read under it could exist. */
const GENERATION_TTL_SECONDS = 2 * ORDER_CACHE_TTL_SECONDS;

/** Called after an order's change committed: new generation, entry gone. */
export async function invalidateOrderCache(redis: Redis, orderId: bigint | string): Promise<void> {
  await redis
    .multi()
    .incr(orderGenerationKey(orderId))
    .expire(orderGenerationKey(orderId), GENERATION_TTL_SECONDS)
    .del(orderCacheKey(orderId))
    .exec();
}

/** The generation to pass to `cacheOrderIfCurrent`, read before reading the order from its shard. */
export async function orderGeneration(redis: Redis, orderId: bigint | string): Promise<string> {
  return (await redis.get(orderGenerationKey(orderId))) ?? '0';
}

const SET_IF_GENERATION = `
local current = redis.call('GET', KEYS[2]) or '0'
if current == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0`;

/** Stores an order's detail unless a change happened since `generation` was read; true when stored. */
export async function cacheOrderIfCurrent(
  redis: Redis,
  orderId: bigint | string,
  json: string,
  generation: string,
): Promise<boolean> {
  const stored = await redis.eval(
    SET_IF_GENERATION,
    2,
    orderCacheKey(orderId),
    orderGenerationKey(orderId),
    json,
    ORDER_CACHE_TTL_SECONDS,
    generation,
  );
  return stored === 1;
}

/** Owed invalidations kept in memory; past this many, every cached order is purged when Redis is back instead. */
const MAX_OWED_INVALIDATIONS = 100_000;

/**
 * Invalidates an order's cached detail after its change committed, without ever failing the change: while Redis is
 * away, the order id is owed and the invalidation is replayed as soon as the client is connected again, so no entry
 * cached before the outage outlives it by more than that moment. (A process that dies owing invalidations leaves
 * entries that expire within ORDER_CACHE_TTL_SECONDS.)
 */
export class OrderCacheInvalidator {
  private readonly owed = new Set<string>();
  private overflowed = false;
  private settling = false;

  constructor(private readonly fastPath: RedisFastPath) {
    fastPath.redis.on('ready', () => void this.settle());
  }

  /** Invalidations waiting for Redis. */
  get owedCount(): number {
    return this.overflowed ? MAX_OWED_INVALIDATIONS : this.owed.size;
  }

  async invalidate(orderId: bigint | string): Promise<void> {
    const done = await this.fastPath.attempt(
      'cache-invalidate',
      async (redis) => {
        await invalidateOrderCache(redis, orderId);
        return true;
      },
      false,
    );
    if (done) return;
    if (this.owed.size >= MAX_OWED_INVALIDATIONS) this.overflowed = true;
    else this.owed.add(orderId.toString());
  }

  /** Replays what is owed (or purges every cached order after an overflow); stops at the first failure. */
  async settle(): Promise<void> {
    if (this.settling) return;
    this.settling = true;
    const redis = this.fastPath.redis;
    try {
      if (this.overflowed) {
        await purgeOrderCache(redis);
        this.overflowed = false;
        this.owed.clear();
        return;
      }
      for (const id of [...this.owed]) {
        await invalidateOrderCache(redis, id);
        this.owed.delete(id);
      }
    } catch {
      // Redis went away again; the next 'ready' resumes.
    } finally {
      this.settling = false;
    }
  }
}

/** Deletes every cached order detail of this client's key prefix. */
async function purgeOrderCache(redis: Redis): Promise<void> {
  const prefix = redis.options.keyPrefix ?? '';
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}${orderCacheKey('*')}`, 'COUNT', 1000);
    cursor = next;
    // SCAN answers full key names; the client adds its prefix to DEL's arguments again.
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
  } while (cursor !== '0');
}
