import assert from 'node:assert/strict';
import { testConfig } from '../support/config';
import { createRedis } from '../../lib/redis/client';
import { createShardPrisma, type ShardPrismaClient } from '../../lib/db/prisma';
import { ShardRouter } from '../../lib/db/shard-router';
import { OrderReader } from '../../lib/orders/order-reader';
import { Registry } from 'prom-client';
import { invalidateOrderCache, OrderCacheInvalidator, orderCacheKey } from '../../lib/orders/cache';
import { RedisFastPath } from '../../lib/redis/fast-path';
import { personalDataOf } from '../../lib/privacy/personal-data';
import { uniqueId } from '../support/orders';

describe('order detail cache (real Redis and shards)', () => {
  const config = testConfig();
  const redis = createRedis(config);
  const registry = new Registry();
  const fastPath = new RedisFastPath(redis, registry);
  const personal = personalDataOf(config);
  const shards = config.shards.dsns.map((dsn) => createShardPrisma(dsn, 2));
  const userId = BigInt(uniqueId());
  const orderId = BigInt(uniqueId());
  const shard = Number(userId % BigInt(shards.length));
  const db = (): ShardPrismaClient => shards[shard]!;

  before(async () => {
    await db().order.create({
      data: {
        id: orderId,
        userId,
        orderNo: `CACHE${orderId}`,
        totalAmount: '1.00',
        actualAmount: '1.00',
        paymentMethod: 'alipay',
        // Written as rows were before addresses were sealed: plain JSON.
        shippingAddress: JSON.stringify({ name: 'Han Meimei', phone: '13711112222', detail: '2 Lake Road' }),
      },
    });
  });

  after(async () => {
    await db().order.deleteMany({ where: { id: orderId } });
    await Promise.all(shards.map((s) => s.$disconnect()));
    redis.disconnect();
  });

  it('serves a cached detail until a change invalidates it', async () => {
    const reader = new OrderReader(new ShardRouter(shards), fastPath, personal);
    assert.equal((await reader.get(orderId, userId))?.status, 'PENDING_PAYMENT');
    const cached = await redis.get(orderCacheKey(orderId));
    assert.ok(cached, 'the detail was cached');
    assert.match(cached, /"sealedAddress":"enc:v1:/, 'with the address sealed');
    assert.doesNotMatch(cached, /13711112222|Han Meimei/, 'no personal data in the cache, even from a plain row');
    assert.equal((await reader.get(orderId, userId))?.shippingAddress.phone, '13711112222', 'opened for its owner');
    await db().order.update({ where: { id: orderId }, data: { status: 1 } });
    assert.equal((await reader.get(orderId, userId))?.status, 'PENDING_PAYMENT', 'served from the cache');
    await invalidateOrderCache(redis, orderId);
    assert.equal((await reader.get(orderId, userId))?.status, 'PAID');
  });

  it('a read that raced with a change does not put the old state back into the cache', async () => {
    await db().order.update({ where: { id: orderId }, data: { status: 0 } });
    await invalidateOrderCache(redis, orderId);
    // A shard client whose read returns the row as it was, but only after a change committed and invalidated.
    let releaseRead!: () => void;
    const readGate = new Promise<void>((r) => (releaseRead = r));
    const slowShards = shards.map((s) => ({
      order: {
        findUnique: async (args: Parameters<ShardPrismaClient['order']['findUnique']>[0]) => {
          const stale = await s.order.findUnique({ ...args, include: { items: true } });
          await readGate;
          return stale;
        },
      },
    })) as unknown as ShardPrismaClient[];
    const reader = new OrderReader(new ShardRouter(slowShards), fastPath, personal);
    const racing = reader.get(orderId, userId);
    await new Promise((r) => setTimeout(r, 50)); // the racing read has taken its generation and its row
    await db().order.update({ where: { id: orderId }, data: { status: 1 } });
    await invalidateOrderCache(redis, orderId);
    releaseRead();
    assert.equal((await racing)?.status, 'PENDING_PAYMENT', 'the racing request itself saw the old row');
    assert.equal(await redis.get(orderCacheKey(orderId)), null, 'but did not cache it');
    const fresh = new OrderReader(new ShardRouter(shards), fastPath, personal);
    assert.equal((await fresh.get(orderId, userId))?.status, 'PAID');
  });

  it('an invalidation Redis cannot take is owed, not failed, and replayed as soon as the client is connected again', async () => {
    await db().order.update({ where: { id: orderId }, data: { status: 0 } });
    await invalidateOrderCache(redis, orderId);
    const reader = new OrderReader(new ShardRouter(shards), fastPath, personal);
    assert.equal((await reader.get(orderId, userId))?.status, 'PENDING_PAYMENT');
    assert.ok(await redis.get(orderCacheKey(orderId)), 'cached before the outage');

    // The worker's own connection is lost (a partition: the server keeps its data) while the order changes.
    const workerRedis = createRedis(config);
    await workerRedis.ping();
    const invalidator = new OrderCacheInvalidator(new RedisFastPath(workerRedis, new Registry()));
    workerRedis.disconnect();
    await db().order.update({ where: { id: orderId }, data: { status: 1 } });
    await invalidator.invalidate(orderId); // resolves: the change it follows has committed and must not fail
    assert.equal(invalidator.owedCount, 1);
    assert.ok(await redis.get(orderCacheKey(orderId)), 'the stale entry is still there while the worker is cut off');

    await workerRedis.connect();
    for (let i = 0; i < 50 && invalidator.owedCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(invalidator.owedCount, 0, 'replayed on reconnect');
    assert.equal(await redis.get(orderCacheKey(orderId)), null);
    assert.equal((await reader.get(orderId, userId))?.status, 'PAID');
    const skipped = await registry.getSingleMetricAsString('redis_unavailable_total');
    assert.doesNotMatch(skipped, /cache-invalidate/, "the reader's own client never missed Redis");
    workerRedis.disconnect();
  });
});
