import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import type { ApiClient } from '../support/accounts';
import { eventually, newBuyer, orderBody, seedSku, stockOf, uniqueId } from '../support/orders';
import { ReservationStatus } from '../../lib/inventory/reservation-status';
import { statusQuery } from '../../workflows/order-saga-definitions';

// Databases of its own: the tests change a shard's schema under the saga (a column too short, a table gone).
describe('an order that can never be created releases its stock (isolated shards)', function () {
  this.timeout(180_000);
  const deadlineSeconds = 6;
  const h = withStack({ isolatedData: 'createfail', createDeadlineSeconds: deadlineSeconds });

  const onEveryShard = (sql: string) => Promise.all(h.resources.sql.shards.map((db) => db.write(sql)));

  async function assertNothingHeld(sku: { productId: string; skuId: string }, stock: number, buyer: ApiClient) {
    assert.deepEqual(await stockOf(h, sku), { available: stock, locked: 0, total: stock });
    const open = await h.resources.inventory.stockReservation.count({
      where: { productId: BigInt(sku.productId), status: ReservationStatus.RESERVED },
    });
    assert.equal(open, 0, 'no reservation stays open');
    assert.equal((await buyer.call('GET', `/v1/orders`)).body.total, 0, 'no order row');
  }

  it('a value the database refuses for good fails at once with 500 / 20007, not after retrying; stock is released', async () => {
    await onEveryShard('ALTER TABLE t_order_item MODIFY product_name VARCHAR(8) NOT NULL');
    h.onTeardown(() => onEveryShard('ALTER TABLE t_order_item MODIFY product_name VARCHAR(200) NOT NULL'));
    const sku = await seedSku(h, '3.00', 20, 'A name longer than eight characters');
    const buyer = await newBuyer(h);
    const startedAt = Date.now();
    const res = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 4 }]));
    const tookMs = Date.now() - startedAt;
    assert.equal(res.status, 500, JSON.stringify(res.body));
    assert.equal(res.body.code, 20007);
    assert.match(res.body.message, /could not be created \(create-order: .*refused a value too long for its column/);
    assert.ok(tookMs < deadlineSeconds * 1000, `refused without waiting for the deadline (${tookMs} ms)`);
    await assertNothingHeld(sku, 20, buyer);
    const released = await h.resources.inventory.stockReservation.count({
      where: { productId: BigInt(sku.productId), status: ReservationStatus.RELEASED },
    });
    assert.equal(released, 1);
  });

  it('a shard failing past the create deadline: the saga gives up, releases the stock, and the same key repeats the refusal', async () => {
    const sku = await seedSku(h, '2.00', 10);
    const buyer = await newBuyer(h);
    const userId = buyer.session.userId;
    const key = `gone-${uniqueId()}`;
    await onEveryShard('RENAME TABLE t_order TO t_order_away');
    let restored = false;
    const restore = async () => {
      if (!restored) await onEveryShard('RENAME TABLE t_order_away TO t_order');
      restored = true;
    };
    h.onTeardown(restore);
    const startedAt = Date.now();
    const answer = buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }]), {
      'Idempotency-Key': key,
    });
    // The saga gives up creating within the deadline; its compensation (cancel a row that may have committed) waits
    // for the shard, which comes back now.
    const sagaId = await eventually(
      async () => {
        for await (const w of h.resources.temporal.workflow.list({ query: `UserId = '${userId}'` })) {
          return w.workflowId;
        }
        return undefined;
      },
      (id) => id !== undefined,
    );
    const saga = h.resources.temporal.workflow.getHandle(sagaId!);
    await eventually(
      () => saga.query(statusQuery),
      (status) => status.history.some((s) => s.step === 'create-order' && s.outcome === 'failed'),
      h.config.order.sagaAnswerTimeoutSeconds * 1000,
    );
    await restore();
    const res = await answer;
    const tookMs = Date.now() - startedAt;
    assert.equal(res.status, 500, JSON.stringify(res.body));
    assert.equal(res.body.code, 20007);
    assert.match(res.body.message, /could not be created \(create-order: .*t_order.*doesn't exist/);
    assert.ok(tookMs < h.config.order.sagaAnswerTimeoutSeconds * 1000, `answered within the deadline (${tookMs} ms)`);
    await assertNothingHeld(sku, 10, buyer);

    // The saga is closed as REJECTED with the steps an operator reads.
    const status = await saga.query(statusQuery);
    assert.equal(status.phase, 'REJECTED');
    const steps = status.history.map((s) => `${s.step}:${s.outcome}`);
    for (const step of ['create-order:failed', 'void-order:compensated', 'release-stock:compensated']) {
      assert.ok(steps.includes(step), `${step} in ${steps.join(', ')}`);
    }

    // Repeated with the same key once the shard is back: the same refusal, not a second order.
    const again = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }]), {
      'Idempotency-Key': key,
    });
    assert.equal(again.status, 500, JSON.stringify(again.body));
    assert.equal(again.body.code, 20007);
    await assertNothingHeld(sku, 10, buyer);
  });
});
