/**
 * What the reconciler looks for — state that no saga, relay or indexer will settle any more — read-only, per shard and
 * in the inventory DB. Each finding names its repair (lib/reconcile/repairs.ts); `bin/doos reconcile` lists them and
 * the `reconcile` workflow (a Temporal Schedule) repairs them. Everything must be older than `graceSeconds`, so what a
 * running saga, the relay or the indexer is about to do is not taken for lost.
 */
import type { SqlPool } from '../db/sql-pool';
import { fromSqlDateTime, placeholders, toSqlDateTime } from '../db/sql-pool';
import { documentVersion } from '../cdc/order-document';
import { ReservationStatus } from '../inventory/reservation-status';
import { OutboxStatus } from '../outbox/outbox-table';
import type { SearchClient } from '../search/client';
import { STATUS_CODE, statusFromCode } from '../orders/status';
import type { SagaStates } from './saga-states';

export const FINDING_KINDS = [
  'abandoned-order',
  'orphan-reservation',
  'deduction-missing',
  'outbox-stuck',
  'search-missing',
  'search-stale',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** The shard of the order or outbox row (null: an order found in no shard). */
  shard: number | null;
  orderId: string | null;
  /** What the repair acts on: an order id, or an outbox message id. */
  subject: string;
  /** What is wrong, in words. */
  detail: string;
  /** What --apply does about it. */
  repair: string;
}

export interface FindingSettings {
  /** How old a state must be before it counts as abandoned. */
  graceSeconds: number;
  /** Orders changed within this many minutes (and before the grace) are compared with their search documents. */
  searchWindowMinutes: number;
  /** The most findings of one kind per shard (and of the inventory DB) in one run. */
  limit: number;
  /** The payment window: an order whose saga is gone is abandoned once it is past it. */
  paymentTimeoutSeconds: number;
}

export interface FindingDeps {
  shards: SqlPool[];
  inventory: SqlPool;
  sagas: SagaStates;
  search: { es: SearchClient; index: string };
  settings: FindingSettings;
  now?: () => Date;
}

const PAID_OR_LATER: readonly number[] = [STATUS_CODE.PAID, STATUS_CODE.SHIPPED, STATUS_CODE.COMPLETED];

/** Every finding of every kind, shard by shard, then the inventory DB's. */
export async function findAll(deps: FindingDeps): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const shard of deps.shards.keys()) {
    findings.push(...(await abandonedOrders(deps, shard)));
    findings.push(...(await stuckOutboxRows(deps, shard)));
    findings.push(...(await searchDrift(deps, shard)));
  }
  findings.push(...(await reservationFindings(deps)));
  return findings;
}

function before(deps: FindingDeps, seconds: number): string {
  const now = deps.now?.() ?? new Date();
  return toSqlDateTime(new Date(now.getTime() - seconds * 1000));
}

/** Unpaid orders whose saga has closed (terminated, failed…), or is gone and the payment window is over. */
async function abandonedOrders(deps: FindingDeps, shard: number): Promise<Finding[]> {
  const { settings } = deps;
  const rows = await deps.shards[shard]!.rows<{ id: bigint; created_at: string }>(
    `SELECT id, created_at FROM t_order WHERE status = ? AND created_at < ? ORDER BY id LIMIT ?`,
    [STATUS_CODE.PENDING_PAYMENT, before(deps, settings.graceSeconds), settings.limit * 4],
  );
  const states = await deps.sagas.of(rows.map((r) => r.id));
  const windowEnds = fromSqlDateTime(before(deps, settings.paymentTimeoutSeconds + settings.graceSeconds)).getTime();
  const findings: Finding[] = [];
  for (const row of rows) {
    const state = states.get(row.id.toString()) ?? 'missing';
    if (state === 'running') continue;
    if (state === 'missing' && fromSqlDateTime(row.created_at).getTime() > windowEnds) continue;
    findings.push({
      kind: 'abandoned-order',
      shard,
      orderId: row.id.toString(),
      subject: row.id.toString(),
      detail:
        state === 'missing'
          ? 'unpaid past its payment window, and its saga is gone'
          : `unpaid, and its saga is ${state} (nothing will cancel it or release its stock)`,
      repair: 'cancel the order (order.cancelled) and release its stock',
    });
    if (findings.length >= settings.limit) break;
  }
  return findings;
}

/** Outbox rows still pending long after they were written (the relay is down, or Kafka has been away long). */
async function stuckOutboxRows(deps: FindingDeps, shard: number): Promise<Finding[]> {
  const rows = await deps.shards[shard]!.rows<{
    message_id: string;
    tx_id: bigint;
    event_type: string;
    retry_count: number;
    error_msg: string | null;
  }>(
    `SELECT message_id, tx_id, event_type, retry_count, error_msg FROM t_local_message
     WHERE status = ? AND created_at < ? ORDER BY id LIMIT ?`,
    [OutboxStatus.PENDING, before(deps, deps.settings.graceSeconds), deps.settings.limit],
  );
  return rows.map((r) => ({
    kind: 'outbox-stuck',
    shard,
    orderId: r.tx_id.toString(),
    subject: r.message_id,
    detail:
      `${r.event_type} not published after ${deps.settings.graceSeconds} s (${r.retry_count} retries` +
      `${r.error_msg ? `, last error: ${r.error_msg.slice(0, 200)}` : ''})`,
    repair: 'make it due now (the relay publishes it on its next batch)',
  }));
}

/** Orders changed in the search window whose document is missing or older than the row. */
async function searchDrift(deps: FindingDeps, shard: number): Promise<Finding[]> {
  const { settings, search } = deps;
  const rows = await deps.shards[shard]!.rows<{ id: bigint; status: number; version: bigint }>(
    `SELECT id, status, version FROM t_order WHERE updated_at >= ? AND updated_at < ?
     ORDER BY updated_at, id LIMIT ?`,
    [
      before(deps, settings.searchWindowMinutes * 60 + settings.graceSeconds),
      before(deps, settings.graceSeconds),
      settings.limit * 4,
    ],
  );
  if (rows.length === 0) return [];
  const docs = await search.es
    .mget({ index: search.index, ids: rows.map((r) => r.id.toString()), _source: false })
    .then((r) => r.docs)
    .catch((err: { meta?: { statusCode?: number } }) => {
      // No index yet: the CDC worker creates it at boot and its backfill fills it; nothing to compare with now.
      if (err.meta?.statusCode === 404) return null;
      throw err;
    });
  if (docs === null) return [];
  const versions = new Map<string, number | undefined>();
  for (const d of docs) versions.set(d._id, 'found' in d && d.found ? d._version : undefined);
  const findings: Finding[] = [];
  for (const row of rows) {
    const id = row.id.toString();
    const expected = documentVersion(row);
    const indexed = versions.get(id);
    if (indexed !== undefined && indexed >= expected) continue;
    findings.push({
      kind: indexed === undefined ? 'search-missing' : 'search-stale',
      shard,
      orderId: id,
      subject: id,
      detail:
        indexed === undefined
          ? `no search document (the row is ${statusFromCode(row.status)})`
          : `the search document is older than the row (now ${statusFromCode(row.status)})`,
      repair: 're-index the order from its row',
    });
    if (findings.length >= settings.limit) break;
  }
  return findings;
}

interface OrderState {
  shard: number;
  status: number;
  paidAt: string | null;
}

/**
 * Reservations still holding stock long after they were made: of an order that does not exist (and whose saga is no
 * longer creating it) or is cancelled — release them; of a paid order — its stock.deduct never applied: publish it
 * again. Unpaid orders are the abandoned-order finding's.
 */
async function reservationFindings(deps: FindingDeps): Promise<Finding[]> {
  const { settings } = deps;
  const held = await deps.inventory.rows<{ order_id: bigint }>(
    `SELECT order_id FROM t_stock_reservation WHERE status = ? AND created_at < ?
     GROUP BY order_id ORDER BY order_id LIMIT ?`,
    [ReservationStatus.RESERVED, before(deps, settings.graceSeconds), settings.limit * 4],
  );
  if (held.length === 0) return [];
  const ids = held.map((r) => r.order_id);
  const orders = new Map<string, OrderState>();
  for (const [shard, db] of deps.shards.entries()) {
    const rows = await db.rows<{ id: bigint; status: number; paid_at: string | null }>(
      `SELECT id, status, paid_at FROM t_order WHERE id IN (${placeholders(ids.length)})`,
      ids,
    );
    for (const r of rows) orders.set(r.id.toString(), { shard, status: r.status, paidAt: r.paid_at });
  }
  const missing = ids.filter((id) => !orders.has(id.toString()));
  const states = await deps.sagas.of(missing);
  const paidBefore = fromSqlDateTime(before(deps, settings.graceSeconds)).getTime();
  const findings: Finding[] = [];
  for (const id of ids.map(String)) {
    const order = orders.get(id);
    if (!order) {
      const state = states.get(id) ?? 'missing';
      if (state === 'running') continue; // still being created, or its saga will give up and release
      findings.push({
        kind: 'orphan-reservation',
        shard: null,
        orderId: id,
        subject: id,
        detail: `stock reserved for an order that does not exist (its saga is ${state})`,
        repair: 'release the stock',
      });
    } else if (order.status === STATUS_CODE.CANCELLED) {
      findings.push({
        kind: 'orphan-reservation',
        shard: order.shard,
        orderId: id,
        subject: id,
        detail: 'stock still reserved for a cancelled order',
        repair: 'release the stock',
      });
    } else if (
      PAID_OR_LATER.includes(order.status) &&
      order.paidAt !== null &&
      fromSqlDateTime(order.paidAt).getTime() < paidBefore
    ) {
      findings.push({
        kind: 'deduction-missing',
        shard: order.shard,
        orderId: id,
        subject: id,
        detail: `paid, but its stock is still reserved, not sold (the stock.deduct never applied)`,
        repair: 'publish its stock.deduct again (the consume log keeps it from applying twice)',
      });
    }
    if (findings.length >= settings.limit) break;
  }
  return findings;
}
