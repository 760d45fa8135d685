/**
 * Where an order lives, from its id or number alone: an order id is a Snowflake id whose lowest ORDER_SHARD_BITS
 * bits are its shard (the API's order-id generator keeps them for it), and an order number is the UTC day, the shard
 * in two digits, then the id (lib/ids/order-no.ts). So an operator's lookup by either routes to one shard without a
 * user id. Ids issued before the shard bits (2026-11-28) carry none: look them up in every shard.
 */

/** Low bits of an order id that hold its shard: at most 16 shards. */
export const ORDER_SHARD_BITS = 4;
export const MAX_SHARDS = 1 << ORDER_SHARD_BITS;

/** The shard an order id names. */
export function shardOfOrderId(orderId: bigint): number {
  return Number(orderId & BigInt(MAX_SHARDS - 1));
}

/** An order number: 8 digits of day, 2 of shard, then the id (at least 10 digits: any id since 2024). */
export const ORDER_NO_PATTERN = /^(\d{8})(\d{2})([1-9]\d{9,18})$/;

/** The shard and id an order number names, or undefined for text that is no order number. */
export function parseOrderNo(orderNo: string): { shard: number; orderId: bigint } | undefined {
  const match = ORDER_NO_PATTERN.exec(orderNo);
  if (!match) return undefined;
  return { shard: Number(match[2]), orderId: BigInt(match[3] as string) };
}

/**
 * What an operator's order reference names: up to 19 digits is an order id (its shard in its low bits), longer is an
 * order number (its shard in digits 9–10); undefined when it can name no order.
 */
export function resolveOrderRef(ref: string): { orderId: bigint; shard: number; orderNo?: string } | undefined {
  if (ref.length <= 19) {
    const orderId = BigInt(ref);
    return orderId > 0n && orderId < 2n ** 63n ? { orderId, shard: shardOfOrderId(orderId) } : undefined;
  }
  const parsed = parseOrderNo(ref);
  return parsed ? { ...parsed, orderNo: ref } : undefined;
}
