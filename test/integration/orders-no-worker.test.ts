import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { eventually, newBuyer, orderBody, seedSku, stockOf, uniqueId } from '../support/orders';

describe('no order worker running (real stack; the API waits 2 s for the saga)', function () {
  this.timeout(90_000);
  const h = withStack({ worker: false, sagaAnswerTimeoutSeconds: 2 });

  it('a new order answers 503 (10004) with its id; once a worker is back, repeating the key returns that order', async () => {
    const sku = await seedSku(h, '3.00', 5);
    const buyer = await newBuyer(h);
    const key = `no-worker-${uniqueId()}`;
    const body = orderBody([{ ...sku, quantity: 1 }]);

    const waiting = await buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key });
    assert.equal(waiting.status, 503, JSON.stringify(waiting.body));
    assert.equal(waiting.body.code, 10004);
    const orderId: string = waiting.body.details.orderId;
    assert.match(orderId, /^\d+$/);
    assert.deepEqual(await stockOf(h, sku), { available: 5, locked: 0, total: 5 }, 'nothing happened without a worker');

    await h.startWorker();
    const order = await eventually(
      () => buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key }),
      (r) => r.status === 200 || r.status === 201,
    );
    assert.equal(order.body.orderId, orderId);
    assert.deepEqual(await stockOf(h, sku), { available: 4, locked: 1, total: 5 });

    // Paying while no worker runs: the payment starts, the provider's callback cannot be applied (503) and is
    // delivered again until it is.
    await h.stopWorker();
    const pay = await buyer.call('POST', `/v1/orders/${orderId}/pay`, {});
    assert.equal(pay.status, 202, JSON.stringify(pay.body));
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await buyer.call('GET', `/v1/orders/${orderId}`)).body.status, 'PENDING_PAYMENT');
    assert.equal((await buyer.call('GET', `/v1/orders/${orderId}/payments`)).body.items[0].status, 'PENDING');
    await h.startWorker();
    const paid = await eventually(
      async () => (await buyer.call('GET', `/v1/orders/${orderId}`)).body,
      (o) => o.status === 'PAID',
      40_000,
    );
    assert.equal(paid.status, 'PAID', 'the payment approved while no worker ran was applied once one came back');
    const [payment] = (await buyer.call('GET', `/v1/orders/${orderId}/payments`)).body.items;
    assert.equal(payment.status, 'APPROVED');
  });
});
