/**
 * What must hold after a chaos run, read from the databases, the index and Kafka (never from the processes' own
 * accounts): each order its client was told about exists once in the state it was told, stock adds up, no
 * reservation outlives its order, search shows every order as it is, every event is on Kafka and none failed.
 */
import type { Kafka } from 'kafkajs';
import type { Config } from '../lib/config';
import type { SqlPool } from '../lib/db/sql-pool';
import { ReservationStatus } from '../lib/inventory/reservation-status';
import { STATUS_CODE, statusFromCode, type OrderStatus } from '../lib/orders/status';
import { OutboxStatus } from '../lib/outbox/outbox-table';
import type { SearchClient } from '../lib/search/client';
import type { ClientOrder, Sku } from './clients';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface InvariantDeps {
  config: Config;
  shards: SqlPool[];
  inventory: SqlPool;
  es: SearchClient;
  kafka: Kafka;
}

interface OrderRow {
  id: bigint;
  user_id: bigint;
  idempotency_key: string | null;
  status: number;
}

async function allOrders(deps: InvariantDeps): Promise<(OrderRow & { shard: number })[]> {
  const rows = [];
  for (const [shard, db] of deps.shards.entries()) {
    for (const r of await db.rows<OrderRow>('SELECT id, user_id, idempotency_key, status FROM t_order')) {
      rows.push({ ...r, shard });
    }
  }
  return rows;
}

/** The states an order may be in given what its client was last told (after every payment timeout has passed). */
function allowed(o: ClientOrder): OrderStatus[] {
  if (o.transitionUnknown === 'pay') return ['PAID', 'CANCELLED'];
  if (o.transitionUnknown === 'cancel') return ['CANCELLED'];
  if (o.told === 'PAID') return ['PAID'];
  return ['CANCELLED']; // cancelled, or left unpaid and cancelled by its timeout
}

export async function checkInvariants(
  deps: InvariantDeps,
  orders: readonly ClientOrder[],
  skus: readonly (Sku & { initial: number })[],
): Promise<Check[]> {
  const checks: Check[] = [];
  const rows = await allOrders(deps);
  const byKey = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) {
    const key = `${r.user_id}:${r.idempotency_key ?? ''}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }

  // 1. Each order exists once, in the state its client was last told.
  const wrong: string[] = [];
  for (const o of orders) {
    const found = byKey.get(`${o.userId}:${o.key}`) ?? [];
    if (o.told === 'refused' && found.length > 0) wrong.push(`${o.key}: refused but exists`);
    if (o.told === 'unknown' && found.length > 1) wrong.push(`${o.key}: ${found.length} orders`);
    if (o.told === 'refused' || o.told === 'unknown') continue;
    if (found.length !== 1) {
      wrong.push(`${o.orderId}: ${found.length} rows`);
      continue;
    }
    const status = statusFromCode(found[0]!.status);
    if (!allowed(o).includes(status)) wrong.push(`${o.orderId}: told ${o.told}, is ${status}`);
  }
  const told = orders.filter((o) => o.told !== 'refused' && o.told !== 'unknown').length;
  checks.push({
    name: 'each order once, as its client was told',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `${told} orders` : wrong.slice(0, 5).join('; '),
  });

  // 2. Stock adds up: total = initial − paid, locked = pending, available = total − locked.
  const stockWrong: string[] = [];
  for (const sku of skus) {
    const sold = new Map<number, number>();
    for (const [shard, db] of deps.shards.entries()) {
      const sums = await db.rows<{ status: number; qty: string | null }>(
        `SELECT o.status, SUM(i.quantity) AS qty FROM t_order o JOIN t_order_item i ON i.order_id = o.id
         WHERE i.product_id = ? AND i.sku_id = ? GROUP BY o.status`,
        [BigInt(sku.productId), BigInt(sku.skuId)],
      );
      void shard;
      for (const s of sums) sold.set(s.status, (sold.get(s.status) ?? 0) + Number(s.qty ?? 0));
    }
    const paid = sold.get(STATUS_CODE.PAID) ?? 0;
    const pending = sold.get(STATUS_CODE.PENDING_PAYMENT) ?? 0;
    const [stock] = await deps.inventory.rows<{ available_stock: number; locked_stock: number; total_stock: number }>(
      'SELECT available_stock, locked_stock, total_stock FROM t_inventory WHERE product_id = ? AND sku_id = ?',
      [BigInt(sku.productId), BigInt(sku.skuId)],
    );
    const want = { total: sku.initial - paid, locked: pending, available: sku.initial - paid - pending };
    const got = { total: stock?.total_stock, locked: stock?.locked_stock, available: stock?.available_stock };
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      stockWrong.push(`${sku.productId}: want ${JSON.stringify(want)}, is ${JSON.stringify(got)}`);
    }
  }
  checks.push({
    name: 'stock: total = initial − paid, locked = pending',
    ok: stockWrong.length === 0,
    detail: stockWrong.length === 0 ? `${skus.length} SKUs` : stockWrong.join('; '),
  });

  // 3. A payment is approved exactly when its order is paid (written in one transaction), and once per order.
  const paymentWrong: string[] = [];
  for (const [shard, db] of deps.shards.entries()) {
    const mismatched = await db.rows<{ id: bigint; status: number; approved: string }>(
      `SELECT o.id, o.status, COUNT(p.id) AS approved FROM t_order o
       LEFT JOIN t_payment p ON p.order_id = o.id AND p.status = 'APPROVED'
       GROUP BY o.id, o.status
       HAVING (o.status IN (?, ?, ?)) <> (COUNT(p.id) = 1) OR COUNT(p.id) > 1`,
      [STATUS_CODE.PAID, STATUS_CODE.SHIPPED, STATUS_CODE.COMPLETED],
    );
    for (const m of mismatched) {
      paymentWrong.push(
        `shard ${shard} order ${m.id}: ${statusFromCode(m.status)} with ${m.approved} approved payments`,
      );
    }
  }
  checks.push({
    name: 'paid orders and approved payments match one to one',
    ok: paymentWrong.length === 0,
    detail:
      paymentWrong.length === 0 ? 'every paid order has one approved payment' : paymentWrong.slice(0, 5).join('; '),
  });

  // 4. No reservation holds stock for an order that is not pending.
  const pendingIds = new Set(rows.filter((r) => r.status === STATUS_CODE.PENDING_PAYMENT).map((r) => r.id));
  const held = await deps.inventory.rows<{ order_id: bigint }>(
    'SELECT DISTINCT order_id FROM t_stock_reservation WHERE status = ?',
    [ReservationStatus.RESERVED],
  );
  const orphans = held.filter((h) => !pendingIds.has(h.order_id));
  checks.push({
    name: 'no reservation without a live order',
    ok: orphans.length === 0,
    detail:
      orphans.length === 0
        ? `${held.length} held`
        : `${orphans.length}: ${orphans
            .slice(0, 5)
            .map((o) => o.order_id)
            .join(', ')}`,
  });

  // 5. Every order searchable with its current status.
  await deps.es.indices.refresh({ index: deps.config.elasticsearch.ordersIndex });
  const stale: string[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const page = rows.slice(i, i + 500);
    const { docs } = await deps.es.mget<{ status: string }>({
      index: deps.config.elasticsearch.ordersIndex,
      ids: page.map((r) => r.id.toString()),
      _source_includes: ['status'],
    });
    for (const [j, d] of docs.entries()) {
      const row = page[j]!;
      const status = 'found' in d && d.found ? d._source?.status : undefined;
      if (status !== statusFromCode(row.status))
        stale.push(`${row.id}: ${status ?? 'missing'} ≠ ${statusFromCode(row.status)}`);
    }
  }
  checks.push({
    name: 'every order searchable with its status',
    ok: stale.length === 0,
    detail: stale.length === 0 ? `${rows.length} documents` : `${stale.length}: ${stale.slice(0, 3).join('; ')}`,
  });

  // 6. No outbox row failed or left behind; 7. every event is on Kafka.
  const outbox: { message_id: string; status: number }[] = [];
  for (const db of deps.shards)
    outbox.push(
      ...(await db.rows<{ message_id: string; status: number }>('SELECT message_id, status FROM t_local_message')),
    );
  const notSent = outbox.filter((r) => r.status !== OutboxStatus.SENT);
  checks.push({
    name: 'no outbox row failed or pending',
    ok: notSent.length === 0,
    detail:
      notSent.length === 0
        ? `${outbox.length} sent`
        : `${notSent.length} not sent (${notSent.filter((r) => r.status === OutboxStatus.FAILED).length} failed)`,
  });
  const onKafka = await messageIdsOnKafka(deps);
  const missing = outbox.filter((r) => !onKafka.has(r.message_id));
  checks.push({
    name: 'every event on Kafka',
    ok: missing.length === 0,
    detail: missing.length === 0 ? `${outbox.length} events` : `${missing.length} missing`,
  });
  return checks;
}

/** Every message id on the run's order-event and stock-deduct topics, read from the beginning. */
async function messageIdsOnKafka(deps: InvariantDeps): Promise<Set<string>> {
  const { orderEvents, stockDeduct } = deps.config.kafka.topics;
  const admin = deps.kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  for (const topic of [orderEvents, stockDeduct]) {
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, Number(p.high));
  }
  await admin.disconnect();
  const seen = new Set<string>();
  const consumer = deps.kafka.consumer({ groupId: `chaos-check-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [orderEvents, stockDeduct], fromBeginning: true });
  const reached = new Map<string, number>();
  await new Promise<void>((resolve) => {
    const done = () => [...ends].every(([k, end]) => end === 0 || (reached.get(k) ?? 0) >= end);
    const timer = setTimeout(resolve, 60_000);
    if (done()) {
      clearTimeout(timer);
      resolve();
      return;
    }
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const id = message.headers?.['message-id']?.toString();
        if (id) seen.add(id);
        reached.set(`${topic}:${partition}`, Number(message.offset) + 1);
        if (done()) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}
