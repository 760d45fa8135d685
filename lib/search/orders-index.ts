/**
 * The orders search index: a versioned index (`<alias>-v<n>`) behind the alias the code reads and writes, with an
 * explicit, strict mapping. A new mapping means a new version: create it, backfill it, move the alias.
 */
import type { SearchClient } from './client';

export const ORDERS_INDEX_VERSION = 1;

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

/**
 * Creates the current index version with the alias pointing at it, unless the alias exists already (then applies the
 * replicas and refresh interval to it). Safe when several processes start at once (the loser's "already exists" is
 * success).
 */
export interface OrdersIndexSettings {
  replicas: number;
  /** How soon a written document is searchable, e.g. `500ms`. */
  refreshInterval: string;
}

export async function ensureOrdersIndex(
  es: SearchClient,
  alias: string,
  settings: OrdersIndexSettings,
): Promise<boolean> {
  const dynamic = { number_of_replicas: settings.replicas, refresh_interval: settings.refreshInterval };
  if (await es.indices.existsAlias({ name: alias })) {
    await es.indices.putSettings({ index: alias, settings: dynamic }); // configuration changes apply on restart
    return false;
  }
  const index = ordersIndexName(alias);
  try {
    await es.indices.create({
      index,
      settings: { number_of_shards: 1, ...dynamic },
      mappings: ORDERS_MAPPING,
      aliases: { [alias]: { is_write_index: true } },
    });
    return true;
  } catch (err) {
    if ((err as { body?: { error?: { type?: string } } }).body?.error?.type === 'resource_already_exists_exception')
      return false;
    throw err;
  }
}
