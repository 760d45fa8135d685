/**
 * Order activities of the saga, on the user's shard: create the order, apply a status transition. Each writes its
 * outbox rows in the same local transaction as the change they announce, is idempotent on the order id (a retried
 * call finds its change already made and does nothing more), and deletes the order's cached read after committing
 * (owed, not failed, while Redis is away).
 */
import type { Config } from '../lib/config';
import type { ShardRouter } from '../lib/db/shard-router';
import { refusal } from '../lib/errors';
import { fromSqlDateTime, isDuplicateKey, placeholders, type SqlPool, type SqlRunner } from '../lib/db/sql-pool';
import { encodeEvent, type EventFields } from '../lib/events/order-events';
import type { OrderCacheInvalidator } from '../lib/orders/cache';
import { insertOutboxRow } from '../lib/outbox/outbox-table';
import { currentTraceContext } from '../lib/telemetry/message-spans';
import { TRANSITION_EVENTS, type OrderEventType } from '../lib/orders/events';
import { formatCents } from '../lib/orders/money';
import { approveInTransaction } from '../lib/payments/payment-store';
import type { PersonalData } from '../lib/privacy/personal-data';
import {
  ACTION_SOURCE,
  ACTION_TARGET,
  STATUS_CODE,
  refuseTransition,
  statusFromCode,
  type OrderAction,
  type OrderStatus,
} from '../lib/orders/status';
import type { PricedItem } from '../lib/orders/types';
import type { OrderSagaInput, TransitionRequest } from '../workflows/order-saga-definitions';

export interface CreateOrderInput {
  order: Omit<OrderSagaInput, 'items' | 'paymentTimeoutSeconds'>;
  items: PricedItem[];
  /** Outbox message id of order.created, made by the workflow so a retry writes the same message. */
  messageId: string;
}

export interface CreateOrderResult {
  /** False when an earlier attempt already created it. */
  created: boolean;
  /** created_at of the row (ISO), so the caller can answer without reading the row back. */
  createdAt: string;
}

export interface ApplyTransitionInput {
  orderId: string;
  shard: number;
  action: OrderAction;
  /** One outbox message id per event of the action (TRANSITION_EVENTS), made by the workflow. */
  messageIds: string[];
  request: TransitionRequest;
}

export interface ApplyTransitionResult {
  status: OrderStatus;
  /** False when an earlier attempt already applied it. */
  applied: boolean;
}

const TIMESTAMP_COLUMN: Record<OrderAction, string> = {
  pay: 'paid_at',
  cancel: 'cancelled_at',
  ship: 'shipped_at',
  complete: 'completed_at',
};

/** The columns of an order a transition's outbox rows carry. */
interface TransitionRow {
  order_no: string;
  user_id: bigint;
  status: number;
  /** DECIMAL(10,2) as text. */
  actual_amount: string;
  /** DATETIME(3) text: when the transition was made, by the database's clock. */
  updated_at: string;
  /** The trace of the request that placed the order (null: placed untraced, or before traces were kept). */
  trace_context: string | null;
}

/** When an event happened, the request that caused it, and the trace its record continues. */
interface EventSource {
  at: Date;
  correlationId: string | undefined;
  traceContext: string | null;
}

interface ItemRow {
  product_id: bigint;
  sku_id: bigint;
  quantity: number;
}

export function createOrderActivities(deps: {
  shards: ShardRouter<SqlPool>;
  /** Deletes an order's cached detail after a change; never fails the change (owed while Redis is away). */
  cache: OrderCacheInvalidator;
  topics: Config['kafka']['topics'];
  /** Seals the shipping address before it is written (lib/privacy/personal-data.ts). */
  personal: PersonalData;
}) {
  const { shards, cache, topics, personal } = deps;

  /**
   * Writes one event of the order to the outbox, built and checked by its schema (lib/events/order-events.ts), at the
   * database's time of the change it announces.
   */
  async function writeOutbox<T extends OrderEventType>(
    tx: SqlRunner,
    orderId: bigint,
    messageId: string,
    topic: string,
    eventType: T,
    fields: EventFields<T>,
    source: EventSource,
  ): Promise<void> {
    await insertOutboxRow(tx, {
      messageId,
      orderId,
      topic,
      eventType,
      payload: encodeEvent(eventType, fields, source.at),
      at: source.at,
      ...(source.correlationId ? { correlationId: source.correlationId } : {}),
      traceContext: source.traceContext,
    });
  }

  /** Inserts the order, its items and the order.created outbox row in one shard transaction. */
  async function createOrder(input: CreateOrderInput): Promise<CreateOrderResult> {
    const { order, items } = input;
    const id = BigInt(order.orderId);
    const userId = BigInt(order.userId);
    const totalCents = items.reduce((sum, i) => sum + i.subtotalCents, 0);
    const db = shards.at(order.shard);
    const traceContext = currentTraceContext();
    try {
      const result = await db.transaction(async (tx): Promise<CreateOrderResult> => {
        // One clock for every time the order carries: the database's (UTC), here as at every transition.
        const [clock] = await tx.rows<{ now: string; existing: string | null }>(
          'SELECT UTC_TIMESTAMP(3) AS now, (SELECT created_at FROM t_order WHERE id = ?) AS existing',
          [id],
        );
        if (clock?.existing) return { created: false, createdAt: fromSqlDateTime(clock.existing).toISOString() };
        const at = clock!.now;
        const now = fromSqlDateTime(at);
        await tx.write(
          `INSERT INTO t_order (id, user_id, order_no, total_amount, discount_amount, actual_amount, status,
             payment_method, shipping_address, remark, idempotency_key, correlation_id, trace_context, created_at,
             updated_at)
           VALUES (?, ?, ?, ?, '0.00', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            userId,
            order.orderNo,
            formatCents(totalCents),
            formatCents(totalCents),
            STATUS_CODE.PENDING_PAYMENT,
            order.paymentMethod,
            personal.sealAddress(id, order.shippingAddress),
            order.remark,
            order.idempotencyKey ?? null,
            order.correlationId ?? null,
            traceContext,
            at,
            at,
          ],
        );
        await tx.write(
          `INSERT INTO t_order_item (order_id, product_id, sku_id, product_name, product_image, price, quantity,
             subtotal, created_at)
           VALUES ${placeholders(items.length, 9)}`,
          items.flatMap((i) => [
            id,
            BigInt(i.productId),
            BigInt(i.skuId),
            i.productName,
            i.productImage,
            formatCents(i.priceCents),
            i.quantity,
            formatCents(i.subtotalCents),
            at,
          ]),
        );
        await writeOutbox(
          tx,
          id,
          input.messageId,
          topics.orderEvents,
          'order.created',
          {
            orderId: order.orderId,
            orderNo: order.orderNo,
            userId: order.userId,
            status: 'PENDING_PAYMENT',
            totalAmount: formatCents(totalCents),
            actualAmount: formatCents(totalCents),
            items: items.map((i) => ({
              productId: i.productId,
              skuId: i.skuId,
              quantity: i.quantity,
              price: formatCents(i.priceCents),
            })),
          },
          { at: now, correlationId: order.correlationId, traceContext },
        );
        return { created: true, createdAt: now.toISOString() };
      });
      await cache.invalidate(id);
      return result;
    } catch (err) {
      if (order.idempotencyKey && isDuplicateKey(err, 'uk_user_idempotency_key')) {
        const [existing] = await db.rows<{ id: bigint }>(
          'SELECT id FROM t_order WHERE user_id = ? AND idempotency_key = ?',
          [userId, order.idempotencyKey],
        );
        throw refusal(
          'DUPLICATE_SUBMIT',
          `user ${order.userId} already placed order ${existing?.id ?? '?'} with this Idempotency-Key`,
          { existingOrderId: existing?.id.toString() },
        );
      }
      throw err;
    }
  }

  /** Pay's part of the transaction: the approved payment must be this order's pending one (else all rolls back). */
  async function approvePayment(tx: SqlRunner, orderId: bigint, request: TransitionRequest): Promise<void> {
    const { payment } = request;
    if (!payment) throw refusal('INVALID_PARAMETER', 'an order is paid only by an approved payment; none was given');
    if (!(await approveInTransaction(tx, orderId, payment.paymentId, payment.providerTxnId))) {
      throw refusal('PAYMENT_MISMATCH', `payment ${payment.paymentId} is not a pending payment of order ${orderId}`);
    }
  }

  /**
   * Moves an order from the status the action needs to the one it leads to, stamping its time column, and writes
   * the action's outbox rows, in one transaction. Already in the target status: nothing to do. Any other status:
   * the non-retryable refusal of refuseTransition.
   */
  async function applyTransition(input: ApplyTransitionInput): Promise<ApplyTransitionResult> {
    const id = BigInt(input.orderId);
    const target = ACTION_TARGET[input.action];
    const events = TRANSITION_EVENTS[input.action];
    if (input.messageIds.length !== events.length) {
      throw refusal(
        'INTERNAL',
        `${input.action} writes ${events.length} messages but ${input.messageIds.length} ids were given`,
      );
    }
    const result = await shards.at(input.shard).transaction(async (tx): Promise<ApplyTransitionResult> => {
      const changed = await tx.write(
        `UPDATE t_order
         SET status = ?, ${TIMESTAMP_COLUMN[input.action]} = UTC_TIMESTAMP(3), updated_at = UTC_TIMESTAMP(3),
           version = version + 1
         WHERE id = ? AND status = ?`,
        [STATUS_CODE[target], id, STATUS_CODE[ACTION_SOURCE[input.action]]],
      );
      const [row] = await tx.rows<TransitionRow>(
        'SELECT order_no, user_id, status, actual_amount, updated_at, trace_context FROM t_order WHERE id = ?',
        [id],
      );
      if (!row) {
        throw refusal('ORDER_NOT_FOUND', `order ${input.orderId} not found`);
      }
      const current = statusFromCode(row.status);
      if (changed === 0) {
        if (current === target) return { status: current, applied: false };
        const refused = refuseTransition(input.action, current);
        throw refusal(
          refused?.kind ?? 'ORDER_STATE_CONFLICT',
          refused?.message ?? `cannot ${input.action} order in status ${current}`,
        );
      }
      if (input.action === 'pay') await approvePayment(tx, id, input.request);
      const items = events.some((e) => e.eventType === 'stock.deduct')
        ? await tx.rows<ItemRow>(
            'SELECT product_id, sku_id, quantity FROM t_order_item WHERE order_id = ? ORDER BY id',
            [id],
          )
        : [];
      const changedAt = fromSqlDateTime(row.updated_at);
      const facts = {
        orderId: input.orderId,
        orderNo: row.order_no,
        userId: row.user_id.toString(),
        status: target,
        actor: input.request.actor,
        ...(input.request.reason ? { reason: input.request.reason } : {}),
        ...(input.request.paymentRef ? { paymentRef: input.request.paymentRef } : {}),
      };
      // Every event of the order continues the trace of the request that placed it (a pay's own trace ends at its
      // SQL): one order is one trace from POST /v1/orders to the consumer's deduction.
      const source: EventSource = {
        at: changedAt,
        correlationId: input.request.correlationId,
        traceContext: row.trace_context ?? currentTraceContext(),
      };
      for (const [i, event] of events.entries()) {
        const messageId = input.messageIds[i] as string;
        const topic = topics[event.topic];
        if (event.eventType === 'stock.deduct') {
          await writeOutbox(
            tx,
            id,
            messageId,
            topic,
            event.eventType,
            {
              ...facts,
              items: items.map((it) => ({
                productId: it.product_id.toString(),
                skuId: it.sku_id.toString(),
                quantity: it.quantity,
              })),
            },
            source,
          );
        } else {
          await writeOutbox(
            tx,
            id,
            messageId,
            topic,
            event.eventType,
            { ...facts, actualAmount: row.actual_amount },
            source,
          );
        }
      }
      return { status: target, applied: true };
    });
    await cache.invalidate(id);
    return result;
  }

  return { createOrder, applyTransition };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
