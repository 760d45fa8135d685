/**
 * The order saga's contract: what the API, the order worker's activities, the CLI and the tests share with
 * `orderSaga` — its type, task queue and id, input and result, updates, query and signal, and the failure types that
 * refuse an order for good. Sandbox-safe; nothing outside the worker bundle imports the implementation.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { ErrorCodes } from '../lib/errors/codes';
import type { OrderItemRequest, PaymentMethod, PricedItem, ShippingAddress } from '../lib/orders/types';
import type { OrderStatus } from '../lib/orders/status';
import { defineWorkflow } from '../lib/temporal/workflow-contract';

export interface OrderSagaInput {
  orderId: string;
  orderNo: string;
  userId: string;
  shard: number;
  items: OrderItemRequest[];
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
  remark: string;
  idempotencyKey?: string;
  /** The request id of the request that placed the order (absent in sagas started before it was carried). */
  correlationId?: string;
  paymentTimeoutSeconds: number;
  /** How long reserving and creating may retry a failing dependency before the saga gives up (60 when absent). */
  createDeadlineSeconds?: number;
  /** Attempts of a compensation before the saga parks for an operator (8 when absent). */
  compensationAttempts?: number;
  /**
   * How long after shipping the saga confirms receipt by itself if the buyer has not (absent in sagas started before
   * it existed: they wait for the buyer).
   */
  autoConfirmSeconds?: number;
}

/** Where the saga is: before the order exists, its status after, or rejected (nothing kept). */
export type SagaPhase = 'RESERVING' | 'CREATING' | OrderStatus | 'REJECTED';

export interface OrderSagaResult {
  orderId: string;
  phase: SagaPhase;
  /** The failure type that refused the order (one of ORDER_REFUSALS), when phase is REJECTED. */
  reason?: string;
}

export type OrderSagaWorkflow = (input: OrderSagaInput) => Promise<OrderSagaResult>;

/** `order:<orderId>` on task queue `orders`: one saga per order. */
export const orderSagaWorkflow = defineWorkflow<OrderSagaWorkflow, string | bigint>({
  workflowType: 'orderSaga',
  taskQueue: 'orders',
  workflowId: (orderId) => `order:${orderId.toString()}`,
});

/** Failure types that refuse an order for good: the client gets them back and nothing stays reserved. */
export const ORDER_REFUSALS: readonly string[] = [
  ErrorCodes.STOCK_INSUFFICIENT.type,
  ErrorCodes.INVALID_PARAMETER.type,
  ErrorCodes.DUPLICATE_SUBMIT.type,
  ErrorCodes.ORDER_NOT_CREATED.type,
];

export interface SagaStep {
  step: string;
  outcome: 'started' | 'completed' | 'failed' | 'compensated' | 'parked';
  at: string;
  detail?: string;
}

/** Answer of the `status` query. */
export interface SagaStatus {
  orderId: string;
  phase: SagaPhase;
  compensationParked: boolean;
  history: SagaStep[];
  lastError?: string;
  /** An activity that has been failing for a while (activityRetrying), until a step completes. */
  retrying?: ActivityRetrying;
  /** While the order awaits payment: when the payment timeout cancels it (ISO instant). */
  payBefore?: string;
}

/** What a worker reports of an activity of the saga still failing at attempt ≥ order.stuck.attempts. */
export interface ActivityRetrying {
  activityType: string;
  /** The attempt that failed. */
  attempt: number;
  error: string;
}

/**
 * Answer of the `created` update: the order exists (status PENDING_PAYMENT or later), with the priced items and the
 * row's creation time, so the API answers POST /v1/orders without reading the row back.
 */
export interface OrderCreated {
  orderId: string;
  orderNo: string;
  items: PricedItem[];
  createdAt: string;
}

/** Body of the pay / cancel / ship / complete updates. */
export interface TransitionRequest {
  /** Who asked (`user:<id>`, `admin:<username>`, `system`, …), recorded in the saga history and the events. */
  actor: string;
  reason?: string;
  /** The request id of the request that asked for it: written on the outbox rows of the transition. */
  correlationId?: string;
  /** Payment reference from the payment provider, for pay (its transaction id). */
  paymentRef?: string;
  /**
   * For pay: the payment the provider's signed callback approved. The pay step marks it APPROVED in the transaction
   * that marks the order PAID, and refuses when it is not this order's pending payment.
   */
  payment?: { paymentId: string; providerTxnId: string };
}

/**
 * Early return: completes once the order row exists (or fails with the reason it never will). Send it with the start
 * (update-with-start, as the API does): a refused order closes its workflow within its first task, before a
 * separately sent update could arrive.
 */
export const createdUpdate = defineUpdate<OrderCreated>('created');
export const payUpdate = defineUpdate<OrderStatus, [TransitionRequest]>('pay');
export const cancelUpdate = defineUpdate<OrderStatus, [TransitionRequest]>('cancel');
export const shipUpdate = defineUpdate<OrderStatus, [TransitionRequest]>('ship');
export const completeUpdate = defineUpdate<OrderStatus, [TransitionRequest]>('complete');

/** Current phase, step history with timestamps, last error. */
export const statusQuery = defineQuery<SagaStatus>('status');

/** Operator: retry a parked compensation (after fixing what made it fail). */
export const retryCompensationSignal = defineSignal('retryCompensation');

/**
 * Worker → saga: one of its activities keeps failing (lib/temporal/retry-report.ts). The saga shows it in the
 * `RetryingActivity` / `RetryingAttempt` search attributes (one query finds every such saga) until a step completes.
 */
export const activityRetryingSignal = defineSignal<[ActivityRetrying]>('activityRetrying');
