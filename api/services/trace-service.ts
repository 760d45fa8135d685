/**
 * `doos trace` behind the API: the path of an order — or of every order one request touched, by its correlation id —
 * through DOOS, as timed steps from every record that keeps one: the saga's history (API start, updates, activities,
 * timers, close), the order's outbox rows (written, published to Kafka), the inventory consumer's record of each
 * message it applied, the stock reservations, and the search document (whether it matches the row now).
 * Nothing here needs a worker to answer: a stuck saga is traced like any other.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@temporalio/client';
import type { SqlPool } from '../../lib/db/sql-pool';
import { fromSqlDateTime } from '../../lib/db/sql-pool';
import { AppError } from '../../lib/errors';
import { documentOfView } from '../../lib/cdc/order-document';
import { resolveOrderRef } from '../../lib/ids/order-id';
import { listOutboxRows, type OutboxRowView } from '../../lib/outbox/outbox-table';
import type { OrderView } from '../../lib/orders/order-view';
import type { SearchClient } from '../../lib/search/client';
import { sagaHistorySteps } from '../../lib/trace/saga-history-steps';
import { inTimeOrder, type TraceStep } from '../../lib/trace/trace-step';
import { orderSagaWorkflow } from '../../workflows/order-saga-definitions';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { OrderService } from './order-service';

export interface OrderTrace {
  orderId: string;
  shard: number;
  status: string;
  /** The request that placed the order. */
  correlationId: string | null;
  steps: TraceStep[];
  search: { indexed: boolean; matchesRow: boolean; status?: string };
}

export interface TraceDeps {
  orders: Pick<OrderService, 'findByRef'>;
  temporal: Client;
  shards: SqlPool[];
  inventory: SqlPool;
  search: { es: SearchClient; index: string };
}

/** At most this many orders for one correlation id (a request acts on one order; a bulk tool may on more). */
const MAX_ORDERS = 20;
const RESERVATION = ['reserved', 'confirmed', 'released'] as const;

interface ConsumedRow {
  message_id: string;
  consumer_group: string;
  consumed_at: string;
}

interface ReservationRow {
  sku_id: bigint;
  quantity: number;
  status: number;
  created_at: string;
  updated_at: string;
}

export class TraceService {
  constructor(private readonly deps: TraceDeps) {}

  /** The traces of the order `ref` names (order id or number) or of the orders of the request it is the id of. */
  async trace(ref: string): Promise<OrderTrace[]> {
    const orderIds = /^\d+$/.test(ref) && resolveOrderRef(ref) ? [ref] : await this.ordersOfRequest(ref);
    if (orderIds.length === 0) {
      throw new AppError('ORDER_NOT_FOUND', `no order has the id, order number or correlation id ${ref}`);
    }
    return Promise.all(orderIds.map(async (id) => this.traceOrder(await this.deps.orders.findByRef(id))));
  }

  /** The orders a request placed (its saga's CorrelationId) or changed (outbox rows it caused), newest first. */
  private async ordersOfRequest(correlationId: string): Promise<string[]> {
    const found = new Set<string>();
    const query = `WorkflowType = '${orderSagaWorkflow.workflowType}' AND CorrelationId = '${correlationId}'`;
    for await (const w of this.deps.temporal.workflow.list({ query, pageSize: MAX_ORDERS })) {
      found.add(w.workflowId.slice('order:'.length));
      if (found.size >= MAX_ORDERS) break;
    }
    for (const db of this.deps.shards) {
      for (const row of await listOutboxRows(db, { correlationId, limit: MAX_ORDERS })) found.add(row.orderId);
    }
    return [...found].slice(0, MAX_ORDERS);
  }

  /** The trace of one order. */
  async traceOrder(order: OrderView): Promise<OrderTrace> {
    const orderId = BigInt(order.orderId);
    const outbox = await listOutboxRows(this.deps.shards[order.shard]!, { orderId, limit: 1000 });
    const [saga, consumed, reservations, search] = await Promise.all([
      this.sagaSteps(orderId),
      this.consumedSteps(outbox),
      this.reservationSteps(orderId),
      this.searchState(order),
    ]);
    return {
      orderId: order.orderId,
      shard: order.shard,
      status: order.status,
      correlationId: order.correlationId,
      steps: inTimeOrder([
        ...saga.map((s) =>
          s.step === 'saga started' && order.correlationId ? { ...s, correlationId: order.correlationId } : s,
        ),
        ...outbox.flatMap(outboxSteps),
        ...consumed,
        ...reservations,
      ]),
      search,
    };
  }

  private async sagaSteps(orderId: bigint): Promise<TraceStep[]> {
    const handle = this.deps.temporal.workflow.getHandle(orderSagaWorkflow.workflowId(orderId));
    try {
      const history = await handle.fetchHistory();
      return sagaHistorySteps(history.events ?? []);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    }
  }

  private async consumedSteps(outbox: OutboxRowView[]): Promise<TraceStep[]> {
    if (outbox.length === 0) return [];
    const byId = new Map(outbox.map((r) => [r.messageId, r]));
    const rows = await this.deps.inventory.rows<ConsumedRow>(
      `SELECT message_id, consumer_group, consumed_at FROM t_message_consume_log
       WHERE message_id IN (${outbox.map(() => '?').join(', ')})`,
      outbox.map((r) => r.messageId),
    );
    return rows.map((r) => {
      const message = byId.get(r.message_id);
      return {
        at: fromSqlDateTime(r.consumed_at).toISOString(),
        process: 'inventory-consumer',
        step: `applied ${message?.eventType ?? 'message'}`,
        ...(message?.correlationId ? { correlationId: message.correlationId } : {}),
        detail: `consumer group ${r.consumer_group}, message ${r.message_id}`,
      };
    });
  }

  private async reservationSteps(orderId: bigint): Promise<TraceStep[]> {
    const rows = await this.deps.inventory.rows<ReservationRow>(
      'SELECT sku_id, quantity, status, created_at, updated_at FROM t_stock_reservation WHERE order_id = ? ORDER BY id',
      [orderId],
    );
    return rows.flatMap((r) => {
      const what = `${r.quantity} of SKU ${r.sku_id}`;
      const reserved: TraceStep = {
        at: fromSqlDateTime(r.created_at).toISOString(),
        process: 'order-worker',
        step: 'stock reserved',
        detail: what,
      };
      const status = RESERVATION[r.status] ?? `status ${r.status}`;
      if (status === 'reserved') return [reserved];
      return [
        reserved,
        {
          at: fromSqlDateTime(r.updated_at).toISOString(),
          process: status === 'confirmed' ? 'inventory-consumer' : 'order-worker',
          step: `reservation ${status}`,
          detail: what,
        },
      ];
    });
  }

  private async searchState(order: OrderView): Promise<OrderTrace['search']> {
    const res = await this.deps.search.es
      .get<object>({ index: this.deps.search.index, id: order.orderId }, { ignore: [404] })
      .catch(() => undefined);
    if (!res?.found) return { indexed: false, matchesRow: false };
    const doc = res._source as { status?: string };
    return {
      indexed: true,
      matchesRow: isDeepStrictEqual(JSON.parse(JSON.stringify(documentOfView(order))), doc),
      ...(doc.status ? { status: doc.status } : {}),
    };
  }
}

/** An outbox row: written by the saga's step, then published by the relay. */
function outboxSteps(row: OutboxRowView): TraceStep[] {
  const correlation = row.correlationId ? { correlationId: row.correlationId } : {};
  const written: TraceStep = {
    at: row.createdAt,
    process: 'order-worker',
    step: `outbox ${row.eventType} written`,
    ...correlation,
    detail: `message ${row.messageId}`,
  };
  if (!row.sentAt) {
    return [written, { ...written, step: `${row.eventType} not yet published`, detail: `status ${row.status}` }];
  }
  return [
    written,
    { at: row.sentAt, process: 'relay-worker', step: `published ${row.eventType}`, ...correlation, detail: row.topic },
  ];
}
