import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { openEventStream, type OpenStream } from '../support/event-stream';
import { newBuyer, orderBody, payOrder, seedSku, type Json } from '../support/orders';
import { STREAMS_PER_USER } from '../../api/routes/order-stream';

describe('the live stream of orders, GET /v1/stats/orders/stream (real stack, CDC worker running)', function () {
  this.timeout(120_000);
  const h = withStack();
  const opened: OpenStream[] = [];
  const open = async (token: string) => {
    const s = await openEventStream(`${h.baseUrl}/v1/stats/orders/stream`, token);
    opened.push(s);
    return s;
  };

  before(async () => {
    await h.workers.start('workers/cdc-worker.ts', { DOOS_METRICS_CDC_WORKER_PORT: '19547' });
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });

  it('an order placed while an admin watches arrives within seconds, and again when it is paid', async () => {
    const stream = await open(h.admin.session.accessToken);
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    await stream.next((e) => e.event === 'ready');

    const sku = await seedSku(h, '3.20', 10, 'Stream test tea');
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]));
    assert.equal(placed.status, 201);
    const orderId = placed.body.orderId as string;

    const created = (await stream.next((e) => e.event === 'order' && (e.data as Json).orderId === orderId))
      .data as Json;
    assert.equal(created.status, 'PENDING_PAYMENT');
    assert.equal(created.orderNo, placed.body.orderNo);
    assert.equal(created.actualAmount, '6.40');
    assert.equal(created.shippingAddress, undefined, 'no shipping address on the stream');

    await payOrder(buyer, orderId);
    await stream.next(
      (e) => e.event === 'order' && (e.data as Json).orderId === orderId && (e.data as Json).status === 'PAID',
    );
    const copies = stream.events.filter(
      (e) =>
        e.event === 'order' && (e.data as Json).orderId === orderId && (e.data as Json).status === 'PENDING_PAYMENT',
    );
    assert.equal(copies.length, 1, 'each change once');
  });

  it('ops may watch too; a buyer may not (403 / 10005), nor anyone without a token (401 / 10002)', async () => {
    assert.equal((await open(h.ops.session.accessToken)).status, 200);
    const buyer = await newBuyer(h);
    const refused = await open(buyer.session.accessToken);
    assert.equal(refused.status, 403);
    assert.equal((refused.refusal as Json).code, 10005);
    const anonymous = await open('not-a-token');
    assert.equal(anonymous.status, 401);
    assert.equal((anonymous.refusal as Json).code, 10002);
  });

  it(`a user holds at most ${STREAMS_PER_USER} streams (429 / 10006 with Retry-After); closing one frees its place`, async () => {
    const streams = [];
    for (let i = 0; i < STREAMS_PER_USER; i++) {
      const s = await open(h.ops.session.accessToken);
      assert.equal(s.status, 200);
      await s.next((e) => e.event === 'ready');
      streams.push(s);
    }
    const over = await open(h.ops.session.accessToken);
    assert.equal(over.status, 429);
    assert.equal((over.refusal as Json).code, 10006);
    assert.equal(over.headers.get('retry-after'), '10');
    assert.equal((await open(h.admin.session.accessToken)).status, 200, 'another user is not held back');

    streams[0]!.close();
    const deadline = Date.now() + 10_000;
    let again = await open(h.ops.session.accessToken);
    while (again.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      again = await open(h.ops.session.accessToken);
    }
    assert.equal(again.status, 200, 'the closed stream gave its place back');
  });
});
