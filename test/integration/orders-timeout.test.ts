import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { eventually, newBuyer, orderBody, outboxOf, seedSku, stockOf } from '../support/orders';

describe('payment timeout on the real stack (payment timeout configured to 2 s)', function () {
  this.timeout(60_000);
  const h = withStack({ paymentTimeoutSeconds: 2 });

  it('an order not paid in time is cancelled by the saga, its stock released, and a late payment is refused (20002)', async () => {
    const sku = await seedSku(h, '8.00', 4);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }]));
    assert.equal(placed.status, 201);
    assert.deepEqual(await stockOf(h, sku), { available: 1, locked: 3, total: 4 });

    const order = await eventually(
      async () => (await buyer.call('GET', `/v1/orders/${placed.body.orderId}`)).body,
      (o) => o.status === 'CANCELLED',
    );
    assert.equal(order.status, 'CANCELLED');
    assert.ok(order.cancelledAt);
    assert.deepEqual(
      await eventually(
        () => stockOf(h, sku),
        (s) => s.locked === 0,
      ),
      { available: 4, locked: 0, total: 4 },
    );
    const events = await outboxOf(h, placed.body.orderId, placed.body.shard);
    assert.deepEqual(
      events.map((e) => e.eventType),
      ['order.created', 'order.cancelled'],
    );
    assert.equal(events[1]?.payload.reason, 'payment timeout after 2 s');
    assert.equal(events[1]?.payload.actor, 'system');

    const late = await buyer.call('POST', `/v1/orders/${placed.body.orderId}/pay`, {});
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 20002);
  });
});
