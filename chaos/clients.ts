/**
 * Shoppers of a chaos run: each places an order with an Idempotency-Key, then pays it, cancels it or leaves it to the
 * payment timeout — retrying as a real client does (the same key, the same request) while the answer is a 503, a
 * connection error or a timeout, and giving up after a while. What each was last told is kept for the invariants.
 */
import { randomUUID } from 'node:crypto';
import { signUp } from '../bench/lib/accounts';

export interface Sku {
  productId: string;
  skuId: string;
}

/** The last definite answer a client got about its order. */
export type Told =
  | 'created' // 201/200, then left to the payment timeout
  | 'PAID'
  | 'CANCELLED'
  | 'refused' // 409 stock insufficient, or 500 20007 not created: no order exists
  | 'unknown'; // gave up without a definite answer

export interface ClientOrder {
  userId: string;
  key: string;
  sku: Sku;
  quantity: number;
  orderId?: string;
  shard?: number;
  told: Told;
  /** An unknown answer to a pay or cancel: the order may be in either state. */
  transitionUnknown?: 'pay' | 'cancel';
}

export interface ClientStats {
  requests: number;
  retries: number;
  gaveUp: number;
}

interface Answer {
  status: number;
  body: { code?: number; orderId?: string; shard?: number; status?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request, retried on 503, 5xx other than 500 20007, connection errors and timeouts, for up to `giveUpMs`. */
async function retrying(
  stats: ClientStats,
  giveUpMs: number,
  send: () => Promise<Answer>,
): Promise<Answer | undefined> {
  const until = Date.now() + giveUpMs;
  for (let attempt = 0; ; attempt++) {
    stats.requests++;
    const answer = await send().catch(() => undefined);
    const transient = !answer || answer.status === 503 || answer.status === 502 || answer.status === 504;
    if (!transient) return answer;
    if (Date.now() > until) {
      stats.gaveUp++;
      return undefined;
    }
    stats.retries++;
    await sleep(Math.min(300 * 2 ** attempt, 3000) * (0.5 + Math.random()));
  }
}

async function call(
  base: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

/** One shopper: orders until `until`, one order at a time. */
export async function shopper(
  base: string,
  skus: readonly Sku[],
  until: number,
  giveUpMs: number,
  orders: ClientOrder[],
  stats: ClientStats,
): Promise<void> {
  const buyer = await signUp(base, (send) =>
    retrying({ requests: 0, retries: 0, gaveUp: 0 }, 120_000, send as () => Promise<Answer>),
  );
  while (Date.now() < until) {
    const order: ClientOrder = {
      userId: buyer.userId,
      key: randomUUID(),
      sku: skus[Math.floor(Math.random() * skus.length)]!,
      quantity: 1 + Math.floor(Math.random() * 3),
      told: 'unknown',
    };
    orders.push(order);
    const body = {
      items: [{ productId: order.sku.productId, skuId: order.sku.skuId, quantity: order.quantity }],
      shippingAddress: { name: 'Chaos Monkey', phone: '13800000000', detail: '1 Fault Street' },
      paymentMethod: 'alipay',
      remark: '',
    };
    const placed = await retrying(stats, giveUpMs, () =>
      call(base, 'POST', '/v1/orders', body, { ...buyer.headers, 'Idempotency-Key': order.key }),
    );
    if (!placed) continue;
    if (placed.status === 201 || placed.status === 200) {
      order.told = 'created';
      order.orderId = placed.body.orderId;
      order.shard = placed.body.shard;
    } else if (placed.status === 409 || (placed.status === 500 && placed.body.code === 20007)) {
      order.told = 'refused';
      continue;
    } else {
      throw new Error(`POST /v1/orders answered ${placed.status} ${JSON.stringify(placed.body)}`);
    }
    const roll = Math.random();
    if (roll >= 0.8) continue; // left unpaid: the payment timeout cancels it
    const action = roll < 0.55 ? 'pay' : 'cancel';
    await sleep(Math.random() * 1000);
    const done = await retrying(stats, giveUpMs, () =>
      call(
        base,
        'POST',
        `/v1/orders/${order.orderId}/${action}`,
        action === 'pay' ? {} : { reason: 'chaos' },
        buyer.headers,
      ),
    );
    if (!done) {
      order.transitionUnknown = action;
    } else if (done.status === 202 && action === 'pay') {
      // A payment started: paid once the provider's callback is applied — unless the API that started it dies
      // first (the sandbox's callback is in its memory) or the payment timeout wins.
      order.transitionUnknown = 'pay';
    } else if (done.status === 200) {
      order.told = 'CANCELLED';
    } else if (done.status === 409 && done.body.code === 20002) {
      order.told = 'CANCELLED'; // cancelled: by this request's earlier attempt, or the payment timeout won
    } else if (done.status === 409 && done.body.code === 20003 && action === 'pay') {
      order.told = 'PAID'; // an earlier attempt of this pay went through before its answer was lost
    } else {
      throw new Error(`${action} answered ${done.status} ${JSON.stringify(done.body)}`);
    }
  }
}
