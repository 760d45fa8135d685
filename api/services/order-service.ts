/**
 * Use cases of orders for the API: place an order (update-with-start of its saga, answered once the order exists),
 * apply pay / cancel / ship / complete through the saga's updates, read orders and the saga's state.
 */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Config } from '../../lib/config';
import type { ShardHealth } from '../../lib/db/shard-health';
import type { ShardRouter } from '../../lib/db/shard-router';
import { AppError, ErrorCodes, errorKindOfType } from '../../lib/errors';
import type { Principal } from '../../lib/auth/roles';
import { resolveOrderRef } from '../../lib/ids/order-id';
import { formatOrderNo } from '../../lib/ids/order-no';
import type { OrderReader } from '../../lib/orders/order-reader';
import { itemLimitViolation, mergeItems } from '../../lib/orders/limits';
import { newOrderView, type OrderView } from '../../lib/orders/order-view';
import { refuseTransition, type OrderAction } from '../../lib/orders/status';
import type { OrderItemRequest } from '../../lib/orders/types';
import type { RedisFastPath } from '../../lib/redis/fast-path';
import { CorrelationIdKey, OrderStatusKey, ShardKey, UserIdKey } from '../../lib/temporal/search-attributes';
import { startOperation, workflowHandle } from '../../lib/temporal/workflows';
import {
  cancelUpdate,
  completeUpdate,
  createdUpdate,
  orderSagaWorkflow,
  payUpdate,
  shipUpdate,
  statusQuery,
  type OrderCreated,
  type OrderSagaInput,
  type SagaStatus,
  type TransitionRequest,
} from '../../workflows/order-saga-definitions';
import type { PlaceOrderBody } from '../validation';
import type { CatalogService } from './catalog-service';
import { withDeadline } from '../../lib/time-limit';
import { appErrorOf, businessFailureOf, isWorkflowClosed, queryWithin } from './temporal-errors';

export interface OrderServiceDeps {
  config: Config;
  temporal: Client;
  reader: OrderReader;
  catalog: CatalogService;
  redis: RedisFastPath;
  /** Order ids with the shard in their low bits (lib/ids/order-id.ts). */
  ids: { nextTagged(shard: number): bigint };
  shards: Pick<ShardRouter<unknown>, 'shardOf'>;
  /** Which shards answer (lib/db/shard-health.ts): a down shard's users are refused at once. */
  shardHealth: Pick<ShardHealth, 'downReason'>;
  registry: Registry;
}

export interface PlacedOrder {
  order: OrderView;
  /** False when the request repeated an earlier one (same Idempotency-Key) and got its order back. */
  created: boolean;
}

const UPDATES = { pay: payUpdate, cancel: cancelUpdate, ship: shipUpdate, complete: completeUpdate } as const;
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const DOUBLE_SUBMIT_TTL_SECONDS = 10;

/** The fields that make an order the same order: items (merged), address, payment method, remark. */
function orderFingerprint(order: {
  items: OrderItemRequest[];
  shippingAddress: object;
  paymentMethod: string;
  remark: string;
}): string {
  const address = Object.entries(order.shippingAddress)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  const items = order.items
    .map((i) => `${i.productId}:${i.skuId}:${i.quantity}`)
    .sort()
    .join(',');
  return JSON.stringify([items, address, order.paymentMethod, order.remark]);
}

/**
 * The order an Idempotency-Key refers to, answered to a request that repeats it: the same order (200), or 422 when
 * the request asks for a different one (the client must not believe a second, different order went through).
 */
function replayOf(existing: OrderView, request: OrderSagaInput): PlacedOrder {
  if (orderFingerprint(existing) !== orderFingerprint(request)) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      `this Idempotency-Key already placed order ${existing.orderId}, which differs from this request; ` +
        'use a new key for a new order',
      { orderId: existing.orderId },
    );
  }
  return { order: existing, created: false };
}

export class OrderService {
  private readonly created: Counter<'outcome'>;
  private readonly createDuration: Histogram<'outcome'>;

  constructor(private readonly deps: OrderServiceDeps) {
    this.created = new Counter({
      name: 'order_created_total',
      help: 'POST /v1/orders outcomes: created, replayed (same Idempotency-Key), rejected (business refusal), error',
      labelNames: ['outcome'] as const,
      registers: [deps.registry],
    });
    this.createDuration = new Histogram({
      name: 'order_create_duration_seconds',
      help: 'Time from POST /v1/orders to the answer, by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 15],
      registers: [deps.registry],
    });
  }

  /**
   * Places an order of the user (the caller: never a user id from the request) and answers once it exists in its
   * shard (201), or returns the order a replay refers to.
   */
  async place(
    userId: bigint,
    body: PlaceOrderBody,
    idempotencyKey: string | undefined,
    correlationId: string,
  ): Promise<PlacedOrder> {
    const end = this.createDuration.startTimer();
    try {
      const placed = await this.placeOrder(userId, body, idempotencyKey, correlationId);
      const outcome = placed.created ? 'created' : 'replayed';
      this.created.inc({ outcome });
      end({ outcome });
      return placed;
    } catch (err) {
      const outcome = err instanceof AppError && err.httpStatus < 500 ? 'rejected' : 'error';
      this.created.inc({ outcome });
      end({ outcome });
      throw err;
    }
  }

  private async placeOrder(
    userId: bigint,
    body: PlaceOrderBody,
    idempotencyKey: string | undefined,
    correlationId: string,
  ): Promise<PlacedOrder> {
    const { config, catalog, redis, ids, reader } = this.deps;
    const items = mergeItems(body.items);
    const overLimit = itemLimitViolation(items, config.order.limits);
    if (overLimit) throw new AppError('INVALID_PARAMETER', overLimit.message, overLimit.details);
    const missing = await catalog.missingSkus(items);
    if (missing.length > 0) throw new AppError('INVALID_PARAMETER', 'unknown product or SKU', missing);

    const shard = this.shardOfUser(userId);
    let orderId: bigint;
    let reused = false;
    if (idempotencyKey) {
      // Fast path of the replay guarantee; the durable one is the unique (user_id, idempotency_key) index.
      const key = `idem:${userId}:${idempotencyKey}`;
      const candidate = ids.nextTagged(shard);
      // Without Redis the candidate goes ahead; a replay is then refused by the unique index and resolved below.
      const won = await redis.attempt(
        'idempotency',
        (r) => r.set(key, candidate.toString(), 'EX', IDEMPOTENCY_TTL_SECONDS, 'NX'),
        'OK',
      );
      const stored = won ? null : await redis.attempt('idempotency', (r) => r.get(key), null);
      orderId = stored ? BigInt(stored) : candidate;
      reused = stored !== null;
      if (stored) {
        const existing =
          (await reader.get(orderId, userId, { fresh: true })) ??
          // Redis may name a saga that found the key taken and was refused: the order is the one the index holds.
          (await reader.byIdempotencyKey(userId, idempotencyKey));
        if (existing) {
          if (existing.orderId !== stored) {
            await redis.attempt(
              'idempotency',
              (r) => r.set(key, existing.orderId, 'EX', IDEMPOTENCY_TTL_SECONDS),
              null,
            );
          }
          return replayOf(
            existing,
            this.sagaInput(userId, body, items, BigInt(existing.orderId), shard, idempotencyKey),
          );
        }
      }
    } else {
      // The id first: a request refused for want of one (503) has submitted nothing, so its retry is no double.
      orderId = ids.nextTagged(shard);
      const digest = createHash('sha1').update(JSON.stringify(body)).digest('hex');
      const fresh = await redis.attempt(
        'double-submit',
        (r) => r.set(`submit:${userId}:${digest}`, '1', 'EX', DOUBLE_SUBMIT_TTL_SECONDS, 'NX'),
        'OK',
      );
      if (!fresh) {
        throw new AppError(
          'DUPLICATE_SUBMIT',
          `the same order was submitted less than ${DOUBLE_SUBMIT_TTL_SECONDS} s ago`,
        );
      }
    }

    const input = { ...this.sagaInput(userId, body, items, orderId, shard, idempotencyKey), correlationId };
    const start = startOperation(config.temporal.taskQueues, orderSagaWorkflow, orderId, {
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { correlationId },
      typedSearchAttributes: [
        { key: OrderStatusKey, value: 'RESERVING' },
        { key: UserIdKey, value: userId.toString() },
        { key: ShardKey, value: shard },
        { key: CorrelationIdKey, value: correlationId },
      ],
    });
    let created: OrderCreated;
    try {
      created = await withDeadline(
        this.deps.temporal.workflow.executeUpdateWithStart(createdUpdate, { startWorkflowOperation: start }),
        config.order.sagaAnswerTimeoutSeconds * 1000,
        () =>
          new AppError(
            'SERVICE_UNAVAILABLE',
            'the order was accepted but is not confirmed yet; repeat the request with the same Idempotency-Key',
            {
              orderId: orderId.toString(),
            },
          ),
      );
    } catch (err) {
      return this.placedAfterFailure(err, input);
    }
    if (reused) {
      // A repeated Idempotency-Key attached to the saga of an earlier request: answer with that order as written.
      const existing = await reader.get(orderId, userId, { fresh: true });
      if (existing) return replayOf(existing, input);
    }
    return { order: newOrderView(input, created), created: !reused };
  }

  private sagaInput(
    userId: bigint,
    body: PlaceOrderBody,
    items: OrderItemRequest[],
    orderId: bigint,
    shard: number,
    idempotencyKey: string | undefined,
  ): OrderSagaInput {
    return {
      orderId: orderId.toString(),
      orderNo: formatOrderNo(orderId, shard),
      userId: userId.toString(),
      shard,
      items,
      shippingAddress: body.shippingAddress,
      paymentMethod: body.paymentMethod,
      remark: body.remark,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      paymentTimeoutSeconds: this.deps.config.order.paymentTimeoutSeconds,
      createDeadlineSeconds: this.deps.config.order.createDeadlineSeconds,
      compensationAttempts: this.deps.config.order.compensationAttempts,
      autoConfirmSeconds: this.deps.config.order.autoConfirmReceiptSeconds,
    };
  }

  /** Resolves a failed place: a replay of an existing order returns it; a refusal becomes its coded error. */
  private async placedAfterFailure(err: unknown, input: OrderSagaInput): Promise<PlacedOrder> {
    const { reader, temporal } = this.deps;
    const orderId = BigInt(input.orderId);
    const userId = BigInt(input.userId);
    const failure = businessFailureOf(err);
    if (failure?.type === ErrorCodes.DUPLICATE_SUBMIT.type) {
      const existingId = (failure.details?.[0] as { existingOrderId?: string } | undefined)?.existingOrderId;
      const existing = existingId ? await reader.get(BigInt(existingId), userId, { fresh: true }) : undefined;
      if (existing) return replayOf(existing, input);
    }
    const coded = appErrorOf(err);
    if (coded) throw coded;
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      // The saga of this order id already ran to its end: return its order, or repeat why it was refused.
      const existing = await reader.get(orderId, userId, { fresh: true });
      if (existing) return replayOf(existing, input);
      const result = await workflowHandle(temporal, orderSagaWorkflow, orderId)
        .result()
        .catch((closed: unknown) => ({ reason: undefined, closed }));
      if ('closed' in result) {
        // Terminated, cancelled or failed before the order existed: nothing was created under this id.
        throw new AppError(
          'ORDER_NOT_CREATED',
          `the saga of this order ended without creating it (${(result.closed as Error).message}); ` +
            'place the order again with a new Idempotency-Key',
          { orderId: input.orderId },
        );
      }
      throw new AppError(
        errorKindOfType(result.reason) ?? 'INVALID_PARAMETER',
        `the order was refused: ${result.reason ?? 'unknown'}`,
      );
    }
    throw err;
  }

  /** The user's shard; 503 at once when it does not answer (its users wait, the other shards' go on). */
  private shardOfUser(userId: bigint): number {
    const shard = this.deps.shards.shardOf(userId);
    this.shardUp(shard, "this user's orders");
    return shard;
  }

  private shardUp(shard: number, holds: string): void {
    const down = this.deps.shardHealth.downReason(shard);
    if (down !== undefined) {
      throw new AppError('SERVICE_UNAVAILABLE', `shard ${shard}, which holds ${holds}, does not answer now`, {
        shard,
        error: down,
      });
    }
  }

  /** A buyer's cancel / confirm receipt of their own order (another user's is 404), through the saga. */
  async transition(
    action: Extract<OrderAction, 'cancel' | 'complete'>,
    orderId: bigint,
    userId: bigint,
    extra: { reason?: string; correlationId: string },
  ): Promise<OrderView> {
    return this.throughSaga(action, await this.ownOrder(orderId, userId), `user:${userId}`, extra);
  }

  /** The buyer's own order as its row is now (another user's is 404, its existence not leaked). */
  async ownOrder(orderId: bigint, userId: bigint): Promise<OrderView> {
    this.shardOfUser(userId);
    const order = await this.deps.reader.get(orderId, userId, { fresh: true });
    if (!order) throw new AppError('ORDER_NOT_FOUND', `order ${orderId} not found`);
    return order;
  }

  /**
   * The buyer's own order when a payment may start for it: unpaid, not cancelled, and with a running saga to apply
   * the payment (an order whose saga ended could only take money it would owe back).
   */
  async payable(orderId: bigint, userId: bigint): Promise<OrderView> {
    const order = await this.ownOrder(orderId, userId);
    const refused = refuseTransition('pay', order.status);
    if (refused) throw new AppError(refused.kind, refused.message);
    const saga = await queryWithin(
      this.deps.temporal,
      () => workflowHandle(this.deps.temporal, orderSagaWorkflow, orderId).describe(),
      this.deps.config.order.sagaAnswerTimeoutSeconds * 1000,
      `the saga of order ${orderId}`,
    );
    if (saga.status.name !== 'RUNNING') {
      throw new AppError(
        'ORDER_STATE_CONFLICT',
        `cannot pay: the order's saga has ended while the order is ${order.status}; an operator must settle it`,
        { orderId: order.orderId, status: order.status },
      );
    }
    return order;
  }

  /**
   * Pays an order through its saga for a payment the provider's signed callback approved (api/services/
   * payment-service.ts): the saga's pay step marks the payment APPROVED and the order PAID in one transaction.
   */
  async payApproved(
    orderId: bigint,
    shard: number,
    provider: string,
    payment: { paymentId: string; providerTxnId: string },
    correlationId: string,
  ): Promise<OrderView> {
    this.shardUp(shard, 'this order');
    const order = await this.deps.reader.find(orderId, shard, { fresh: true });
    if (!order) throw new AppError('ORDER_NOT_FOUND', `order ${orderId} not found`);
    return this.throughSaga('pay', order, `payment:${provider}`, {
      paymentRef: payment.providerTxnId,
      payment,
      correlationId,
    });
  }

  /** The shop's act on any order, by order id or number (ship; cancel an unpaid one), recorded as the staff member's. */
  async staffTransition(
    action: Extract<OrderAction, 'ship' | 'cancel'>,
    orderRef: string,
    staff: Principal,
    extra: { reason?: string; correlationId: string },
  ): Promise<OrderView> {
    const order = await this.findByRef(orderRef, { fresh: true });
    return this.throughSaga(action, order, `${staff.role}:${staff.username}`, extra);
  }

  /** Any order by its id or order number, for the shop's staff; 404 when it names none. */
  async findByRef(orderRef: string, options: { fresh?: boolean } = {}): Promise<OrderView> {
    const ref = resolveOrderRef(orderRef);
    const notFound = new AppError('ORDER_NOT_FOUND', `order ${orderRef} not found`);
    if (!ref) throw notFound;
    this.shardUp(ref.shard, 'this order');
    const order = await this.deps.reader.find(ref.orderId, ref.shard, options);
    if (!order || (ref.orderNo !== undefined && order.orderNo !== ref.orderNo)) throw notFound;
    return order;
  }

  /** The saga of any order, for the shop's staff. */
  async staffSaga(orderRef: string): Promise<SagaStatus> {
    const order = await this.findByRef(orderRef);
    return this.sagaOf(BigInt(order.orderId));
  }

  /** Applies a transition through the order's saga and returns the order as it now is. */
  private async throughSaga(
    action: OrderAction,
    order: OrderView,
    actor: string,
    extra: Omit<TransitionRequest, 'actor'>,
  ): Promise<OrderView> {
    const { reader, temporal } = this.deps;
    const orderId = BigInt(order.orderId);
    try {
      await withDeadline(
        workflowHandle(temporal, orderSagaWorkflow, orderId).executeUpdate(UPDATES[action], {
          args: [{ actor, ...extra }],
        }),
        this.deps.config.order.sagaAnswerTimeoutSeconds * 1000,
        () =>
          new AppError(
            'SERVICE_UNAVAILABLE',
            `${action} was sent to the order's saga but not confirmed in time (is the order worker running?); ` +
              'read the order before repeating it',
            { orderId: orderId.toString() },
          ),
      );
    } catch (err) {
      const coded = appErrorOf(err);
      if (coded) throw coded;
      if (isWorkflowClosed(err)) {
        const refusal = refuseTransition(action, order.status);
        if (refusal) throw new AppError(refusal.kind, refusal.message);
        // The row allows the step but its saga is gone (terminated, or failed): nothing may change the order now.
        throw new AppError(
          'ORDER_STATE_CONFLICT',
          `cannot ${action}: the order's saga has ended while the order is ${order.status}; an operator must settle it`,
          { orderId: orderId.toString(), status: order.status },
        );
      }
      throw err;
    }
    const updated = await reader.find(orderId, order.shard, { fresh: true });
    if (!updated) throw new Error(`order ${orderId} vanished after ${action}`);
    return updated;
  }

  /** One page of a user's orders from their shard. */
  list(userId: bigint, filter: Parameters<OrderReader['list']>[1]): ReturnType<OrderReader['list']> {
    this.shardOfUser(userId);
    return this.deps.reader.list(userId, filter);
  }

  async get(orderId: bigint, userId: bigint): Promise<OrderView> {
    this.shardOfUser(userId);
    const order = await this.deps.reader.get(orderId, userId);
    if (!order) throw new AppError('ORDER_NOT_FOUND', `order ${orderId} not found`);
    return order;
  }

  /** The saga's step history, for an order of this user. */
  async saga(orderId: bigint, userId: bigint): Promise<SagaStatus> {
    await this.get(orderId, userId);
    return this.sagaOf(orderId);
  }

  private sagaOf(orderId: bigint): Promise<SagaStatus> {
    return queryWithin(
      this.deps.temporal,
      () => workflowHandle(this.deps.temporal, orderSagaWorkflow, orderId).query(statusQuery),
      this.deps.config.order.sagaAnswerTimeoutSeconds * 1000,
      `the saga of order ${orderId} (is the order worker running?)`,
    );
  }
}
