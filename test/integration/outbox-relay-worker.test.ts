import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { startHarness, type Harness } from '../support/api-harness';
import { uniqueName } from '../support/config';
import { call, eventually, orderBody, outboxOf, seedSku, uniqueId } from '../support/orders';
import { spawnWorkerProcess, stopWorkerProcess } from '../support/worker-process';

describe('outbox relay worker process (real Temporal, shards and Kafka)', function () {
  this.timeout(120_000);
  let h: Harness;
  let relay: ChildProcess | undefined;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    if (relay) await stopWorkerProcess(relay);
    await h?.close();
  });

  it("a paid order's events reach Kafka in order, keyed by the order, and its outbox rows are marked sent", async () => {
    const { child, ready } = spawnWorkerProcess('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19475' });
    relay = child;
    await ready;

    const consumer = h.resources.kafka.consumer({ groupId: uniqueName('relay-worker-test') });
    await consumer.connect();
    const { orderEvents, stockDeduct } = h.config.kafka.topics;
    await consumer.subscribe({ topics: [orderEvents, stockDeduct], fromBeginning: false });
    const received: { topic: string; key: string; type: string; id: string }[] = [];
    let orderId = '';
    const running = consumer.run({
      eachMessage: ({ topic, message }) => {
        if (message.key?.toString() === orderId) {
          received.push({
            topic,
            key: orderId,
            type: message.headers!['event-type']!.toString(),
            id: message.headers!['message-id']!.toString(),
          });
        }
        return Promise.resolve();
      },
    });
    await running;
    // Give the group its partitions before the order exists, so nothing is missed from "latest".
    await new Promise((r) => setTimeout(r, 3000));

    const sku = await seedSku(h, '6.00', 3);
    const userId = uniqueId();
    const placed = await call(h, 'POST', '/v1/orders', orderBody(userId, [{ ...sku, quantity: 1 }]));
    assert.equal(placed.status, 201);
    orderId = placed.body.orderId;
    assert.equal((await call(h, 'POST', `/v1/orders/${orderId}/pay`, { userId })).status, 200);

    await eventually(
      () => Promise.resolve(received.length),
      (n) => n >= 3,
      60_000,
    );
    await consumer.disconnect();
    const rows = await outboxOf(h, orderId, placed.body.shard);
    assert.deepEqual(
      received.filter((m) => m.topic === orderEvents).map((m) => m.type),
      ['order.created', 'order.paid'],
    );
    assert.deepEqual(
      received.filter((m) => m.topic === stockDeduct).map((m) => m.type),
      ['stock.deduct'],
    );
    assert.deepEqual(
      received.map((m) => m.id).sort(),
      rows.map((r) => r.messageId).sort(),
      'each outbox row published exactly once',
    );
    const sent = await eventually(
      () => outboxOf(h, orderId, placed.body.shard),
      (r) => r.every((m) => m.status === 1),
    );
    assert.ok(sent.every((m) => m.status === 1));
  });
});
