import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { withStack } from '../support/stack';
import { watchTopics } from '../support/kafka';
import { eventually, inParallel, outboxOf, placePaidOrder, seedSku, stockOf, type PaidOrder } from '../support/orders';
import { outboxRelayWorkflow } from '../../workflows/outbox-relay-definitions';
import { OutboxStatus } from '../../lib/outbox/outbox-table';

const STOCK = 1000;

describe('two relay worker processes at once, one frozen past its heartbeat timeout and thawed (SIGSTOP/SIGCONT)', function () {
  this.timeout(240_000);
  const h = withStack();
  const start = (entry: string, env: Record<string, string>) => h.workers.start(entry, env);

  /** The identity (`pid@host`) of the worker that last started shard 0's relay activity. */
  async function shardZeroRunner(): Promise<string | undefined> {
    const { raw } = await h.resources.temporal.workflow.getHandle(outboxRelayWorkflow.workflowId(0)).describe();
    return raw.pendingActivities?.[0]?.lastWorkerIdentity ?? undefined;
  }

  it('no row is lost, each order keeps its event order on Kafka, and stock is deducted once per order', async () => {
    const { orderEvents, stockDeduct } = h.config.kafka.topics;
    const watch = await watchTopics(h, [orderEvents, stockDeduct]);
    await start('workers/inventory-consumer.ts', { DOOS_METRICS_CONSUMER_PORT: '19517' });
    const relays = [
      await start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19515' }),
      await start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19516' }),
    ];
    const identities = relays.map((c) => `${c.pid}@${hostname()}`);
    const owner = await eventually(shardZeroRunner, (id) => id !== undefined && identities.includes(id), 60_000);
    assert.ok(owner && identities.includes(owner), `one of the two relay workers runs shard 0 (${owner})`);
    const frozen = relays[identities.indexOf(owner)]!;
    const other = identities.find((id) => id !== owner)!;

    const sku = await seedSku(h, '3.00', STOCK);
    const orders: PaidOrder[] = [];
    const placeFor = async (ms: number): Promise<void> => {
      const until = Date.now() + ms;
      await inParallel(2, 2, async () => {
        while (Date.now() < until) {
          orders.push(await placePaidOrder(h, sku));
          await new Promise((r) => setTimeout(r, 200)); // a steady stream, not a flood
        }
      });
    };
    await placeFor(3000);
    frozen.kill('SIGSTOP');
    // Orders keep coming while Temporal notices the silence (up to twice the heartbeat timeout) and hands over.
    const frozenAt = Date.now();
    let takenOver = false;
    while (!takenOver && Date.now() - frozenAt < 90_000) {
      await placeFor(1000);
      takenOver = (await shardZeroRunner()) === other;
    }
    assert.ok(takenOver, `shard 0 was taken over by the other relay worker (${Date.now() - frozenAt} ms)`);
    await placeFor(2000); // both now relay shard 0 until the thawed one hears that its activity was timed out
    frozen.kill('SIGCONT');
    await placeFor(5000);
    assert.ok(orders.length >= 20 && orders.length < STOCK, `${orders.length} orders placed`);

    const rows = await eventually(
      async () => (await Promise.all(orders.map((o) => outboxOf(h, o.orderId, o.shard)))).flat(),
      (all) => all.every((r) => r.status === OutboxStatus.SENT),
      120_000,
    );
    assert.equal(rows.length, orders.length * 3);
    assert.ok(
      rows.every((r) => r.status === OutboxStatus.SENT),
      'every outbox row sent',
    );
    const done = await eventually(
      () => stockOf(h, sku),
      (s) => s.locked === 0,
      60_000,
    );
    assert.deepEqual(done, { available: STOCK - orders.length, locked: 0, total: STOCK - orders.length });
    const deductIds = rows.filter((r) => r.eventType === 'stock.deduct').map((r) => r.messageId);
    assert.equal(
      await h.resources.inventory.messageConsumeLog.count({ where: { messageId: { in: deductIds } } }),
      orders.length,
      'one effective deduction per order',
    );

    const wanted = new Set(rows.map((r) => r.messageId));
    await eventually(
      () => Promise.resolve(new Set(watch.seen.map((m) => m.messageId).filter((id) => wanted.has(id))).size),
      (n) => n === wanted.size,
      60_000,
    );
    await watch.stop();
    const seenIds = new Set(watch.seen.map((m) => m.messageId));
    assert.ok(
      [...wanted].every((id) => seenIds.has(id)),
      'every outbox row is on Kafka',
    );
    for (const o of orders) {
      const firsts = [
        ...new Set(watch.seen.filter((m) => m.key === o.orderId && m.topic === orderEvents).map((m) => m.eventType)),
      ];
      assert.deepEqual(firsts, ['order.created', 'order.paid'], `events of order ${o.orderId} in order`);
    }
  });
});
