import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { withStack } from '../support/stack';
import { seedSku, stockOf, uniqueId } from '../support/orders';
import { createInventoryActivities } from '../../activities/inventory-activities';

describe('inventory activities repeated as a retry would (real inventory DB)', function () {
  this.timeout(60_000);
  const h = withStack({ worker: false });

  it('reserving the same order twice reserves once; releasing twice releases once', async () => {
    const sku = await seedSku(h, '1.50', 10);
    const activities = createInventoryActivities({
      inventory: h.resources.sql.inventory,
      limits: h.config.order.limits,
    });
    const env = new MockActivityEnvironment();
    const input = { orderId: uniqueId(), items: [{ ...sku, quantity: 4 }] };
    const first = await env.run(activities.reserveStock, input);
    const again = await env.run(activities.reserveStock, input);
    assert.deepEqual(again, first, 'the retry returns the same priced items');
    assert.deepEqual(await stockOf(h, sku), { available: 6, locked: 4, total: 10 });
    assert.deepEqual(await env.run(activities.releaseStock, { orderId: input.orderId }), { released: 1 });
    assert.deepEqual(await env.run(activities.releaseStock, { orderId: input.orderId }), { released: 0 });
    assert.deepEqual(await stockOf(h, sku), { available: 10, locked: 0, total: 10 });
  });

  it('orders of the same two SKUs reserved and released at once never deadlock (one numeric lock order)', async () => {
    // Product 9… (13 digits) sorts after 1… (15–16 digits) as text but before it as a number.
    const small = { productId: `9${String(Date.now()).slice(-12)}`, skuId: '1' };
    const large = { productId: uniqueId(), skuId: '1' };
    for (const sku of [small, large]) {
      const res = await h.admin.call('PUT', `/v1/admin/inventory/${sku.productId}/${sku.skuId}`, {
        name: 'Lock order tea',
        price: '1.00',
        stock: 1000,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const activities = createInventoryActivities({
      inventory: h.resources.sql.inventory,
      limits: h.config.order.limits,
    });
    const env = new MockActivityEnvironment();
    const items = [
      { ...small, quantity: 1 },
      { ...large, quantity: 1 },
    ];
    const held = Array.from({ length: 40 }, () => uniqueId());
    for (const orderId of held) await env.run(activities.reserveStock, { orderId, items });
    const results = await Promise.allSettled([
      ...held.map((orderId) => env.run(activities.releaseStock, { orderId })),
      ...held.map(() => env.run(activities.reserveStock, { orderId: uniqueId(), items: [...items].reverse() })),
    ]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    assert.deepEqual(failures, [], 'no transaction was chosen as a deadlock victim');
    for (const sku of [small, large])
      assert.deepEqual(await stockOf(h, sku), { available: 960, locked: 40, total: 1000 });
  });
});
