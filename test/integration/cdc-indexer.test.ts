import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import type { ApiClient } from '../support/accounts';
import { newBuyer, orderBody, payOrder, seedSku, uniqueId, type Json } from '../support/orders';
import { expectedDocument, indexedDocument, orderDocument } from '../support/search';

describe('CDC indexer worker process (real binlogs, Elasticsearch and Temporal)', function () {
  this.timeout(180_000);
  const h = withStack();

  before(async () => {
    await h.workers.start('workers/cdc-worker.ts', { DOOS_METRICS_CDC_WORKER_PORT: '19526' });
  });

  /** The API's view of an order (read from its shard), to compare documents with. */
  async function viewOf(orderId: string, buyer: ApiClient): Promise<Json> {
    const res = await buyer.call('GET', `/v1/orders/${orderId}`);
    assert.equal(res.status, 200);
    return res.body;
  }

  it('orders on both shards become documents equal to their rows, and status changes follow', async () => {
    const sku = await seedSku(h, '7.25', 10);
    const placed: { orderId: string; buyer: ApiClient; shard: number }[] = [];
    for (const buyer of [await newBuyer(h, 0), await newBuyer(h, 1)]) {
      const res = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]));
      assert.equal(res.status, 201);
      placed.push({ orderId: res.body.orderId, buyer, shard: res.body.shard });
    }
    assert.deepEqual(
      placed.map((p) => p.shard),
      [0, 1],
      'one order on each shard',
    );
    for (const p of placed) {
      const doc = await indexedDocument(h, p.orderId, (d) => d.status === 'PENDING_PAYMENT');
      const view = await viewOf(p.orderId, p.buyer);
      assert.ok(view.shippingAddress, 'the API shows the address');
      assert.equal('shippingAddress' in doc, false, 'the document leaves the shipping address in the shard');
      assert.equal(doc.actualCents, Math.round(Number(view.actualAmount) * 100));
      assert.deepEqual(doc, expectedDocument(view));
    }

    const [paid, cancelled] = placed as [(typeof placed)[number], (typeof placed)[number]];
    await payOrder(paid.buyer, paid.orderId);
    assert.equal((await cancelled.buyer.call('POST', `/v1/orders/${cancelled.orderId}/cancel`, {})).status, 200);
    for (const [p, status] of [
      [paid, 'PAID'],
      [cancelled, 'CANCELLED'],
    ] as const) {
      const doc = await indexedDocument(h, p.orderId, (d) => d.status === status);
      assert.deepEqual(doc, expectedDocument(await viewOf(p.orderId, p.buyer)));
    }
  });

  it('a row that cannot become a document is dead-lettered with its reason, and later rows still index', async () => {
    const db = h.resources.shards[0]!;
    const poisonId = BigInt(uniqueId());
    await db.$executeRaw`
      INSERT INTO t_order (id, user_id, order_no, total_amount, actual_amount, status, payment_method, shipping_address)
      VALUES (${poisonId}, 2, ${`POISON${poisonId}`}, 1.00, 1.00, 9, 'alipay', '{}')`;
    try {
      const sku = await seedSku(h, '1.00', 5);
      const buyer = await newBuyer(h, 0);
      const later = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
      assert.equal(later.status, 201);
      assert.equal(later.body.shard, 0);
      await indexedDocument(h, later.body.orderId, () => true);
      const dead = await db.cdcDeadLetter.findMany({ where: { orderId: poisonId } });
      assert.equal(dead.length, 1);
      assert.match(dead[0]!.reason, /unknown order status code 9/);
      assert.equal(await orderDocument(h, poisonId.toString()), undefined, 'no document for the poison row');
    } finally {
      await db.$executeRaw`DELETE FROM t_order WHERE id = ${poisonId}`;
    }
  });

  it("/metrics of the CDC worker shows documents indexed, their lag, dead letters and each shard's checkpoint", async () => {
    const text = await (await fetch('http://127.0.0.1:19526/metrics')).text();
    const value = (name: string, shard: string): number =>
      Number(new RegExp(`^${name}\\{[^}]*shard="${shard}"[^}]*\\} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
    for (const shard of ['0', '1']) {
      assert.ok(value('cdc_indexed_documents_total', shard) >= 1, `indexed on shard ${shard}`);
      assert.ok(value('cdc_lag_seconds_count', shard) >= 1, `lag observed on shard ${shard}`);
      assert.ok(value('cdc_checkpoint_binlog_file', shard) >= 1, `checkpoint file of shard ${shard}`);
      assert.ok(value('cdc_checkpoint_binlog_position', shard) > 0, `checkpoint position of shard ${shard}`);
    }
    assert.ok(value('cdc_dead_letters_total', '0') >= 1, 'the poison row was counted');
  });
});
