/**
 * The schema of every Kafka event DOOS publishes (the outbox row's payload, as it reaches Kafka): the order
 * activities build each event through encodeEvent, and every consumer reads it through decodeEvent, so producer and
 * consumers cannot disagree on a field. A record that fails its schema is malformed: consumers dead-letter it.
 */
import { z } from 'zod';
import { ORDER_STATUSES } from '../orders/status';
import type { OrderEventType } from '../orders/events';

const id = z.string().regex(/^[1-9]\d{0,18}$/, 'expected a decimal id');
const money = z.string().regex(/^\d{1,8}\.\d{2}$/, 'expected an amount like 12.50');
const quantity = z.number().int().min(1);

/** What every event of an order carries. */
const orderFacts = z.object({
  orderId: id,
  orderNo: z.string().min(1),
  userId: id,
  status: z.enum(ORDER_STATUSES),
  occurredAt: z.iso.datetime(),
});

/** What every event of a status transition adds: who asked, and why or with which payment. */
const transitionFacts = orderFacts.extend({
  actor: z.string().min(1),
  reason: z.string().optional(),
  paymentRef: z.string().optional(),
});

const orderTransition = <T extends OrderEventType>(eventType: T) =>
  transitionFacts.extend({ eventType: z.literal(eventType), actualAmount: money });

export const EVENT_SCHEMAS = {
  'order.created': orderFacts.extend({
    eventType: z.literal('order.created'),
    totalAmount: money,
    actualAmount: money,
    items: z.array(z.object({ productId: id, skuId: id, quantity, price: money })).min(1),
  }),
  'order.paid': orderTransition('order.paid'),
  'order.shipped': orderTransition('order.shipped'),
  'order.completed': orderTransition('order.completed'),
  'order.cancelled': orderTransition('order.cancelled'),
  'stock.deduct': transitionFacts.extend({
    eventType: z.literal('stock.deduct'),
    items: z.array(z.object({ productId: id, skuId: id, quantity })).min(1),
  }),
} satisfies Record<OrderEventType, z.ZodType>;

export type EventOf<T extends OrderEventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
/** The fields an event is built from (its type and time are added by encodeEvent). */
export type EventFields<T extends OrderEventType> = Omit<EventOf<T>, 'eventType' | 'occurredAt'>;

/** A record that is not a valid event of its type. */
export class EventFormatError extends Error {
  override readonly name = 'EventFormatError';
}

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** The JSON text of an event, checked against its schema (a producer never writes a malformed event). */
export function encodeEvent<T extends OrderEventType>(eventType: T, fields: EventFields<T>, at: Date): string {
  const event = { eventType, ...fields, occurredAt: at.toISOString() };
  const checked = EVENT_SCHEMAS[eventType].safeParse(event);
  if (!checked.success) throw new EventFormatError(`${eventType} would be malformed: ${issuesOf(checked.error)}`);
  return JSON.stringify(checked.data);
}

/** Reads a record's value as an event of this type; throws EventFormatError when it is not one. */
export function decodeEvent<T extends OrderEventType>(eventType: T, value: Buffer | string | null): EventOf<T> {
  let body: unknown;
  try {
    body = JSON.parse(value?.toString() ?? '');
  } catch {
    throw new EventFormatError('value is not JSON');
  }
  const parsed = EVENT_SCHEMAS[eventType].safeParse(body);
  if (!parsed.success) throw new EventFormatError(`not a ${eventType} event: ${issuesOf(parsed.error)}`);
  return parsed.data as EventOf<T>;
}
