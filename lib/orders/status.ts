/**
 * Order statuses (the TINYINT of t_order and the names the API and search attributes use) and which action may
 * follow which status. Sandbox-safe: the saga's update validators and the API share these rules.
 */
import type { ErrorKind } from '../errors/codes';

export const ORDER_STATUSES = ['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** t_order.status value of each status name. */
export const STATUS_CODE: Record<OrderStatus, number> = {
  PENDING_PAYMENT: 0,
  PAID: 1,
  SHIPPED: 2,
  COMPLETED: 3,
  CANCELLED: 4,
};

export function statusFromCode(code: number): OrderStatus {
  const name = ORDER_STATUSES[code];
  if (name === undefined) throw new RangeError(`unknown order status code ${code}`);
  return name;
}

export type OrderAction = 'pay' | 'cancel' | 'ship' | 'complete';

/** The status an action leads to. */
export const ACTION_TARGET: Record<OrderAction, OrderStatus> = {
  pay: 'PAID',
  cancel: 'CANCELLED',
  ship: 'SHIPPED',
  complete: 'COMPLETED',
};

/** The status an action needs. */
export const ACTION_SOURCE: Record<OrderAction, OrderStatus> = {
  pay: 'PENDING_PAYMENT',
  cancel: 'PENDING_PAYMENT',
  ship: 'PAID',
  complete: 'SHIPPED',
};

export interface TransitionRefusal {
  kind: ErrorKind;
  message: string;
}

/**
 * Why an action cannot be applied to an order in a status, or null when it can. A cancelled order refuses with
 * ORDER_CANCELLED (20002); paying or cancelling an order already paid refuses with ORDER_PAID (20003); any other
 * out-of-order step with ORDER_STATE_CONFLICT (20005).
 */
export function refuseTransition(action: OrderAction, current: OrderStatus): TransitionRefusal | null {
  if (ACTION_SOURCE[action] === current) return null;
  if (current === 'CANCELLED') return { kind: 'ORDER_CANCELLED', message: `cannot ${action}: the order is cancelled` };
  if ((action === 'pay' || action === 'cancel') && current !== 'PENDING_PAYMENT') {
    return { kind: 'ORDER_PAID', message: `cannot ${action}: the order is already paid (status ${current})` };
  }
  return {
    kind: 'ORDER_STATE_CONFLICT',
    message: `cannot ${action}: the order is ${current}, it must be ${ACTION_SOURCE[action]}`,
  };
}
