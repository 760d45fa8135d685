/** HTTP helpers for order tests: JSON calls, catalog seeding, unique ids, a valid order body. */
import type { Harness } from './api-harness';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

/** Any JSON body the API returns; tests read the fields they check. */
export type Json = any;

export async function call(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<Json>> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let counter = 0;
/** A decimal id no other test run uses (time-based, 15–16 digits). */
export function uniqueId(): string {
  counter = (counter + 1) % 1000;
  return (BigInt(Date.now()) * 1000n + BigInt(counter)).toString();
}

export interface SeededSku {
  productId: string;
  skuId: string;
}

/** Creates a SKU with a price and stock through the admin endpoint. */
export async function seedSku(h: Harness, price: string, stock: number, name = 'Test tea'): Promise<SeededSku> {
  const productId = uniqueId();
  const skuId = uniqueId();
  const res = await call(h, 'PUT', `/v1/admin/inventory/${productId}/${skuId}`, { name, price, stock });
  if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { productId, skuId };
}

export interface Stock {
  available: number;
  locked: number;
  total: number;
}

export async function stockOf(h: Harness, sku: SeededSku): Promise<Stock> {
  const res = await call(h, 'GET', `/v1/inventory/${sku.productId}/${sku.skuId}`);
  const { available, locked, total } = res.body as Stock;
  return { available, locked, total };
}

export function orderBody(
  userId: string,
  items: (SeededSku & { quantity: number })[],
  extra: Record<string, unknown> = {},
) {
  return {
    userId,
    items: items.map(({ productId, skuId, quantity }) => ({ productId, skuId, quantity })),
    shippingAddress: { name: 'Li Lei', phone: '13800000000', city: 'Hangzhou', detail: '1 West Lake Road' },
    paymentMethod: 'alipay',
    remark: '',
    ...extra,
  };
}

/** Polls until `check` returns true or the time is up; returns the last value seen. */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/** Outbox rows of an order in its shard, oldest first. */
export async function outboxOf(h: Harness, orderId: string, shard: number) {
  const rows = await h.resources.shards[shard]!.localMessage.findMany({
    where: { txId: BigInt(orderId) },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({
    eventType: r.eventType,
    topic: r.topic,
    status: r.status,
    payload: r.payload as Json,
    messageId: r.messageId,
  }));
}

export interface PaidOrder {
  orderId: string;
  userId: string;
  shard: number;
}

/** Places an order for `quantity` of a SKU as a new user and pays it; fails the test on any other answer. */
export async function placePaidOrder(h: Harness, sku: SeededSku, quantity = 1): Promise<PaidOrder> {
  const userId = uniqueId();
  const placed = await call(h, 'POST', '/v1/orders', orderBody(userId, [{ ...sku, quantity }]));
  if (placed.status !== 201) throw new Error(`placing failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  const paid = await call(h, 'POST', `/v1/orders/${placed.body.orderId}/pay`, { userId });
  if (paid.status !== 200) throw new Error(`paying failed: ${paid.status} ${JSON.stringify(paid.body)}`);
  return { orderId: placed.body.orderId, userId, shard: placed.body.shard };
}

/** Runs `count` calls of `one`, at most `concurrency` at a time, and returns their results in order. */
export async function inParallel<T>(count: number, concurrency: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await one(i);
      }
    }),
  );
  return results;
}
