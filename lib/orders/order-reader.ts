/**
 * Reads orders from the user's shard. Details are cached in Redis under the order's generation (lib/orders/cache.ts:
 * every change bumps it and deletes the entry after its commit), or straight from the shard while Redis is away; lists
 * always come from the shard. Shipping addresses are opened here, for the callers that may see them (the order's
 * owner, the shop's staff); the cache holds them sealed as the row does, and lists show the phone masked.
 */
import type { ShardPrismaClient } from '../db/prisma';
import type { ShardRouter } from '../db/shard-router';
import type { RedisFastPath } from '../redis/fast-path';
import { cacheOrderIfCurrent, orderCacheKey, orderGeneration } from './cache';
import type { Order, OrderItem } from '../../generated/shard/client';
import { isSealed, maskPhone, type PersonalData } from '../privacy/personal-data';
import { toOrderFacts, type OrderFacts, type OrderView } from './order-view';
import { STATUS_CODE, type OrderStatus } from './status';

export interface OrderPage {
  items: OrderView[];
  total: number;
  page: number;
  pageSize: number;
}

/** What the cache holds of an order: its facts and its shipping address as sealed as in the row. */
interface CachedOrder extends OrderFacts {
  sealedAddress: string;
}

export class OrderReader {
  constructor(
    private readonly shards: ShardRouter<ShardPrismaClient>,
    private readonly fastPath: RedisFastPath,
    private readonly personal: PersonalData,
  ) {}

  private viewOf(row: Order & { items: OrderItem[] }, shard: number): OrderView {
    return { ...toOrderFacts(row, shard), shippingAddress: this.personal.openAddress(row.id, row.shippingAddress) };
  }

  /** The order if it exists and belongs to the user (another user's order is as good as absent). */
  async get(orderId: bigint, userId: bigint, options: { fresh?: boolean } = {}): Promise<OrderView | undefined> {
    const view = await this.read(orderId, this.shards.shardOf(userId), options);
    return view?.userId === userId.toString() ? view : undefined;
  }

  /**
   * An order by id alone, for the shop's staff: in the shard its id names (lib/ids/order-id.ts), else — an id issued
   * before ids carried their shard — in the other shards.
   */
  async find(orderId: bigint, shard: number, options: { fresh?: boolean } = {}): Promise<OrderView | undefined> {
    const named = shard < this.shards.count ? await this.read(orderId, shard, options) : undefined;
    if (named) return named;
    for (const other of this.shards.all()) {
      if (other.shard === shard) continue;
      const view = await this.read(orderId, other.shard, options);
      if (view) return view;
    }
    return undefined;
  }

  /** An order of a shard: from the cache unless `fresh`, else from the shard (cached if no change raced the read). */
  private async read(orderId: bigint, shard: number, options: { fresh?: boolean }): Promise<OrderView | undefined> {
    const key = orderCacheKey(orderId);
    if (!options.fresh) {
      const cached = await this.fastPath.attempt('cache-read', (redis) => redis.get(key), null);
      const entry = cached ? (JSON.parse(cached) as Partial<CachedOrder>) : undefined;
      // (An entry without sealedAddress was written before addresses were sealed: read the row instead.)
      if (entry?.sealedAddress !== undefined) {
        const { sealedAddress, ...facts } = entry as CachedOrder;
        if (facts.shard !== shard) return undefined;
        return { ...facts, shippingAddress: this.personal.openAddress(orderId, sealedAddress) };
      }
    }
    const generation = await this.fastPath.attempt<string | undefined>(
      'cache-read',
      (redis) => orderGeneration(redis, orderId),
      undefined,
    );
    const row = await this.shards.at(shard).order.findUnique({ where: { id: orderId }, include: { items: true } });
    if (!row) return undefined;
    const view = this.viewOf(row, shard);
    if (generation !== undefined) {
      const { shippingAddress, ...facts } = view;
      const sealedAddress = isSealed(row.shippingAddress)
        ? row.shippingAddress
        : this.personal.sealAddress(orderId, shippingAddress);
      const entry: CachedOrder = { ...facts, sealedAddress };
      await this.fastPath.attempt(
        'cache-write',
        (redis) => cacheOrderIfCurrent(redis, orderId, JSON.stringify(entry), generation),
        false,
      );
    }
    return view;
  }

  /** The user's order placed with this Idempotency-Key (the shard's unique index holds it even when Redis forgot). */
  async byIdempotencyKey(userId: bigint, idempotencyKey: string): Promise<OrderView | undefined> {
    const { shard, client } = this.shards.forUser(userId);
    const row = await client.order.findFirst({ where: { userId, idempotencyKey }, include: { items: true } });
    return row ? this.viewOf(row, shard) : undefined;
  }

  /** One page of a user's orders, newest first, optionally of one status; phones masked. */
  async list(userId: bigint, filter: { status?: OrderStatus; page: number; pageSize: number }): Promise<OrderPage> {
    const { shard, client } = this.shards.forUser(userId);
    const where = { userId, ...(filter.status ? { status: STATUS_CODE[filter.status] } : {}) };
    const [total, rows] = await Promise.all([
      client.order.count({ where }),
      client.order.findMany({
        where,
        include: { items: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (filter.page - 1) * filter.pageSize,
        take: filter.pageSize,
      }),
    ]);
    const items = rows.map((r) => {
      const view = this.viewOf(r, shard);
      return { ...view, shippingAddress: { ...view.shippingAddress, phone: maskPhone(view.shippingAddress.phone) } };
    });
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }
}
