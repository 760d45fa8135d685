import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import { watchTopics } from '../support/kafka';
import { eventually, inParallel, outboxOf, placePaidOrder, seedSku } from '../support/orders';
import { OutboxStatus } from '../../lib/outbox/outbox-table';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');

// Rows used to spend a retry on each failed send and fail after about 31 s of outage; an unreachable broker now
// spends none (the relay backs off 1, 2, 4, 8, then 10 s), so the broker is kept away 40 s, past that old budget.
describe('Kafka stopped for 40 s while orders are placed (real broker stopped and started again)', function () {
  this.timeout(300_000);
  const h = withStack();

  h.onTeardown(async () => {
    await run('bash', [stack, 'up', 'kafka']).catch(() => undefined); // whatever happened, leave Kafka running
  });

  it('rows back off while the broker is gone, then every one is published once it returns; none is lost', async () => {
    await h.workers.start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19495' });
    const sku = await seedSku(h, '2.00', 50);

    await run('bash', [stack, 'down', 'kafka']);
    const stoppedAt = Date.now();
    // Orders are taken while Kafka is down (placePaidOrder fails on anything but 201 and 200).
    const orders = await inParallel(5, 1, () => placePaidOrder(h, sku));
    const waiting = await eventually(
      async () => (await Promise.all(orders.map((o) => outboxOf(h, o.orderId, o.shard)))).flat(),
      (rows) => rows.some((r) => r.status === OutboxStatus.PENDING),
    );
    assert.ok(
      waiting.every((r) => r.status === OutboxStatus.PENDING),
      'nothing is published or failed while the broker is gone',
    );
    await new Promise((r) => setTimeout(r, Math.max(0, 40_000 - (Date.now() - stoppedAt))));
    const backedOff = await h.resources.shards[orders[0]!.shard]!.localMessage.findMany({
      where: { txId: BigInt(orders[0]!.orderId) },
    });
    assert.ok(
      backedOff.every((r) => r.status === OutboxStatus.PENDING && r.retryCount === 0),
      'still pending after 40 s, no retry spent',
    );

    await run('bash', [stack, 'up', 'kafka']);
    const sent = await eventually(
      async () => (await Promise.all(orders.map((o) => outboxOf(h, o.orderId, o.shard)))).flat(),
      (rows) => rows.every((r) => r.status === OutboxStatus.SENT),
      120_000,
    );
    assert.equal(sent.length, 15, 'order.created, order.paid and stock.deduct of 5 orders');
    assert.ok(sent.every((r) => r.status === OutboxStatus.SENT));

    const wanted = new Set(sent.map((r) => r.messageId));
    const { orderEvents, stockDeduct } = h.config.kafka.topics;
    const watch = await watchTopics(h, [orderEvents, stockDeduct], (m) => wanted.has(m.messageId), 'beginning');
    const seenOf = () => new Set(watch.seen.map((m) => m.messageId));
    const seen = await eventually(
      () => Promise.resolve(seenOf()),
      (ids) => ids.size === wanted.size,
      60_000,
    );
    await watch.stop();
    assert.equal(seen.size, wanted.size, 'every outbox message is on Kafka');
  });
});
