/** Reads order documents from the orders index (the alias the CDC indexer writes) for tests. */
import type { Harness } from './api-harness';
import type { Json } from './orders';
import { toCents } from '../../lib/orders/money';

/** The document of an order (undefined when the index has none). */
export async function orderDocument(h: Harness, orderId: string): Promise<Json> {
  const res = await h.resources.search.get(
    { index: h.config.elasticsearch.ordersIndex, id: orderId },
    { ignore: [404] },
  );
  return res.found ? (res._source as Json) : undefined;
}

/** What the document of an order must be, from the API's view of it: no shipping address, amounts also in cents. */
export function expectedDocument(view: Json): Json {
  const { shippingAddress: _address, items, ...order } = view;
  return {
    ...order,
    totalCents: toCents(order.totalAmount),
    discountCents: toCents(order.discountAmount),
    actualCents: toCents(order.actualAmount),
    items: items.map((i: Json) => ({ ...i, subtotalCents: toCents(i.subtotal) })),
  };
}

/** Documents of many orders at once (mget), by order id; a missing one is absent from the map. */
export async function orderDocuments(h: Harness, orderIds: string[]): Promise<Map<string, Json>> {
  const res = await h.resources.search.mget({ index: h.config.elasticsearch.ordersIndex, ids: orderIds });
  const docs = new Map<string, Json>();
  for (const d of res.docs) if ('found' in d && d.found) docs.set(d._id, d._source);
  return docs;
}
