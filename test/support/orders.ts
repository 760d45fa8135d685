/** HTTP helpers for order tests: JSON calls, buyers, catalog seeding, unique ids, a valid order body. */
import type { Harness } from './api-harness';
import { callApi, newAccount, type AccountOptions, type ApiClient, type Json, type JsonResponse } from './accounts';

export type { Json, JsonResponse } from './accounts';

/** An anonymous call (no token): public routes, or a test of what a caller without one gets. */
export function call(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<Json>> {
  return callApi(h.baseUrl, method, path, body, headers);
}

/** A new buyer (role user), signed in; on a given shard when asked. */
export function newBuyer(h: Harness, shard?: number): Promise<ApiClient> {
  const options: AccountOptions = shard === undefined ? {} : { shard: { index: shard, count: h.config.shards.count } };
  return newAccount(h.baseUrl, h.resources.sql.accounts, options);
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
  const res = await h.admin.call('PUT', `/v1/admin/inventory/${productId}/${skuId}`, { name, price, stock });
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

export function orderBody(items: (SeededSku & { quantity: number })[], extra: Record<string, unknown> = {}) {
  return {
    items: items.map(({ productId, skuId, quantity }) => ({ productId, skuId, quantity })),
    shippingAddress: { name: 'Li Lei', phone: '13800000000', city: 'Hangzhou', detail: '1 West Lake Road' },
    paymentMethod: 'alipay',
    remark: '',
    ...extra,
  };
}

/** Polls (every `everyMs`) until `check` returns true or the time is up; returns the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  ms = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
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
    correlationId: r.correlationId,
  }));
}

export interface PaidOrder {
  orderId: string;
  userId: string;
  shard: number;
  buyer: ApiClient;
}

/** Places an order for `quantity` of a SKU as a buyer (a new one by default) and pays it; fails on any other answer. */
export async function placePaidOrder(h: Harness, sku: SeededSku, quantity = 1, buyer?: ApiClient): Promise<PaidOrder> {
  const client = buyer ?? (await newBuyer(h));
  const placed = await client.call('POST', '/v1/orders', orderBody([{ ...sku, quantity }]));
  if (placed.status !== 201) throw new Error(`placing failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  await payOrder(client, placed.body.orderId);
  return { orderId: placed.body.orderId, userId: client.session.userId, shard: placed.body.shard, buyer: client };
}

/**
 * Pays an order as its buyer does: starts a payment (the sandbox provider approves it at once and calls the API back,
 * signed) and waits until the order is PAID; returns the order. Fails on any other answer or if it never gets there.
 */
export async function payOrder(buyer: ApiClient, orderId: string, ms = 15_000): Promise<Json> {
  const started = await buyer.call('POST', `/v1/orders/${orderId}/pay`, {});
  if (started.status !== 202) throw new Error(`paying failed: ${started.status} ${JSON.stringify(started.body)}`);
  const order = await eventually(
    () => buyer.call('GET', `/v1/orders/${orderId}`),
    (res) => res.body?.status === 'PAID',
    ms,
  );
  if (order.body?.status !== 'PAID') throw new Error(`order ${orderId} is not PAID: ${JSON.stringify(order.body)}`);
  return order.body;
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
