/** Outbox event types of an order and the Kafka topic each goes to. Sandbox-safe. */
import type { OrderAction } from './status';

export type OrderEventType =
  'order.created' | 'order.paid' | 'order.shipped' | 'order.completed' | 'order.cancelled' | 'stock.deduct';

/** Which configured topic carries an event: stock.deduct has its own, every order.* shares the order-events topic. */
export type TopicRole = 'orderEvents' | 'stockDeduct';

export interface OutboxEventSpec {
  eventType: OrderEventType;
  topic: TopicRole;
}

/** The events a status transition writes to the outbox, in the order the consumer should see them. */
export const TRANSITION_EVENTS: Record<OrderAction, OutboxEventSpec[]> = {
  pay: [
    { eventType: 'order.paid', topic: 'orderEvents' },
    { eventType: 'stock.deduct', topic: 'stockDeduct' },
  ],
  cancel: [{ eventType: 'order.cancelled', topic: 'orderEvents' }],
  ship: [{ eventType: 'order.shipped', topic: 'orderEvents' }],
  complete: [{ eventType: 'order.completed', topic: 'orderEvents' }],
};
