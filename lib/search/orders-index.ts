/**
 * The orders search index: a versioned index (`<alias>-v<n>`) behind the alias the code reads and writes, with an
 * explicit, strict mapping. A new mapping or a new meaning of the documents' versions means a new index version: the
 * CDC worker creates it at boot, moves the alias onto it, drops the old one and backfills every shard.
 * v2: documents are versioned by the row's `version` counter (v1 used updated_at and status).
 * v3: `correlationId`, the request id of the request that placed the order.
 */
import type { SearchClient } from './client';

export const ORDERS_INDEX_VERSION = 3;

export function ordersIndexName(alias: string, version = ORDERS_INDEX_VERSION): string {
  return `${alias}-v${version}`;
}

const keyword = { type: 'keyword' } as const;
const stored = { type: 'keyword', index: false } as const; // shown, never searched (decimal strings, image URLs)
const date = { type: 'date' } as const;
const cents = { type: 'long' } as const;

export const ORDERS_MAPPING = {
  dynamic: 'strict',
  properties: {
    orderId: keyword,
    orderNo: keyword,
    userId: keyword,
    shard: { type: 'integer' },
    status: keyword,
    totalAmount: stored,
    discountAmount: stored,
    actualAmount: stored,
    totalCents: cents,
    discountCents: cents,
    actualCents: cents,
    paymentMethod: keyword,
    correlationId: keyword,
    remark: { type: 'text' },
    createdAt: date,
    updatedAt: date,
    paidAt: date,
    shippedAt: date,
    completedAt: date,
    cancelledAt: date,
    items: {
      type: 'nested',
      properties: {
        productId: keyword,
        skuId: keyword,
        productName: { type: 'text', fields: { raw: keyword } },
        productImage: stored,
        price: stored,
        quantity: { type: 'integer' },
        subtotal: stored,
        subtotalCents: cents,
      },
    },
  },
} as const;

export interface OrdersIndexSettings {
  replicas: number;
  /** How soon a written document is searchable, e.g. `500ms`. */
  refreshInterval: string;
}

/** What ensureOrdersIndex did: nothing to do, a new index, or the alias moved from an older version (backfill it). */
export type OrdersIndexOutcome = 'exists' | 'created' | 'replaced';

/**
 * Makes the alias point at the current index version: creates it when there is no alias; when the alias points at an
 * older version, creates the current one, moves the alias onto it in one step and deletes the old one ('replaced':
 * the shards must be backfilled into it); otherwise applies the replicas and refresh interval. Safe when several
 * processes start at once (the loser's "already exists" is success).
 */
export async function ensureOrdersIndex(
  es: SearchClient,
  alias: string,
  settings: OrdersIndexSettings,
): Promise<OrdersIndexOutcome> {
  const dynamic = { number_of_replicas: settings.replicas, refresh_interval: settings.refreshInterval };
  const index = ordersIndexName(alias);
  const pointedAt = (await es.indices.existsAlias({ name: alias }))
    ? Object.keys(await es.indices.getAlias({ name: alias }))
    : [];
  if (pointedAt.includes(index)) {
    await es.indices.putSettings({ index: alias, settings: dynamic }); // configuration changes apply on restart
    return 'exists';
  }
  try {
    await es.indices.create({
      index,
      settings: { number_of_shards: 1, ...dynamic },
      mappings: ORDERS_MAPPING,
      ...(pointedAt.length === 0 ? { aliases: { [alias]: { is_write_index: true } } } : {}),
    });
  } catch (err) {
    if ((err as { body?: { error?: { type?: string } } }).body?.error?.type !== 'resource_already_exists_exception')
      throw err;
    if (pointedAt.length === 0) {
      // Another process created it a moment ago (or the alias was removed by hand): make sure the alias is on it.
      await es.indices.updateAliases({ actions: [{ add: { index, alias, is_write_index: true } }] });
      return 'exists';
    }
  }
  if (pointedAt.length === 0) return 'created';
  await es.indices.updateAliases({
    actions: [
      ...pointedAt.map((old) => ({ remove: { index: old, alias } })),
      { add: { index, alias, is_write_index: true } },
    ],
  });
  await es.indices.delete({ index: pointedAt, ignore_unavailable: true });
  return 'replaced';
}
