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
});
