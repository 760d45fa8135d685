/**
 * The order saga's public surface: workflow id, updates, query and signal. Sandbox-safe; the API imports these to
 * talk to a running saga.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderCreated, SagaStatus, TransitionRequest } from '../lib/orders/types';
import type { OrderStatus } from '../lib/orders/status';

/** `order:<orderId>`: one saga per order. */
export function orderWorkflowId(orderId: string | bigint): string {
  return `order:${orderId.toString()}`;
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
