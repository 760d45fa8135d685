/**
 * Order activities of the saga, on the user's shard: create the order, apply a status transition. Each writes its
 * outbox rows in the same local transaction as the change they announce, is idempotent on the order id (a retried
 * call finds its change already made and does nothing more), and deletes the order's cached read after committing.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Redis } from 'ioredis';
import type { Config } from '../lib/config';
import type { ShardPrismaClient } from '../lib/db/prisma';
import type { ShardRouter } from '../lib/db/shard-router';
import { invalidateOrderCache } from '../lib/orders/cache';
import { TRANSITION_EVENTS, type OrderEventType } from '../lib/orders/events';
import { formatCents } from '../lib/orders/money';
import {
  ACTION_SOURCE,
  ACTION_TARGET,
  STATUS_CODE,
  refuseTransition,
  statusFromCode,
  type OrderAction,
  type OrderStatus,
} from '../lib/orders/status';
import type { OrderSagaInput, PricedItem, TransitionRequest } from '../lib/orders/types';

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

type Tx = Parameters<Parameters<ShardPrismaClient['$transaction']>[0]>[0];

function isUniqueViolation(err: unknown, index: string): boolean {
  const e = err as { code?: string; message?: string; meta?: unknown };
  return (
    e.code === 'P2002' &&
    JSON.stringify(e.meta ?? '')
      .concat(e.message ?? '')
      .includes(index)
  );
}

export function createOrderActivities(deps: {
  shards: ShardRouter<ShardPrismaClient>;
  redis: Redis;
  topics: Config['kafka']['topics'];
}) {
  const { shards, redis, topics } = deps;

  async function writeOutbox(
    tx: Tx,
    orderId: bigint,
    messageId: string,
    eventType: OrderEventType,
    topic: string,
    payload: object,
  ): Promise<void> {
    await tx.localMessage.create({
      data: {
        messageId,
        txId: orderId,
        topic,
        eventType,
        payload: { eventType, ...payload, occurredAt: new Date().toISOString() },
      },
    });
  }

  /** Inserts the order, its items and the order.created outbox row in one shard transaction. */
  async function createOrder(input: CreateOrderInput): Promise<CreateOrderResult> {
    const { order, items } = input;
    const id = BigInt(order.orderId);
    const userId = BigInt(order.userId);
    const totalCents = items.reduce((sum, i) => sum + i.subtotalCents, 0);
    const db = shards.at(order.shard);
    try {
      const now = new Date();
      const result = await db.$transaction(async (tx): Promise<CreateOrderResult> => {
        const existing = await tx.order.findUnique({ where: { id }, select: { createdAt: true } });
        if (existing) return { created: false, createdAt: existing.createdAt.toISOString() };
        await tx.order.create({
          data: {
            id,
            createdAt: now,
            updatedAt: now,
            userId,
            orderNo: order.orderNo,
            totalAmount: formatCents(totalCents),
            discountAmount: '0.00',
            actualAmount: formatCents(totalCents),
            status: STATUS_CODE.PENDING_PAYMENT,
            paymentMethod: order.paymentMethod,
            shippingAddress: JSON.stringify(order.shippingAddress),
            remark: order.remark,
            idempotencyKey: order.idempotencyKey ?? null,
            items: {
              create: items.map((i) => ({
                productId: BigInt(i.productId),
                skuId: BigInt(i.skuId),
                productName: i.productName,
                productImage: i.productImage,
                price: formatCents(i.priceCents),
                quantity: i.quantity,
                subtotal: formatCents(i.subtotalCents),
              })),
            },
          },
        });
        await writeOutbox(tx, id, input.messageId, 'order.created', topics.orderEvents, {
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
        });
        return { created: true, createdAt: now.toISOString() };
      });
      await invalidateOrderCache(redis, id);
      return result;
    } catch (err) {
      if (order.idempotencyKey && isUniqueViolation(err, 'uk_user_idempotency_key')) {
        const existing = await db.order.findFirst({
          where: { userId, idempotencyKey: order.idempotencyKey },
          select: { id: true },
        });
        throw ApplicationFailure.create({
          type: 'DUPLICATE_SUBMIT',
          message: `user ${order.userId} already placed order ${existing?.id ?? '?'} with this Idempotency-Key`,
          nonRetryable: true,
          details: [{ existingOrderId: existing?.id.toString() }],
        });
      }
      throw err;
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
      throw ApplicationFailure.create({
        type: 'INTERNAL',
        message: `${input.action} writes ${events.length} messages but ${input.messageIds.length} ids were given`,
        nonRetryable: true,
      });
    }
    const result = await shards.at(input.shard).$transaction(async (tx): Promise<ApplyTransitionResult> => {
      const changed = await tx.$executeRawUnsafe(
        `UPDATE t_order SET status = ?, ${TIMESTAMP_COLUMN[input.action]} = NOW(3), updated_at = NOW(3)
         WHERE id = ? AND status = ?`,
        STATUS_CODE[target],
        id,
        STATUS_CODE[ACTION_SOURCE[input.action]],
      );
      const row = await tx.order.findUnique({ where: { id }, include: { items: true } });
      if (!row) {
        throw ApplicationFailure.create({
          type: 'ORDER_NOT_FOUND',
          message: `order ${input.orderId} not found`,
          nonRetryable: true,
        });
      }
      const current = statusFromCode(row.status);
      if (changed === 0) {
        if (current === target) return { status: current, applied: false };
        const refusal = refuseTransition(input.action, current);
        throw ApplicationFailure.create({
          type: refusal?.kind ?? 'ORDER_STATE_CONFLICT',
          message: refusal?.message ?? `cannot ${input.action} order in status ${current}`,
          nonRetryable: true,
        });
      }
      for (const [i, event] of events.entries()) {
        const base = {
          orderId: input.orderId,
          orderNo: row.orderNo,
          userId: row.userId.toString(),
          status: target,
          actor: input.request.actor,
          ...(input.request.reason ? { reason: input.request.reason } : {}),
          ...(input.request.paymentRef ? { paymentRef: input.request.paymentRef } : {}),
        };
        const payload =
          event.eventType === 'stock.deduct'
            ? {
                ...base,
                items: row.items.map((it) => ({
                  productId: it.productId.toString(),
                  skuId: it.skuId.toString(),
                  quantity: it.quantity,
                })),
              }
            : { ...base, actualAmount: row.actualAmount.toString() };
        await writeOutbox(tx, id, input.messageIds[i] as string, event.eventType, topics[event.topic], payload);
      }
      return { status: target, applied: true };
    });
    await invalidateOrderCache(redis, id);
    return result;
  }

  return { createOrder, applyTransition };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
