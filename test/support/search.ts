/** Reads order documents from the orders index (the alias the CDC indexer writes) for tests. */
import type { Harness } from './api-harness';
import type { Json } from './orders';
import { documentOfView } from '../../lib/cdc/order-document';
import type { OrderView } from '../../lib/orders/order-view';

/** The document of an order (undefined when the index has none). */
export async function orderDocument(h: Harness, orderId: string): Promise<Json> {
  const res = await h.resources.search.get(
    { index: h.config.elasticsearch.ordersIndex, id: orderId },
    { ignore: [404] },
  );
  return res.found ? (res._source as Json) : undefined;
}

/**
 * What the document of an order must be, from the API's view of it (the JSON a client gets), through the projection
 * the indexer applies to the view it builds from the rows it reads back.
 */
export function expectedDocument(view: Json): Json {
  return documentOfView(view as OrderView);
}

/** Documents of many orders at once (mget), by order id; a missing one is absent from the map. */
export async function orderDocuments(h: Harness, orderIds: string[]): Promise<Map<string, Json>> {
  const res = await h.resources.search.mget({ index: h.config.elasticsearch.ordersIndex, ids: orderIds });
  const docs = new Map<string, Json>();
  for (const d of res.docs) if ('found' in d && d.found) docs.set(d._id, d._source);
  return docs;
}
