/**
 * Redis cache of order details. Every change to an order bumps the order's generation and deletes its entry after
 * the change commits; a reader stores what it read only if the generation it saw before reading is still current,
 * so a read that raced with a change can never put the old state back into the cache.
 */
import type { Redis } from 'ioredis';

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
