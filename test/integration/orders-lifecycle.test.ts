import assert from 'node:assert/strict';
import { CorrelationIdKey } from '../../lib/temporal/search-attributes';
import { withStack } from '../support/stack';
import { eventually, newBuyer, orderBody, outboxOf, payOrder, seedSku, stockOf, uniqueId } from '../support/orders';
import { workflowHandle } from '../../lib/temporal/workflows';
import { orderSagaWorkflow } from '../../workflows/order-saga-definitions';

describe('order life cycle over HTTP on the real stack', function () {
  this.timeout(60_000);
  const h = withStack();

  it('an order goes from placed to paid, shipped and completed; stock, rows, outbox and saga agree', async () => {
    const tea = await seedSku(h, '12.50', 10, 'Longjing tea 250g');
    const cup = await seedSku(h, '3.20', 5, 'Tea cup');
    const buyer = await newBuyer(h);
    const userId = buyer.session.userId;

    const placed = await buyer.call(
      'POST',
      '/v1/orders',
      orderBody([
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

    const read = await buyer.call('GET', `/v1/orders/${order.orderId}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, order);

    // Paying starts a payment; the order is PAID once the (sandbox) provider's signed callback approves it.
    const started = await buyer.call('POST', `/v1/orders/${order.orderId}/pay`, {});
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.payment.status, 'PENDING');
    assert.equal(started.body.payment.amount, '28.20');
    const paid = await eventually(
      async () => (await buyer.call('GET', `/v1/orders/${order.orderId}`)).body,
      (o) => o.status === 'PAID',
    );
    assert.ok(paid.paidAt);
    const [payment] = (await buyer.call('GET', `/v1/orders/${order.orderId}/payments`)).body.items;
    assert.equal(payment.paymentId, started.body.payment.paymentId);
    assert.equal(payment.status, 'APPROVED');
    assert.match(payment.providerTxnId, /^sbx_/);
    const afterPay = await outboxOf(h, order.orderId, order.shard);
    assert.equal(afterPay[1]?.payload.paymentRef, payment.providerTxnId, 'order.paid names the provider transaction');
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
    assert.equal((await buyer.call('GET', `/v1/orders/${order.orderId}`)).body.status, 'PAID');

    // Shipping is the shop's act, not the buyer's; the buyer confirms receipt.
    const byBuyer = await buyer.call('POST', `/v1/orders/${order.orderId}/ship`, {});
    assert.equal(byBuyer.status, 404, 'buyers have no ship route');
    // The shop finds any order by its id or its order number alone (either names its shard); a number whose shard
    // digits were changed names no order.
    const byNumber = await h.ops.call('GET', `/v1/admin/orders/${order.orderNo}`);
    assert.equal(byNumber.status, 200, JSON.stringify(byNumber.body));
    assert.deepEqual(byNumber.body, (await buyer.call('GET', `/v1/orders/${order.orderId}`)).body);
    assert.equal((await h.admin.call('GET', `/v1/admin/orders/${order.orderId}`)).body.orderNo, order.orderNo);
    const otherShard = `${order.orderNo.slice(0, 8)}${order.shard === 0 ? '01' : '00'}${order.orderId}`;
    assert.equal((await h.ops.call('GET', `/v1/admin/orders/${otherShard}`)).status, 404);
    assert.equal(
      (await h.ops.call('POST', `/v1/admin/orders/${order.orderNo}/ship`, {})).status,
      403,
      'ops do not ship',
    );
    const shipped = await h.admin.call('POST', `/v1/admin/orders/${order.orderNo}/ship`, {});
    assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
    assert.equal(shipped.body.status, 'SHIPPED');
    const completed = await buyer.call('POST', `/v1/orders/${order.orderId}/complete`, {});
    assert.equal(completed.status, 200);
    assert.equal(completed.body.status, 'COMPLETED');
    assert.ok(completed.body.completedAt);

    const saga = await buyer.call('GET', `/v1/orders/${order.orderId}/saga`);
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

  it('one request id follows an order: echoed, on the order, in its saga (memo, CorrelationId), on each outbox row', async () => {
    const sku = await seedSku(h, '2.00', 5);
    const buyer = await newBuyer(h);
    const placedBy = `corr-${uniqueId()}`;
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]), {
      'X-Request-Id': placedBy,
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.correlationId, placedBy);
    const { orderId, shard } = placed.body as { orderId: string; shard: number };
    assert.equal((await buyer.call('GET', `/v1/orders/${orderId}`)).body.correlationId, placedBy);
    const described = await workflowHandle(h.resources.temporal, orderSagaWorkflow, orderId).describe();
    assert.equal(described.memo?.correlationId, placedBy);
    assert.deepEqual(described.typedSearchAttributes.get(CorrelationIdKey), placedBy);
    const found = await eventually(
      async () => {
        const list = [];
        for await (const w of h.resources.temporal.workflow.list({ query: `CorrelationId="${placedBy}"` })) {
          list.push(w.workflowId);
        }
        return list;
      },
      (ids) => ids.length === 1,
    );
    assert.deepEqual(found, [`order:${orderId}`], 'one query finds the saga by the request id');

    const cancelledBy = `corr-${uniqueId()}`;
    const cancel = await buyer.call('POST', `/v1/orders/${orderId}/cancel`, {}, { 'X-Request-Id': cancelledBy });
    assert.equal(cancel.status, 200);
    assert.deepEqual(
      (await outboxOf(h, orderId, shard)).map((m) => [m.eventType, m.correlationId]),
      [
        ['order.created', placedBy],
        ['order.cancelled', cancelledBy],
      ],
    );
  });

  it('cancelling an unpaid order marks it cancelled, writes order.cancelled and releases its stock', async () => {
    const sku = await seedSku(h, '5.00', 3);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]));
    assert.equal(placed.status, 201);
    const cancelled = await buyer.call('POST', `/v1/orders/${placed.body.orderId}/cancel`, {
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
      () => buyer.call('GET', `/v1/orders/${placed.body.orderId}/saga`),
      (r) =>
        r.body.history.some(
          (s: { step: string; outcome: string }) => s.step === 'release-stock' && s.outcome === 'compensated',
        ),
    );
    assert.equal(saga.body.phase, 'CANCELLED');
  });

  it('an operator cancelling the saga (as `temporal workflow cancel` does) cancels the order and releases its stock', async () => {
    const sku = await seedSku(h, '5.00', 3);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }]));
    assert.equal(placed.status, 201);
    const handle = workflowHandle(h.resources.temporal, orderSagaWorkflow, placed.body.orderId);
    await handle.cancel();
    assert.equal((await handle.result()).phase, 'CANCELLED');
    const order = await buyer.call('GET', `/v1/orders/${placed.body.orderId}`);
    assert.equal(order.body.status, 'CANCELLED');
    assert.deepEqual(await stockOf(h, sku), { available: 3, locked: 0, total: 3 });
    assert.deepEqual(
      (await outboxOf(h, placed.body.orderId, placed.body.shard)).map((m) => m.eventType),
      ['order.created', 'order.cancelled'],
    );
    const pay = await buyer.call('POST', `/v1/orders/${placed.body.orderId}/pay`, {});
    assert.equal(pay.status, 409, JSON.stringify(pay.body));
    assert.equal(pay.body.code, 20002);
  });

  it('a transition on an order whose saga was terminated answers 409 (20005), not 500', async () => {
    const sku = await seedSku(h, '5.00', 3);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    assert.equal(placed.status, 201);
    await workflowHandle(h.resources.temporal, orderSagaWorkflow, placed.body.orderId).terminate('test: operator');
    for (const action of ['pay', 'cancel']) {
      const res = await buyer.call('POST', `/v1/orders/${placed.body.orderId}/${action}`, {});
      assert.equal(res.status, 409, `${action}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 20005);
      assert.match(res.body.message, /saga has ended/);
    }
  });

  it('invalid transitions are refused with their codes and change nothing', async () => {
    const sku = await seedSku(h, '1.00', 10);
    const buyer = await newBuyer(h);
    const place = async () =>
      (await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }], { remark: uniqueId() }))).body;
    const expectRefusal = async (orderId: string, action: string, status: number, code: number) => {
      const res =
        action === 'ship'
          ? await h.admin.call('POST', `/v1/admin/orders/${orderId}/ship`, {})
          : await buyer.call('POST', `/v1/orders/${orderId}/${action}`, {});
      assert.equal(res.status, status, `${action}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, `${action}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.message, 'string');
    };

    const pending = await place();
    await expectRefusal(pending.orderId, 'ship', 409, 20005);
    await expectRefusal(pending.orderId, 'complete', 409, 20005);

    const paid = await place();
    await payOrder(buyer, paid.orderId);
    await expectRefusal(paid.orderId, 'pay', 409, 20003);
    await expectRefusal(paid.orderId, 'cancel', 409, 20003);
    await expectRefusal(paid.orderId, 'complete', 409, 20005);
    assert.equal((await buyer.call('GET', `/v1/orders/${paid.orderId}`)).body.status, 'PAID');

    const cancelled = await place();
    assert.equal((await buyer.call('POST', `/v1/orders/${cancelled.orderId}/cancel`, {})).status, 200);
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
    // Another buyer cannot read, pay, cancel or confirm this order: 404, as if it did not exist; nothing changes.
    const stranger = await newBuyer(h);
    for (const [method, path] of [
      ['GET', `/v1/orders/${paid.orderId}`],
      ['GET', `/v1/orders/${paid.orderId}/saga`],
      ['POST', `/v1/orders/${pending.orderId}/pay`],
      ['POST', `/v1/orders/${pending.orderId}/cancel`],
      ['POST', `/v1/orders/${paid.orderId}/complete`],
    ] as const) {
      const res = await stranger.call(method, path, method === 'POST' ? {} : undefined);
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 20001);
    }
    assert.equal((await buyer.call('GET', `/v1/orders/${pending.orderId}`)).body.status, 'PENDING_PAYMENT');
  });

  it("lists a user's orders newest first, filtered by status and paged", async () => {
    const sku = await seedSku(h, '2.00', 10);
    const buyer = await newBuyer(h);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }], { remark: `#${i}` }))).body
          .orderId,
      );
    }
    await payOrder(buyer, ids[0]!);
    const all = await buyer.call('GET', `/v1/orders?page=1&pageSize=2`);
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 3);
    assert.equal(all.body.pageSize, 2);
    assert.deepEqual(
      all.body.items.map((o: { orderId: string }) => o.orderId),
      [ids[2], ids[1]],
    );
    const paid = await buyer.call('GET', `/v1/orders?status=PAID`);
    assert.deepEqual(
      paid.body.items.map((o: { orderId: string }) => o.orderId),
      [ids[0]],
    );
  });
});
