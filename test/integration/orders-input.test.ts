import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { eventually, newBuyer, orderBody, seedSku, stockOf, type SeededSku, uniqueId } from '../support/orders';

describe('bad input and repeated submits on the real stack', function () {
  this.timeout(60_000);
  const h = withStack();
  let sku: SeededSku;

  before(async () => {
    sku = await seedSku(h, '7.00', 20);
  });

  it('malformed or invalid order requests get 400 code 10001 and change nothing', async () => {
    const buyer = await newBuyer(h);
    const good = orderBody([{ ...sku, quantity: 1 }]);
    const cases: [string, unknown][] = [
      ['malformed JSON', '{"items": ['],
      ['missing items', { ...good, items: undefined }],
      ['empty items', { ...good, items: [] }],
      ['a userId field (the user is the token’s)', { ...good, userId: '1001' }],
      ['negative quantity', { ...good, items: [{ productId: sku.productId, skuId: sku.skuId, quantity: -1 }] }],
      ['zero quantity', { ...good, items: [{ productId: sku.productId, skuId: sku.skuId, quantity: 0 }] }],
      ['fractional quantity', { ...good, items: [{ productId: sku.productId, skuId: sku.skuId, quantity: 1.5 }] }],
      ['string quantity', { ...good, items: [{ productId: sku.productId, skuId: sku.skuId, quantity: '1' }] }],
      ['unknown payment method', { ...good, paymentMethod: 'cash' }],
      [
        'client-supplied price',
        { ...good, items: [{ productId: sku.productId, skuId: sku.skuId, quantity: 1, price: '0.01' }] },
      ],
      ['missing address', { ...good, shippingAddress: undefined }],
      ['unknown SKU', { ...good, items: [{ productId: sku.productId, skuId: uniqueId(), quantity: 1 }] }],
      ['id with letters', { ...good, items: [{ productId: '12a', skuId: sku.skuId, quantity: 1 }] }],
    ];
    const before = await stockOf(h, sku);
    for (const [name, body] of cases) {
      const res = await buyer.call('POST', '/v1/orders', body);
      assert.equal(res.status, 400, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 10001, name);
      assert.equal(typeof res.body.message, 'string', name);
    }
    const badKey = await buyer.call('POST', '/v1/orders', good, { 'Idempotency-Key': 'has spaces!' });
    assert.equal(badKey.status, 400);
    assert.equal(badKey.body.code, 10001);
    assert.deepEqual(await stockOf(h, sku), before);
    assert.equal((await buyer.call('GET', `/v1/orders`)).body.total, 0);
    const details = (
      await buyer.call('POST', '/v1/orders', {
        ...good,
        items: [{ productId: sku.productId, skuId: sku.skuId, quantity: 0 }],
      })
    ).body.details;
    assert.deepEqual(
      details.map((d: { path: string }) => d.path),
      ['items.0.quantity'],
    );
  });

  it('bad query and path parameters get 400 code 10001', async () => {
    const buyer = await newBuyer(h);
    for (const path of ['/v1/orders?status=LOST', '/v1/orders/xyz', '/v1/orders?pageSize=1000', '/v1/inventory/1/x']) {
      const res = await buyer.call('GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.code, 10001, path);
    }
    const res = await buyer.call('POST', '/v1/orders/123/pay', { userId: 'me' });
    assert.equal(res.status, 400, 'a userId field is not accepted any more');
  });

  it('the same Idempotency-Key from the same user returns the same order and reserves once, even when sent concurrently', async () => {
    const buyer = await newBuyer(h);
    const body = orderBody([{ ...sku, quantity: 2 }]);
    const before = await stockOf(h, sku);
    const key = `checkout-${uniqueId()}`;
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key })),
    );
    const ids = new Set(concurrent.map((r) => r.body.orderId));
    assert.equal(ids.size, 1, JSON.stringify(concurrent.map((r) => [r.status, r.body])));
    assert.ok(concurrent.every((r) => r.status === 201 || r.status === 200));
    const later = await buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key });
    assert.equal(later.status, 200);
    assert.equal(later.body.orderId, [...ids][0]);
    const after = await stockOf(h, sku);
    assert.equal(before.available - after.available, 2);
    assert.equal(after.locked - before.locked, 2);
    assert.equal((await buyer.call('GET', `/v1/orders`)).body.total, 1);
  });

  it('the durable guard holds when the Redis fast path is gone: a replayed key still finds its first order', async () => {
    const buyer = await newBuyer(h);
    const userId = buyer.session.userId;
    const body = orderBody([{ ...sku, quantity: 1 }]);
    const key = `replay-${uniqueId()}`;
    const first = await buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key });
    assert.equal(first.status, 201);
    await h.resources.redis.del(`idem:${userId}:${key}`); // as if Redis had restarted empty
    const before = await stockOf(h, sku);
    const replay = await buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key });
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    assert.equal(replay.body.orderId, first.body.orderId);
    // The replay's saga reserved, met the unique (user, key) index, and released right after answering.
    const after = await eventually(
      () => stockOf(h, sku),
      (s) => s.locked === before.locked,
    );
    assert.deepEqual(after, before, 'the replay reserved nothing that stayed reserved');
    assert.equal((await buyer.call('GET', `/v1/orders`)).body.total, 1);
  });

  it('an Idempotency-Key sent again with a different order is refused with 422 (20006), with Redis and without', async () => {
    const buyer = await newBuyer(h);
    const userId = buyer.session.userId;
    const line = (quantity: number) => ({ productId: sku.productId, skuId: sku.skuId, quantity });
    const body = orderBody([{ ...sku, quantity: 2 }]);
    const key = `reuse-${uniqueId()}`;
    const first = await buyer.call('POST', '/v1/orders', body, { 'Idempotency-Key': key });
    assert.equal(first.status, 201);
    const before = await stockOf(h, sku);
    const variants = [
      { ...body, items: [line(3)] },
      { ...body, paymentMethod: 'wechat' },
      { ...body, shippingAddress: { ...body.shippingAddress, detail: '2 West Lake Road' } },
    ];
    for (const fastPath of [true, false]) {
      if (!fastPath) await h.resources.redis.del(`idem:${userId}:${key}`); // as if Redis had restarted empty
      for (const variant of variants) {
        const res = await buyer.call('POST', '/v1/orders', variant, { 'Idempotency-Key': key });
        assert.equal(res.status, 422, `${fastPath}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.code, 20006);
        assert.equal(res.body.details.orderId, first.body.orderId);
      }
    }
    // The same items split over two lines are the same order.
    const split = { ...body, items: [line(1), line(1)] };
    assert.equal((await buyer.call('POST', '/v1/orders', split, { 'Idempotency-Key': key })).status, 200);
    const after = await eventually(
      () => stockOf(h, sku),
      (s) => s.locked === before.locked,
    );
    assert.deepEqual(after, before, 'nothing stays reserved for the refused requests');
    assert.equal((await buyer.call('GET', `/v1/orders`)).body.total, 1);
  });

  it('without a key, an identical submit within 10 s is refused as a double click (20004)', async () => {
    const buyer = await newBuyer(h);
    const body = orderBody([{ ...sku, quantity: 1 }], { remark: 'double click' });
    const first = await buyer.call('POST', '/v1/orders', body);
    const second = await buyer.call('POST', '/v1/orders', body);
    assert.equal(first.status, 201);
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 20004);
    assert.equal((await buyer.call('GET', `/v1/orders`)).body.total, 1);
  });
});
