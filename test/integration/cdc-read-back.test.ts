import assert from 'node:assert/strict';
import { testConfig, uniqueName } from '../support/config';
import { uniqueId } from '../support/orders';
import { createShardPrisma, type ShardPrismaClient } from '../../lib/db/prisma';
import { createOrderIndexer, RowNotVisibleError } from '../../lib/cdc/order-indexer';
import type { RowState } from '../../lib/cdc/order-change-stream';
import { createSearchClient } from '../../lib/search/client';
import { ensureOrdersIndex } from '../../lib/search/orders-index';

/**
 * MariaDB sends a binlog event before its commit is visible to other sessions, so the indexer's read-back may see the
 * order as it was, or not at all. These tests read through a shard client that answers the first read as such a
 * session would, while the change becomes visible meanwhile (real shard and Elasticsearch).
 */
describe('CDC reads an order back no older than its binlog event (real shard and Elasticsearch)', function () {
  this.timeout(60_000);
  const config = testConfig();
  const db = createShardPrisma(config.shards.dsns[0]!, 2);
  const es = createSearchClient(config);
  const alias = uniqueName('doos-test-readback');
  const at = { file: 'test', pos: 4 };
  const created: bigint[] = [];

  before(async () => {
    await ensureOrdersIndex(es, alias, { replicas: 0, refreshInterval: '1ms' });
  });

  after(async () => {
    await db.order.deleteMany({ where: { id: { in: created } } });
    await es.indices.delete({ index: `${alias}*`, ignore_unavailable: true });
    await db.$disconnect();
    await es.close();
  });

  const orderData = (id: bigint) => ({
    id,
    userId: BigInt(uniqueId()) * 2n,
    orderNo: `RB${id}`,
    totalAmount: '3.00',
    actualAmount: '3.00',
    paymentMethod: 'alipay',
    shippingAddress: '{}',
  });

  /** A shard client whose first read of orders runs `beforeAnswering` after reading (the commit lands meanwhile). */
  function racingShard(beforeAnswering: () => Promise<unknown>): { client: ShardPrismaClient; reads: () => number } {
    let reads = 0;
    const client = {
      order: {
        findMany: async (args: Parameters<ShardPrismaClient['order']['findMany']>[0]) => {
          reads++;
          const rows = await db.order.findMany(args);
          if (reads === 1) await beforeAnswering();
          return rows;
        },
      },
      cdcDeadLetter: db.cdcDeadLetter,
    } as unknown as ShardPrismaClient;
    return { client, reads: () => reads };
  }

  async function documentOf(id: bigint) {
    return es.get<{ status: string }>({ index: alias, id: id.toString() }).catch(() => undefined);
  }

  it('a row read back older than its event is read again: the document is the paid order, not the pending one', async () => {
    const id = BigInt(uniqueId());
    created.push(id);
    await db.order.create({ data: orderData(id) });
    const shard = racingShard(() =>
      db.order.update({ where: { id }, data: { status: 1, paidAt: new Date(), version: 2 } }),
    );
    const indexer = createOrderIndexer({ es, index: alias, db: shard.client, shard: 0 });
    const outcome = await indexer.indexOrders([id], at, new Map<bigint, RowState>([[id, { version: 2n }]]));
    assert.equal(outcome.indexed, 1);
    assert.ok(shard.reads() >= 2, 'read again');
    const doc = await documentOf(id);
    assert.equal(doc?._source?.status, 'PAID');
    assert.equal(doc?._version, 2, "the row's version counter is the document's version");
  });

  it('a new order not visible yet is not taken for a delete; a row deleted by the binlog is', async () => {
    const id = BigInt(uniqueId());
    created.push(id);
    const shard = racingShard(() => db.order.create({ data: orderData(id) }));
    const indexer = createOrderIndexer({ es, index: alias, db: shard.client, shard: 0 });
    const outcome = await indexer.indexOrders([id], at, new Map<bigint, RowState>([[id, { version: 1n }]]));
    assert.deepEqual([outcome.indexed, outcome.deleted], [1, 0]);
    assert.equal((await documentOf(id))?._source?.status, 'PENDING_PAYMENT');

    await db.order.delete({ where: { id } });
    const plain = createOrderIndexer({ es, index: alias, db, shard: 0 });
    const gone = await plain.indexOrders([id], at, new Map<bigint, RowState>([[id, 'deleted']]));
    assert.equal(gone.deleted, 1);
    assert.equal(await documentOf(id), undefined);
  });

  it('a row that stays older than its event fails the batch (retried from the checkpoint), indexing nothing', async () => {
    const id = BigInt(uniqueId());
    created.push(id);
    await db.order.create({ data: orderData(id) });
    const indexer = createOrderIndexer({ es, index: alias, db, shard: 0 });
    await assert.rejects(
      indexer.indexOrders([id], at, new Map<bigint, RowState>([[id, { version: 5n }]])),
      RowNotVisibleError,
    );
    assert.equal(await documentOf(id), undefined);
  });
});
