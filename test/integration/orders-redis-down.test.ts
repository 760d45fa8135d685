import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import { eventually, newBuyer, orderBody, payOrder, seedSku, stockOf, uniqueId } from '../support/orders';
import type { ReadinessReport } from '../../lib/health/dependencies';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');

describe('Redis stopped (real server stopped and started again): the order path goes on without it', function () {
  this.timeout(240_000);
  const h = withStack({ paymentTimeoutSeconds: 4 });

  h.onTeardown(async () => {
    await run('bash', [stack, 'up', 'redis']).catch(() => undefined); // whatever happened, leave Redis running
  });

  it('orders, a replayed key, pay, cancel, the payment timeout and releases all work; fallbacks are counted', async () => {
    const sku = await seedSku(h, '5.00', 20);
    await run('bash', [stack, 'down', 'redis']);

    // Placed: the create step's cache invalidation no longer fails it (it answered 503 after 20 s).
    const buyer = await newBuyer(h);
    const key = `redis-down-${uniqueId()}`;
    const body = orderBody([{ ...sku, quantity: 2 }]);
    const placed = await buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    // Replayed: Redis cannot say which order the key made; the shard's unique index does.
    const replay = await buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key });
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    assert.equal(replay.body.orderId, placed.body.orderId);

    assert.equal((await payOrder(buyer, placed.body.orderId)).status, 'PAID');

    const toCancel = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }]));
    assert.equal(toCancel.status, 201, JSON.stringify(toCancel.body));
    const cancelled = await buyer.call('POST', `/v1/orders/${toCancel.body.orderId}/cancel`, {
      reason: 'changed my mind',
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'CANCELLED');

    const unpaid = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 4 }]));
    assert.equal(unpaid.status, 201, JSON.stringify(unpaid.body));
    const timedOut = await eventually(
      () => buyer.call('GET', `/v1/orders/${unpaid.body.orderId}`),
      (r) => r.body.status === 'CANCELLED',
      30_000,
    );
    assert.equal(timedOut.body.status, 'CANCELLED', 'the payment timeout cancelled it');

    // Released: only the paid order's 2 units stay locked (no consumer runs here to deduct them).
    assert.deepEqual(
      await eventually(
        () => stockOf(h, sku),
        (s) => s.locked === 2,
      ),
      { available: 18, locked: 2, total: 20 },
    );

    const ready = await fetch(`${h.baseUrl}/ready`);
    const report = (await ready.json()) as ReadinessReport;
    assert.equal(ready.status, 200, 'ready, degraded');
    assert.deepEqual(report.degraded, ['redis']);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    assert.match(metrics, /redis_unavailable_total\{[^}]*operation="idempotency"[^}]*\} [1-9]/);
    assert.match(metrics, /redis_unavailable_total\{[^}]*operation="cache-read"[^}]*\} [1-9]/);

    // Back: the fast paths are on again by themselves.
    await run('bash', [stack, 'up', 'redis']);
    const again = await eventually(
      async () => (await (await fetch(`${h.baseUrl}/ready`)).json()) as ReadinessReport,
      (r) => r.degraded.length === 0,
    );
    assert.equal(again.ready, true);
    const afterKey = `redis-back-${uniqueId()}`;
    const next = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]), {
      'Idempotency-Key': afterKey,
    });
    assert.equal(next.status, 201, JSON.stringify(next.body));
    const stored = await h.resources.redis.get(`idem:${next.body.userId}:${afterKey}`);
    assert.equal(stored, next.body.orderId, 'the Idempotency-Key fast path is back');
  });
});
