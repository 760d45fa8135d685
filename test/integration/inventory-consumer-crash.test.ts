import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { eventually, inParallel, outboxOf, placePaidOrder, seedSku, stockOf } from '../support/orders';
import { stopWorkerProcess } from '../support/worker-process';
import { ReservationStatus } from '../../lib/inventory/reservation-status';
import { OutboxStatus } from '../../lib/outbox/outbox-table';

const ORDERS = 60;
const CONSUMER_PORT = '19507';

describe('inventory consumer killed (SIGKILL) in the middle of a batch, then restarted', function () {
  this.timeout(180_000);
  const h = withStack();
  const start = (entry: string, env: Record<string, string>) => h.workers.start(entry, env);

  it('every paid order is deducted exactly once, and the restarted consumer catches up to lag 0', async () => {
    const sku = await seedSku(h, '1.50', 100);
    const orders = await inParallel(ORDERS, 6, () => placePaidOrder(h, sku));
    const deductIds: string[] = [];
    for (const o of orders) {
      const rows = await outboxOf(h, o.orderId, o.shard);
      deductIds.push(rows.find((r) => r.eventType === 'stock.deduct')!.messageId);
    }
    const applied = () => h.resources.inventory.messageConsumeLog.count({ where: { messageId: { in: deductIds } } });

    // All deductions on Kafka first, so the consumer's first fetch is one batch with all of them.
    await start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19505' });
    await eventually(
      async () => (await Promise.all(orders.map((o) => outboxOf(h, o.orderId, o.shard)))).flat(),
      (rows) => rows.every((r) => r.status === OutboxStatus.SENT),
      60_000,
    );
    const first = await start('workers/inventory-consumer.ts', { DOOS_METRICS_CONSUMER_PORT: CONSUMER_PORT });
    const atKill = await eventually(applied, (n) => n >= 10, 60_000);
    await stopWorkerProcess(first, 'SIGKILL');
    const afterKill = await applied();
    assert.ok(afterKill > 0 && afterKill < ORDERS, `killed mid-batch (${afterKill} of ${ORDERS} applied)`);
    assert.ok(atKill <= afterKill);
    const halfway = await stockOf(h, sku);
    assert.equal(halfway.total, 100 - afterKill, 'each applied message deducted once so far');

    await start('workers/inventory-consumer.ts', { DOOS_METRICS_CONSUMER_PORT: CONSUMER_PORT });
    const done = await eventually(
      () => stockOf(h, sku),
      (s) => s.locked === 0,
      90_000,
    );
    assert.deepEqual(done, { available: 100 - ORDERS, locked: 0, total: 100 - ORDERS });
    assert.equal(await applied(), ORDERS, 'one consume-log row per message');
    const confirmed = await h.resources.inventory.stockReservation.count({
      where: { orderId: { in: orders.map((o) => BigInt(o.orderId)) }, status: ReservationStatus.CONFIRMED },
    });
    assert.equal(confirmed, ORDERS, 'every reservation confirmed');

    const metrics = await eventually(
      async () => (await fetch(`http://127.0.0.1:${CONSUMER_PORT}/metrics`)).text(),
      (text) => lagOf(text).length > 0 && lagOf(text).every((n) => n === 0),
      30_000,
    );
    assert.deepEqual(
      lagOf(metrics).map(() => 0),
      lagOf(metrics),
      'consumer_lag_messages is 0 on every partition',
    );
  });
});

function lagOf(metricsText: string): number[] {
  return [...metricsText.matchAll(/^consumer_lag_messages\{[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
}
