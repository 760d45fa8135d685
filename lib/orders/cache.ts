/** Redis keys of cached order reads; every change to an order deletes its key after the change commits. */

/** Key of an order's cached detail (the Redis client adds the configured prefix). */
export function orderCacheKey(orderId: bigint | string): string {
  return `order:${orderId.toString()}`;
}

/** How long an order detail may be served from the cache if no change deletes it first. */
export const ORDER_CACHE_TTL_SECONDS = 300;
