import assert from 'node:assert/strict';
import { signCallback } from '../../lib/payments/signature';
import type { ApiClient, Json, JsonResponse } from '../support/accounts';
import { eventually, newBuyer, orderBody, outboxOf, seedSku, type SeededSku } from '../support/orders';
import { withStack } from '../support/stack';

describe('payments through a provider with signed callbacks (sandbox provider, real stack)', function () {
  this.timeout(120_000);
  const h = withStack();
  let sku: SeededSku;
  before(async () => {
    sku = await seedSku(h, '9.90', 1000);
  });

  interface Pending {
    buyer: ApiClient;
    orderId: string;
    shard: number;
    payment: Json;
  }

  /** An order and a payment the sandbox will never answer: the test plays the provider. */
  async function pendingPayment(): Promise<Pending> {
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]));
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const started = await buyer.call('POST', `/v1/orders/${placed.body.orderId}/pay`, { sandbox: { outcome: 'none' } });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    return { buyer, orderId: placed.body.orderId, shard: placed.body.shard, payment: started.body.payment };
  }

  const txn = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

  function callbackOf(p: Pending, change: Record<string, unknown> = {}) {
    return {
      paymentId: p.payment.paymentId,
      orderId: p.orderId,
      providerTxnId: txn(),
      amount: '19.80',
      currency: 'CNY',
      status: 'APPROVED',
      ...change,
    };
  }

  /** POSTs a callback body, signed with `secret` at `at` (seconds) unless a signature is given. */
  async function callBack(
    body: object | string,
    options: { secret?: string; at?: number; signature?: string | null } = {},
  ): Promise<JsonResponse<Json>> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const at = options.at ?? Math.floor(Date.now() / 1000);
    const signature =
      options.signature === undefined
        ? signCallback(options.secret ?? h.config.payments.callbackSecret, raw, at)
        : options.signature;
    const res = await fetch(`${h.baseUrl}/v1/payments/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'doos-signature': signature }) },
      body: raw,
    });
    return { status: res.status, body: await res.json() };
  }

  const orderOf = async (p: Pending) => (await p.buyer.call('GET', `/v1/orders/${p.orderId}`)).body;
  const paymentsOf = async (p: Pending) => (await p.buyer.call('GET', `/v1/orders/${p.orderId}/payments`)).body.items;
  const paidEvents = async (p: Pending) =>
    (await outboxOf(h, p.orderId, p.shard)).filter((m) => m.eventType === 'order.paid').length;

  it('forged, tampered, unsigned, stale and mismatched callbacks are refused with their codes and change nothing', async () => {
    const p = await pendingPayment();
    const valid = callbackOf(p);
    const refusals: [string, JsonResponse<Json>, number, number][] = [
      ['unsigned', await callBack(valid, { signature: null }), 401, 60001],
      ['malformed signature', await callBack(valid, { signature: 't=1,v1=zz' }), 401, 60001],
      ['signed with another secret', await callBack(valid, { secret: 'x'.repeat(40) }), 401, 60001],
      ['signed 10 minutes ago', await callBack(valid, { at: Math.floor(Date.now() / 1000) - 600 }), 401, 60001],
      ['signed 10 minutes ahead', await callBack(valid, { at: Math.floor(Date.now() / 1000) + 600 }), 401, 60001],
      [
        'body changed after signing',
        await callBack(JSON.stringify(valid), {
          signature: signCallback(
            h.config.payments.callbackSecret,
            JSON.stringify({ ...valid, amount: '0.01' }),
            Math.floor(Date.now() / 1000),
          ),
        }),
        401,
        60001,
      ],
      ['another amount', await callBack(callbackOf(p, { amount: '0.01' })), 409, 60002],
      ['another currency', await callBack(callbackOf(p, { currency: 'USD' })), 409, 60002],
      [
        'an unknown payment',
        await callBack(callbackOf(p, { paymentId: '00000000-0000-4000-8000-000000000000' })),
        404,
        60003,
      ],
      ['an order that does not exist', await callBack(callbackOf(p, { orderId: '12345' })), 404, 60003],
    ];
    const other = await pendingPayment();
    refusals.push([
      'the payment of another order',
      await callBack(callbackOf(p, { orderId: other.orderId })),
      404,
      60003,
    ]);
    for (const [what, res, status, code] of refusals) {
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, what);
    }
    assert.equal((await orderOf(p)).status, 'PENDING_PAYMENT');
    assert.deepEqual(
      (await paymentsOf(p)).map((x: Json) => [x.status, x.providerTxnId]),
      [['PENDING', null]],
    );
    assert.equal(await paidEvents(p), 0);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    for (const outcome of ['missing', 'malformed', 'forged', 'stale', 'mismatch', 'unknown-payment']) {
      assert.match(metrics, new RegExp(`payment_callbacks_total\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9]`), outcome);
    }

    // The genuine callback still pays the order.
    const paid = await callBack(valid);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.outcome, 'approved');
    assert.equal((await orderOf(p)).status, 'PAID');
  });

  it('a callback delivered many times, at once and later, pays the order once', async () => {
    const p = await pendingPayment();
    const callback = callbackOf(p);
    const raw = JSON.stringify(callback);
    const signature = signCallback(h.config.payments.callbackSecret, raw, Math.floor(Date.now() / 1000));
    const answers = await Promise.all(Array.from({ length: 5 }, () => callBack(raw, { signature })));
    assert.deepEqual(
      answers.map((a) => [a.status, a.body.outcome]).sort(),
      [
        [200, 'approved'],
        [200, 'duplicate'],
        [200, 'duplicate'],
        [200, 'duplicate'],
        [200, 'duplicate'],
      ],
      JSON.stringify(answers.map((a) => a.body)),
    );
    const replay = await callBack(raw, { signature });
    assert.equal(replay.body.outcome, 'duplicate');
    assert.equal((await orderOf(p)).status, 'PAID');
    assert.equal(await paidEvents(p), 1, 'one order.paid event');
    assert.deepEqual(
      (await paymentsOf(p)).map((x: Json) => [x.status, x.providerTxnId]),
      [['APPROVED', callback.providerTxnId]],
    );
    // The same payment approved again by another transaction is refused: it would be a second charge.
    const second = await callBack(callbackOf(p));
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 60002);
  });

  it('a declined payment leaves the order payable; the next payment pays it', async () => {
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    const orderId: string = placed.body.orderId;
    const declined = await buyer.call('POST', `/v1/orders/${orderId}/pay`, { sandbox: { outcome: 'decline' } });
    assert.equal(declined.status, 202);
    const afterDecline = await eventually(
      async () => (await buyer.call('GET', `/v1/orders/${orderId}/payments`)).body.items,
      (items: Json[]) => items[0]?.status === 'DECLINED',
    );
    assert.equal(afterDecline[0].status, 'DECLINED');
    assert.equal((await buyer.call('GET', `/v1/orders/${orderId}`)).body.status, 'PENDING_PAYMENT');

    const delayed = await buyer.call('POST', `/v1/orders/${orderId}/pay`, { sandbox: { delaySeconds: 2 } });
    assert.equal(delayed.status, 202);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(
      (await buyer.call('GET', `/v1/orders/${orderId}`)).body.status,
      'PENDING_PAYMENT',
      'not before the provider says so',
    );
    const paid = await eventually(
      async () => (await buyer.call('GET', `/v1/orders/${orderId}`)).body,
      (o) => o.status === 'PAID',
    );
    assert.equal(paid.status, 'PAID');
    assert.deepEqual(
      (await buyer.call('GET', `/v1/orders/${orderId}/payments`)).body.items.map((x: Json) => x.status),
      ['DECLINED', 'APPROVED'],
    );
    const again = await buyer.call('POST', `/v1/orders/${orderId}/pay`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 20003, 'a paid order starts no payment');
  });

  it('money approved for an order cancelled meanwhile is marked REFUND_DUE, visible to the shop; the order stays cancelled', async () => {
    const p = await pendingPayment();
    assert.equal((await p.buyer.call('POST', `/v1/orders/${p.orderId}/cancel`, {})).status, 200);
    const late = await callBack(callbackOf(p));
    assert.equal(late.status, 200, JSON.stringify(late.body));
    assert.equal(late.body.outcome, 'refund-due');
    assert.equal((await orderOf(p)).status, 'CANCELLED');
    const staffView = await h.admin.call('GET', `/v1/admin/orders/${p.orderId}/payments`);
    assert.equal(staffView.status, 200);
    assert.deepEqual(
      staffView.body.items.map((x: Json) => x.status),
      ['REFUND_DUE'],
    );
    assert.equal(await paidEvents(p), 0);
  });

  it('sandbox instructions are the sandbox provider\u2019s only; another buyer cannot pay or see this order\u2019s payments', async () => {
    const p = await pendingPayment();
    const stranger = await newBuyer(h);
    for (const [method, path] of [
      ['POST', `/v1/orders/${p.orderId}/pay`],
      ['GET', `/v1/orders/${p.orderId}/payments`],
    ] as const) {
      const res = await stranger.call(method, path, method === 'POST' ? {} : undefined);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.code, 20001);
    }
    const bad = await p.buyer.call('POST', `/v1/orders/${p.orderId}/pay`, { paymentRef: 'I-paid-honest' });
    assert.equal(bad.status, 400, 'a buyer cannot name a payment reference');
    assert.equal((await paymentsOf(p)).length, 1);
  });
});
