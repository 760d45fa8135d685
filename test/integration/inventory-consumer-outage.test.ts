import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import type { ApiClient } from '../support/accounts';
import { watchTopics } from '../support/kafka';
import { eventually, newBuyer, orderBody, outboxOf, payOrder, seedSku, stockOf } from '../support/orders';
import { OutboxStatus } from '../../lib/outbox/outbox-table';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');
const CONSUMER_PORT = '19517';

interface ConsumerHealthBody {
  status: string;
  lag: number | null;
  lastError?: string;
}

async function consumerHealth(): Promise<{ status: number; body: ConsumerHealthBody }> {
  const res = await fetch(`http://127.0.0.1:${CONSUMER_PORT}/health`);
  return { status: res.status, body: (await res.json()) as ConsumerHealthBody };
}

// The run: the inventory DB shut down while three orders were paid, back 20 s later. The consumer's handler
// outlived its group session, kafkajs crashed it, it never consumed again, and its /health kept answering ok.
describe('inventory DB stopped for 30 s while orders are paid (real instance stopped and started again)', function () {
  this.timeout(300_000);
  const h = withStack();

  h.onTeardown(async () => {
    await run('bash', [stack, 'up', 'mariadb-inventory']).catch(() => undefined);
  });

  it('the consumer retries without a limit, keeps its group, says so on /health, and deducts once the DB is back', async () => {
    await h.workers.start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19515' });
    await h.workers.start('workers/inventory-consumer.ts', { DOOS_METRICS_CONSUMER_PORT: CONSUMER_PORT });
    await eventually(consumerHealth, (r) => r.body.status === 'consuming', 60_000);
    const sku = await seedSku(h, '4.00', 10);
    const orders: { orderId: string; shard: number; buyer: ApiClient }[] = [];
    for (let i = 0; i < 3; i++) {
      const buyer = await newBuyer(h);
      const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      orders.push({ orderId: placed.body.orderId as string, shard: placed.body.shard as number, buyer });
    }

    await run('bash', [stack, 'down', 'mariadb-inventory']);
    const stoppedAt = Date.now();
    for (const o of orders) {
      // The accounts database shares the inventory instance here: the buyers' tokens still count without it.
      await payOrder(o.buyer, o.orderId); // paying needs no inventory DB
    }
    const deducts = await eventually(
      async () => (await Promise.all(orders.map((o) => outboxOf(h, o.orderId, o.shard)))).flat(),
      (rows) => rows.filter((r) => r.eventType === 'stock.deduct' && r.status === OutboxStatus.SENT).length === 3,
      30_000,
    );
    const deductIds = new Set(deducts.filter((r) => r.eventType === 'stock.deduct').map((r) => r.messageId));
    const dlq = await watchTopics(h, [h.config.kafka.topics.deadLetter], (m) => deductIds.has(m.messageId));

    const retrying = await eventually(consumerHealth, (r) => r.body.status === 'retrying', 30_000);
    assert.equal(retrying.status, 200, 'retrying is not a reason to restart the process');
    assert.match(retrying.body.lastError ?? '', /connect|ECONNREFUSED|pool|timeout/i);
    const metrics = await (await fetch(`http://127.0.0.1:${CONSUMER_PORT}/metrics`)).text();
    assert.match(metrics, /^consumer_retrying(\{[^}]*\})? 1$/m);

    // Longer than the group session (10 s) and than the old retry budget (~6 s) before the DB comes back.
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - stoppedAt))));
    await run('bash', [stack, 'up', 'mariadb-inventory']);

    assert.deepEqual(
      await eventually(
        () => stockOf(h, sku),
        (s) => s.locked === 0,
        90_000,
      ),
      { available: 7, locked: 0, total: 7 },
      'each paid unit deducted once',
    );
    const recovered = await eventually(
      consumerHealth,
      (r) => r.body.status === 'consuming' && r.body.lag === 0,
      30_000,
    );
    assert.equal(recovered.status, 200);
    await new Promise((r) => setTimeout(r, 2_000));
    await dlq.stop();
    assert.deepEqual(dlq.seen, [], 'nothing was dead-lettered');
    const applied = await h.resources.inventory.messageConsumeLog.count({
      where: { messageId: { in: [...deductIds] } },
    });
    assert.equal(applied, 3);
  });
});
