import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { withStack } from '../support/stack';
import type { ApiClient } from '../support/accounts';
import { eventually, newBuyer, orderBody, payOrder, seedSku, type Json, type SeededSku } from '../support/orders';
import { expectedDocument, orderDocuments } from '../support/search';
import { stopWorkerProcess } from '../support/worker-process';
import { readCheckpoint, cdcConsumerName } from '../../lib/cdc/checkpoint-store';
import { compareBinlogPositions } from '../../lib/cdc/binlog-position';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');
const CDC_PORT = '19536';

interface Placed {
  orderId: string;
  buyer: ApiClient;
}

describe('CDC indexer under faults (Elasticsearch restarted, worker SIGKILLed; real processes and servers)', function () {
  this.timeout(300_000);
  const h = withStack();
  let cdc: ChildProcess | undefined;
  let sku: SeededSku;
  let n = 0;
  /** Buyers on shard 0 and shard 1. */
  let buyers: ApiClient[] = [];

  const startCdc = async (): Promise<void> => {
    cdc = await h.workers.start('workers/cdc-worker.ts', { DOOS_METRICS_CDC_WORKER_PORT: CDC_PORT });
  };

  before(async () => {
    sku = await seedSku(h, '3.10', 100_000);
  });

  h.onTeardown(async () => {
    await run('bash', [stack, 'up', 'elasticsearch']).catch(() => undefined); // whatever happened, leave it running
  });

  /** Places orders on both shards for `ms`, paying a third and cancelling a third of them. */
  async function placeFor(ms: number, into: Placed[]): Promise<void> {
    if (buyers.length === 0) buyers = [await newBuyer(h, 0), await newBuyer(h, 1)];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const i = n++;
      const buyer = buyers[i % 2]!;
      const placed = await buyer.call(
        'POST',
        '/v1/orders',
        orderBody([{ ...sku, quantity: 1 + (i % 3) }], { remark: `order ${i}` }),
      );
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const orderId = placed.body.orderId as string;
      if (i % 3 === 1) await payOrder(buyer, orderId);
      if (i % 3 === 2) assert.equal((await buyer.call('POST', `/v1/orders/${orderId}/cancel`, {})).status, 200);
      into.push({ orderId, buyer });
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until every order has exactly one document and it equals the order's row (through the API's view). */
  async function assertIndexedAsRows(orders: Placed[]): Promise<void> {
    const expected = new Map<string, Json>();
    for (const o of orders) {
      const view = await o.buyer.call('GET', `/v1/orders/${o.orderId}`);
      assert.equal(view.status, 200);
      expected.set(o.orderId, expectedDocument(view.body));
    }
    const ids = orders.map((o) => o.orderId);
    const docs = await eventually(
      () => orderDocuments(h, ids),
      (d) => ids.every((id) => isDeepStrictEqual(d.get(id), expected.get(id))),
      120_000,
    );
    const wrong = ids.filter((id) => !isDeepStrictEqual(docs.get(id), expected.get(id)));
    assert.deepEqual(wrong, [], `${wrong.length} of ${ids.length} documents missing or unequal to their rows`);
    await h.resources.search.indices.refresh({ index: h.config.elasticsearch.ordersIndex }); // searches see it all
    const counted = await h.resources.search.count({
      index: h.config.elasticsearch.ordersIndex,
      query: { terms: { orderId: ids } },
    });
    assert.equal(counted.count, ids.length, 'exactly one document per order');
  }

  it('Elasticsearch stopped and started again during a stream of orders: afterwards every order is indexed as its row', async () => {
    await startCdc();
    const orders: Placed[] = [];
    await placeFor(3000, orders);
    await run('bash', [stack, 'down', 'elasticsearch']);
    await placeFor(5000, orders);
    const restarting = run('bash', [stack, 'up', 'elasticsearch']);
    await placeFor(3000, orders);
    await restarting;
    await placeFor(2000, orders);
    assert.ok(orders.length >= 20, `${orders.length} orders`);
    await assertIndexedAsRows(orders);
  });

  it('the CDC worker killed with SIGKILL and restarted resumes from its checkpoint: nothing lost, nothing regressed', async () => {
    const orders: Placed[] = [];
    await placeFor(3000, orders);
    const checkpointsOf = () =>
      Promise.all(h.resources.shards.map((db, shard) => readCheckpoint(db, cdcConsumerName(shard))));
    await stopWorkerProcess(cdc!, 'SIGKILL');
    // Read once it is gone: a live worker saves its checkpoint every second, so a read before the kill can be passed.
    const before = await checkpointsOf();
    await placeFor(4000, orders);
    const whileDead = await checkpointsOf();
    assert.deepEqual(whileDead, before, 'nothing moves the checkpoints while the worker is dead');
    await startCdc();
    await placeFor(2000, orders);
    await assertIndexedAsRows(orders);
    const after = await checkpointsOf();
    for (const [shard, at] of after.entries()) {
      assert.ok(compareBinlogPositions(at!, before[shard]!) > 0, `shard ${shard}'s checkpoint moved forward`);
    }
  });
});
