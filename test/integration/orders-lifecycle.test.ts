import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { call, eventually, orderBody, outboxOf, seedSku, stockOf, uniqueId } from '../support/orders';
import { workflowHandle } from '../../lib/temporal/workflows';
import { orderSagaWorkflow } from '../../workflows/order-saga-definitions';

describe('order life cycle over HTTP on the real stack', function () {
  this.timeout(60_000);
  const h = withStack();

  it('an order goes from placed to paid, shipped and completed; stock, rows, outbox and saga agree', async () => {
    const tea = await seedSku(h, '12.50', 10, 'Longjing tea 250g');
    const cup = await seedSku(h, '3.20', 5, 'Tea cup');
    const userId = uniqueId();

    const placed = await call(
      h,
      'POST',
      '/v1/orders',
      orderBody(userId, [
        { ...tea, quantity: 2 },
        { ...cup, quantity: 1 },
      ]),
    );
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const order = placed.body;
    assert.equal(order.status, 'PENDING_PAYMENT');
    assert.equal(order.userId, userId);
    assert.equal(order.totalAmount, '28.20');
    assert.equal(order.actualAmount, '28.20');
    assert.match(order.orderId, /^\d+$/);
    assert.ok(order.orderNo.endsWith(order.orderId));
    assert.deepEqual(
      order.items.map((i: { productName: string; price: string; quantity: number; subtotal: string }) => [
        i.productName,
        i.price,
        i.quantity,
        i.subtotal,
      ]),
      [
        ['Longjing tea 250g', '12.50', 2, '25.00'],
        ['Tea cup', '3.20', 1, '3.20'],
      ],
    );
    assert.equal(order.shard, Number(BigInt(userId) % 2n));
    assert.deepEqual(await stockOf(h, tea), { available: 8, locked: 2, total: 10 });
    assert.deepEqual(await stockOf(h, cup), { available: 4, locked: 1, total: 5 });
    assert.deepEqual(
      (await outboxOf(h, order.orderId, order.shard)).map((m) => [m.eventType, m.topic]),
      [['order.created', h.config.kafka.topics.orderEvents]],
    );

    const read = await call(h, 'GET', `/v1/orders/${order.orderId}?userId=${userId}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, order);

    const paid = await call(h, 'POST', `/v1/orders/${order.orderId}/pay`, { userId, paymentRef: 'ALI-123' });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'PAID');
    assert.ok(paid.body.paidAt);
    const afterPay = await outboxOf(h, order.orderId, order.shard);
    assert.deepEqual(
      afterPay.map((m) => m.eventType),
      ['order.created', 'order.paid', 'stock.deduct'],
    );
    assert.deepEqual(afterPay[2]?.payload.items, [
      { productId: tea.productId, skuId: tea.skuId, quantity: 2 },
      { productId: cup.productId, skuId: cup.skuId, quantity: 1 },
    ]);
    assert.equal(afterPay[2]?.topic, h.config.kafka.topics.stockDeduct);
    // The cached detail was invalidated: a read now shows PAID, not the PENDING_PAYMENT cached above.
    assert.equal((await call(h, 'GET', `/v1/orders/${order.orderId}?userId=${userId}`)).body.status, 'PAID');

    const shipped = await call(h, 'POST', `/v1/orders/${order.orderId}/ship`, { userId });
    assert.equal(shipped.body.status, 'SHIPPED');
    const completed = await call(h, 'POST', `/v1/orders/${order.orderId}/complete`, { userId });
    assert.equal(completed.status, 200);
    assert.equal(completed.body.status, 'COMPLETED');
    assert.ok(completed.body.completedAt);

    const saga = await call(h, 'GET', `/v1/orders/${order.orderId}/saga?userId=${userId}`);
    assert.equal(saga.status, 200);
    assert.equal(saga.body.phase, 'COMPLETED');
    assert.deepEqual(
      saga.body.history
        .filter((s: { outcome: string }) => s.outcome === 'completed')
        .map((s: { step: string }) => s.step),
      ['reserve', 'create-order', 'pay', 'ship', 'complete'],
    );
    const handle = h.resources.temporal.workflow.getHandle(orderSagaWorkflow.workflowId(order.orderId));
    assert.deepEqual(await handle.result(), { orderId: order.orderId, phase: 'COMPLETED' });
    // Stock stays locked until the inventory consumer confirms the deduction (the relay and consumer's job).
    assert.deepEqual(await stockOf(h, tea), { available: 8, locked: 2, total: 10 });
  });

  it('cancelling an unpaid order marks it cancelled, writes order.cancelled and releases its stock', async () => {
    const sku = await seedSku(h, '5.00', 3);
    const userId = uniqueId();
    const placed = await call(h, 'POST', '/v1/orders', orderBody(userId, [{ ...sku, quantity: 2 }]));
    assert.equal(placed.status, 201);
    const cancelled = await call(h, 'POST', `/v1/orders/${placed.body.orderId}/cancel`, {
      userId,
      reason: 'changed my mind',
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'CANCELLED');
    assert.ok(cancelled.body.cancelledAt);
    const stock = await eventually(
      () => stockOf(h, sku),
      (s) => s.locked === 0,
    );
    assert.deepEqual(stock, { available: 3, locked: 0, total: 3 });
    assert.deepEqual(
      (await outboxOf(h, placed.body.orderId, placed.body.shard)).map((m) => m.eventType),
      ['order.created', 'order.cancelled'],
    );
    const saga = await eventually(
      () => call(h, 'GET', `/v1/orders/${placed.body.orderId}/saga?userId=${userId}`),
      (r) =>
        r.body.history.some(
          (s: { step: string; outcome: string }) => s.step === 'release-stock' && s.outcome === 'compensated',
        ),
    );
    assert.equal(saga.body.phase, 'CANCELLED');
  });

  it('an operator cancelling the saga (as `temporal workflow cancel` does) cancels the order and releases its stock', async () => {
    const sku = await seedSku(h, '5.00', 3);
    const userId = uniqueId();
    const placed = await call(h, 'POST', '/v1/orders', orderBody(userId, [{ ...sku, quantity: 3 }]));
    assert.equal(placed.status, 201);
    const handle = workflowHandle(h.resources.temporal, orderSagaWorkflow, placed.body.orderId);
    await handle.cancel();
    assert.equal((await handle.result()).phase, 'CANCELLED');
    const order = await call(h, 'GET', `/v1/orders/${placed.body.orderId}?userId=${userId}`);
    assert.equal(order.body.status, 'CANCELLED');
    assert.deepEqual(await stockOf(h, sku), { available: 3, locked: 0, total: 3 });
    assert.deepEqual(
      (await outboxOf(h, placed.body.orderId, placed.body.shard)).map((m) => m.eventType),
      ['order.created', 'order.cancelled'],
    );
    const pay = await call(h, 'POST', `/v1/orders/${placed.body.orderId}/pay`, { userId });
    assert.equal(pay.status, 409, JSON.stringify(pay.body));
    assert.equal(pay.body.code, 20002);
  });

  it('a transition on an order whose saga was terminated answers 409 (20005), not 500', async () => {
    const sku = await seedSku(h, '5.00', 3);
    const userId = uniqueId();
    const placed = await call(h, 'POST', '/v1/orders', orderBody(userId, [{ ...sku, quantity: 1 }]));
    assert.equal(placed.status, 201);
    await workflowHandle(h.resources.temporal, orderSagaWorkflow, placed.body.orderId).terminate('test: operator');
    for (const action of ['pay', 'cancel']) {
      const res = await call(h, 'POST', `/v1/orders/${placed.body.orderId}/${action}`, { userId });
      assert.equal(res.status, 409, `${action}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 20005);
      assert.match(res.body.message, /saga has ended/);
    }
  });

  it('invalid transitions are refused with their codes and change nothing', async () => {
    const sku = await seedSku(h, '1.00', 10);
    const userId = uniqueId();
    const place = async () =>
      (await call(h, 'POST', '/v1/orders', orderBody(userId, [{ ...sku, quantity: 1 }], { remark: uniqueId() }))).body;
    const expectRefusal = async (orderId: string, action: string, status: number, code: number) => {
      const res = await call(h, 'POST', `/v1/orders/${orderId}/${action}`, { userId });
      assert.equal(res.status, status, `${action}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, `${action}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.message, 'string');
    };

    const pending = await place();
    await expectRefusal(pending.orderId, 'ship', 409, 20005);
    await expectRefusal(pending.orderId, 'complete', 409, 20005);

    const paid = await place();
    assert.equal((await call(h, 'POST', `/v1/orders/${paid.orderId}/pay`, { userId })).status, 200);
    await expectRefusal(paid.orderId, 'pay', 409, 20003);
    await expectRefusal(paid.orderId, 'cancel', 409, 20003);
    await expectRefusal(paid.orderId, 'complete', 409, 20005);
    assert.equal((await call(h, 'GET', `/v1/orders/${paid.orderId}?userId=${userId}`)).body.status, 'PAID');

    const cancelled = await place();
    assert.equal((await call(h, 'POST', `/v1/orders/${cancelled.orderId}/cancel`, { userId })).status, 200);
    await expectRefusal(cancelled.orderId, 'pay', 409, 20002);
    await expectRefusal(cancelled.orderId, 'ship', 409, 20002);
    // Once the saga has ended, the refusal comes from the order's row, with the same code.
    await h.resources.temporal.workflow.getHandle(orderSagaWorkflow.workflowId(cancelled.orderId)).result();
    await expectRefusal(cancelled.orderId, 'pay', 409, 20002);
    await expectRefusal(cancelled.orderId, 'cancel', 409, 20002);

    assert.deepEqual(
      (await outboxOf(h, paid.orderId, paid.shard)).map((m) => m.eventType),
      ['order.created', 'order.paid', 'stock.deduct'],
    );
    await expectRefusal('12345', 'pay', 404, 20001);
    const stranger = uniqueId();
    const res = await call(h, 'GET', `/v1/orders/${paid.orderId}?userId=${stranger}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 20001);
  });

  it("lists a user's orders newest first, filtered by status and paged", async () => {
    const sku = await seedSku(h, '2.00', 10);
    const userId = uniqueId();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await call(h, 'POST', '/v1/orders', orderBody(userId, [{ ...sku, quantity: 1 }], { remark: `#${i}` }))).body
          .orderId,
      );
    }
    await call(h, 'POST', `/v1/orders/${ids[0]}/pay`, { userId });
    const all = await call(h, 'GET', `/v1/orders?userId=${userId}&page=1&pageSize=2`);
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 3);
    assert.equal(all.body.pageSize, 2);
    assert.deepEqual(
      all.body.items.map((o: { orderId: string }) => o.orderId),
      [ids[2], ids[1]],
    );
    const paid = await call(h, 'GET', `/v1/orders?userId=${userId}&status=PAID`);
    assert.deepEqual(
      paid.body.items.map((o: { orderId: string }) => o.orderId),
      [ids[0]],
    );
  });
});
