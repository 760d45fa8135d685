import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Harness } from '../support/api-harness';
import { withStack } from '../support/stack';
import { eventually, newBuyer, orderBody, outboxOf, seedSku, stockOf } from '../support/orders';
import { spawnWorkerProcess } from '../support/worker-process';

/** The real order worker process (workers/order-worker.ts) on the harness's task queue. */
function spawnWorker(h: Harness, metricsPort: number) {
  return spawnWorkerProcess('workers/order-worker.ts', {
    DOOS_TEMPORAL_TASK_QUEUES_ORDERS: h.config.temporal.taskQueues.orders,
    DOOS_METRICS_ORDERS_WORKER_PORT: String(metricsPort),
  });
}

describe('order worker killed with SIGKILL mid-saga (real worker process, real stack)', function () {
  this.timeout(120_000);
  const h = withStack({ worker: false });
  const children: ChildProcess[] = [];

  h.onTeardown(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    return Promise.resolve();
  });

  it('a restarted worker finishes every saga; nothing is reserved, written or published twice', async () => {
    const sku = await seedSku(h, '4.00', 20);
    const users = [await newBuyer(h), await newBuyer(h), await newBuyer(h)];

    const first = spawnWorker(h, 19464);
    children.push(first.child);
    await first.ready;
    const placed = await Promise.all(
      users.map((u) => u.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]))),
    );
    assert.deepEqual(
      placed.map((p) => p.status),
      [201, 201, 201],
    );

    // Pay all three (the sandbox provider calls back at once, and the callbacks pay through the sagas) and kill the
    // worker while those pay steps are in flight.
    const started = await Promise.all(
      placed.map((p, i) => users[i]!.call('POST', `/v1/orders/${p.body.orderId}/pay`, {})),
    );
    assert.deepEqual(
      started.map((p) => p.status),
      [202, 202, 202],
    );
    await new Promise((r) => setTimeout(r, 30));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = spawnWorker(h, 19465);
    children.push(second.child);
    await second.ready;
    const paid = await Promise.all(
      placed.map((p, i) =>
        eventually(
          async () => (await users[i]!.call('GET', `/v1/orders/${p.body.orderId}`)).body.status,
          (status) => status === 'PAID',
          40_000,
        ),
      ),
    );
    assert.deepEqual(paid, ['PAID', 'PAID', 'PAID']);

    // Ship and complete after a second kill between steps.
    second.child.kill('SIGKILL');
    await new Promise((r) => second.child.once('exit', r));
    const third = spawnWorker(h, 19466);
    children.push(third.child);
    await third.ready;
    for (const [i, p] of placed.entries()) {
      assert.equal((await h.admin.call('POST', `/v1/admin/orders/${p.body.orderId}/ship`, {})).body.status, 'SHIPPED');
      assert.equal(
        (await users[i]!.call('POST', `/v1/orders/${p.body.orderId}/complete`, {})).body.status,
        'COMPLETED',
      );
    }

    assert.deepEqual(await stockOf(h, sku), { available: 14, locked: 6, total: 20 });
    const reservations = await h.resources.inventory.stockReservation.count({
      where: { productId: BigInt(sku.productId) },
    });
    assert.equal(reservations, 3);
    for (const p of placed) {
      const events = await eventually(
        () => outboxOf(h, p.body.orderId, p.body.shard),
        (e) => e.length >= 5,
      );
      assert.deepEqual(
        events.map((e) => e.eventType),
        ['order.created', 'order.paid', 'stock.deduct', 'order.shipped', 'order.completed'],
      );
      assert.equal(new Set(events.map((e) => e.messageId)).size, 5);
      const items = await h.resources.shards[p.body.shard]!.orderItem.count({
        where: { orderId: BigInt(p.body.orderId) },
      });
      assert.equal(items, 1);
    }
    third.child.kill('SIGTERM');
    await new Promise((r) => third.child.once('exit', r));
  });
});
