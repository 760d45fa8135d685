import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import type { ApiClient } from '../support/accounts';
import { newBuyer, orderBody, seedSku, stockOf, type SeededSku } from '../support/orders';

describe('order limits (config order.limits) refuse an order before anything is reserved', function () {
  this.timeout(120_000);
  const h = withStack({ orderLimits: { maxLines: 3, maxQuantityPerSku: 10, maxAmount: '1000.00' } });

  async function refused(buyer: ApiClient, items: (SeededSku & { quantity: number })[]) {
    const res = await buyer.call('POST', '/v1/orders', orderBody(items));
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 10001);
    const orders = await buyer.call('GET', `/v1/orders`);
    assert.equal(orders.body.total, 0, 'no order was created');
    return res.body as { message: string; details: Record<string, unknown> };
  }

  it('units of one SKU are summed over its lines: many small lines cannot pass the per-SKU cap', async () => {
    const sku = await seedSku(h, '1.00', 100);
    const lines = Array.from({ length: 11 }, () => ({ ...sku, quantity: 1 }));
    const body = await refused(await newBuyer(h), lines);
    assert.match(body.message, /at most 10 units of one SKU/);
    assert.deepEqual(body.details, { ...sku, quantity: 11, maxQuantityPerSku: 10 });
    assert.deepEqual(await stockOf(h, sku), { available: 100, locked: 0, total: 100 });
    const ten = await (await newBuyer(h)).call('POST', '/v1/orders', orderBody(lines.slice(1)));
    assert.equal(ten.status, 201, JSON.stringify(ten.body));
    assert.deepEqual(
      ten.body.items.map((i: { quantity: number }) => i.quantity),
      [10],
    );
  });

  it('distinct SKUs are counted after merging repeated lines', async () => {
    const skus = await Promise.all([1, 2, 3, 4].map(() => seedSku(h, '1.00', 10)));
    const body = await refused(
      await newBuyer(h),
      skus.map((s) => ({ ...s, quantity: 1 })),
    );
    assert.match(body.message, /at most 3 different SKUs; this one has 4/);
    for (const sku of skus) assert.deepEqual(await stockOf(h, sku), { available: 10, locked: 0, total: 10 });
    const repeated = [...skus.slice(0, 3), skus[0]!].map((s) => ({ ...s, quantity: 1 }));
    const fits = await (await newBuyer(h)).call('POST', '/v1/orders', orderBody(repeated));
    assert.equal(fits.status, 201, JSON.stringify(fits.body));
  });

  it('the total is checked at the prices the order is reserved at', async () => {
    const sku = await seedSku(h, '100.01', 50);
    const body = await refused(await newBuyer(h), [{ ...sku, quantity: 10 }]);
    assert.match(body.message, /exceeds the largest amount one order may hold, 1000\.00/);
    assert.deepEqual(await stockOf(h, sku), { available: 50, locked: 0, total: 50 });
    const reservations = await h.resources.inventory.stockReservation.count({
      where: { productId: BigInt(sku.productId) },
    });
    assert.equal(reservations, 0);
  });
});
