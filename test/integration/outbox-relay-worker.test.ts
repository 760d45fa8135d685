import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { watchTopics } from '../support/kafka';
import { eventually, outboxOf, placePaidOrder, seedSku } from '../support/orders';
import { OutboxStatus } from '../../lib/outbox/outbox-table';

describe('outbox relay worker process (real Temporal, shards and Kafka)', function () {
  this.timeout(120_000);
  const h = withStack();

  it("a paid order's events reach Kafka in order, keyed by the order, and its outbox rows are marked sent", async () => {
    await h.workers.start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19475' });

    const { orderEvents, stockDeduct } = h.config.kafka.topics;
    const watch = await watchTopics(h, [orderEvents, stockDeduct]);

    const sku = await seedSku(h, '6.00', 3);
    const { orderId, shard } = await placePaidOrder(h, sku);
    const placedBy = (await outboxOf(h, orderId, shard))[0]!.correlationId;
    assert.match(placedBy ?? '', /^[0-9a-f-]{36}$/, 'the request id the API gave the order request');

    const ofOrder = () => watch.seen.filter((m) => m.key === orderId);
    await eventually(
      () => Promise.resolve(ofOrder().length),
      (n) => n >= 3,
      60_000,
    );
    await watch.stop();
    const received = ofOrder();
    const rows = await outboxOf(h, orderId, shard);
    assert.deepEqual(
      received.filter((m) => m.topic === orderEvents).map((m) => m.eventType),
      ['order.created', 'order.paid'],
    );
    assert.deepEqual(
      received.filter((m) => m.topic === stockDeduct).map((m) => m.eventType),
      ['stock.deduct'],
    );
    assert.deepEqual(
      received.map((m) => m.messageId).sort(),
      rows.map((r) => r.messageId).sort(),
      'each outbox row published exactly once',
    );
    // Records of two topics arrive interleaved in any order; compare them by message id.
    const byMessage = (pairs: [string, string, string | undefined][]) =>
      pairs.sort(([a], [b]) => a.localeCompare(b)).map(([, eventType, correlationId]) => [eventType, correlationId]);
    assert.deepEqual(
      byMessage(received.map((m) => [m.messageId, m.eventType, m.headers['correlation-id']])),
      byMessage(rows.map((r) => [r.messageId, r.eventType, r.correlationId ?? undefined])),
      'each record carries the request id of the change it announces',
    );
    assert.equal(received.find((m) => m.eventType === 'order.created')?.headers['correlation-id'], placedBy);
    const sent = await eventually(
      () => outboxOf(h, orderId, shard),
      (r) => r.every((m) => m.status === OutboxStatus.SENT),
    );
    assert.ok(sent.every((m) => m.status === OutboxStatus.SENT));
  });
});
