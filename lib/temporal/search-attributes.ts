/**
 * Custom search attributes of DOOS workflows, registered on the server by deployments/native/lib/temporal.sh
 * (and the compose file). Sandbox-safe: workflows import these keys.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Order status name (PENDING_PAYMENT, PAID, …, or a parked/compensation-failed marker). */
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
/** The order's user id as a decimal string. */
export const UserIdKey = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
/** Index of the shard holding the order. */
export const ShardKey = defineSearchAttributeKey('Shard', SearchAttributeType.INT);
/** The request id (X-Request-Id) of the request that started the workflow: one id from HTTP to search. */
export const CorrelationIdKey = defineSearchAttributeKey('CorrelationId', SearchAttributeType.KEYWORD);

/** The activity of a saga that keeps failing (set while it does: `RetryingAttempt >= 5` lists such sagas). */
export const RetryingActivityKey = defineSearchAttributeKey('RetryingActivity', SearchAttributeType.KEYWORD);
/** The attempt of that activity that failed last. */
export const RetryingAttemptKey = defineSearchAttributeKey('RetryingAttempt', SearchAttributeType.INT);

/** Every custom search attribute DOOS workflows set (a namespace must have them all registered). */
export const DOOS_SEARCH_ATTRIBUTES = [
  OrderStatusKey,
  UserIdKey,
  ShardKey,
  CorrelationIdKey,
  RetryingActivityKey,
  RetryingAttemptKey,
];
