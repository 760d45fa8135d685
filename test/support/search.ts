/** Reads order documents from the orders index (the alias the CDC indexer writes) for tests. */
import type { Harness } from './api-harness';
import { eventually, type Json } from './orders';
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
 * The document of an order once `check` holds, waiting up to `ms` for the CDC indexer (a freshly started CDC worker
 * first catches up on what other tests wrote meanwhile, and a round a stopped worker left behind may wait out its
 * heartbeat timeout and retry backoff). On a timeout the error says where each shard's indexer is: checkpoint, binlog
 * end (GET /v1/admin/cdc) and the tail's pending activity.
 */
export async function indexedDocument(
  h: Harness,
  orderId: string,
  check: (doc: Json) => boolean,
  ms = 90_000,
): Promise<Json> {
  const doc = await eventually(
    () => orderDocument(h, orderId),
    (d) => d !== undefined && check(d),
    ms,
  );
  if (doc !== undefined && check(doc)) return doc;
  const status = await h.ops.call('GET', '/v1/admin/cdc');
  const tails = await Promise.all(
    status.body.shards.map(async ({ shard }: Json) => {
      const d = await h.resources.temporal.workflow.getHandle(`cdc:shard-${shard}`).describe();
      return { shard, status: d.status.name, pending: d.raw.pendingActivities };
    }),
  );
  throw new Error(
    `order ${orderId} not indexed as expected in ${ms} ms: ${JSON.stringify(doc)}\n` +
      `CDC: ${JSON.stringify(status.body)}\ntails: ${JSON.stringify(tails)}`,
  );
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
