/**
 * An order row (with its items) as the search document CDC indexes: the API's order view without the shipping
 * address (personal data stays in the shards), plus amounts in cents for range queries and sums.
 */
import type { Order, OrderItem } from '../../generated/shard/client';
import { toCents } from '../orders/money';
import { toOrderFacts, type OrderFacts, type OrderItemView } from '../orders/order-view';

export interface OrderDocumentItem extends OrderItemView {
  subtotalCents: number;
}

export interface OrderDocument extends Omit<OrderFacts, 'items'> {
  totalCents: number;
  discountCents: number;
  actualCents: number;
  items: OrderDocumentItem[];
}

/** A row that cannot become a document (unknown status, malformed data): it is dead-lettered, not retried. */
export class PoisonRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonRowError';
  }
}

export type OrderRow = Order & { items: OrderItem[] };

export function toOrderDocument(row: OrderRow, shard: number): OrderDocument {
  let facts: OrderFacts;
  try {
    facts = toOrderFacts(row, shard);
  } catch (err) {
    throw new PoisonRowError(`order ${row.id}: ${(err as Error).message}`);
  }
  return documentOfView(facts);
}

/**
 * The document of an order's API view: the view without its shipping address (never read here: the CDC worker holds
 * no privacy keys), amounts also in cents.
 */
export function documentOfView(view: OrderFacts & { shippingAddress?: unknown }): OrderDocument {
  const { shippingAddress: _address, items, ...order } = view;
  return {
    ...order,
    totalCents: toCents(order.totalAmount),
    discountCents: toCents(order.discountAmount),
    actualCents: toCents(order.actualAmount),
    items: items.map((i) => ({ ...i, subtotalCents: toCents(i.subtotal) })),
  };
}

/**
 * The document's external version: the row's `version`, which every change raises by one in its own transaction. A
 * later state always has a higher version whatever any clock says, and a replayed older state is refused.
 */
export function documentVersion(row: Pick<Order, 'version'>): number {
  return Number(row.version);
}
