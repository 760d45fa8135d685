import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { withStack } from '../support/stack';
import { newAccount, type ApiClient } from '../support/accounts';
import { eventually, orderBody, seedSku, type Json } from '../support/orders';

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

describe('OpenTelemetry traces from the API through the saga, the outbox, Kafka and the consumer (real processes, Zipkin)', function () {
  this.timeout(180_000);
  const h = withStack({ worker: false });
  const zipkin = process.env.DOOS_ZIPKIN_URL ?? 'http://127.0.0.1:9411';
  const apiPort = 19631;
  const api = `http://127.0.0.1:${apiPort}`;
  let buyer: ApiClient;

  /** A W3C traceparent of a new sampled trace, as a client that traces would send it. */
  const newTrace = () => {
    const traceId = randomBytes(16).toString('hex');
    return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
  };

  const spansOf = async (traceId: string): Promise<ZipkinSpan[]> => {
    const res = await fetch(`${zipkin}/api/v2/trace/${traceId}`, { signal: AbortSignal.timeout(5000) });
    return res.status === 200 ? ((await res.json()) as ZipkinSpan[]) : [];
  };

  /** Every span of the trace once `done` says all it needs arrived (processes export in batches, every second). */
  const traceOnce = async (traceId: string, done: (spans: ZipkinSpan[]) => boolean): Promise<ZipkinSpan[]> => {
    const spans = await eventually(() => spansOf(traceId), done, 30_000);
    assert.ok(
      done(spans),
      `trace ${traceId} in Zipkin:\n${spans.map((s) => `${s.localEndpoint?.serviceName} ${s.name}`).join('\n')}`,
    );
    return spans;
  };

  const has = (spans: ZipkinSpan[], service: string, name: string | RegExp) =>
    spans.some(
      (s) =>
        s.localEndpoint?.serviceName === service && (typeof name === 'string' ? s.name === name : name.test(s.name)),
    );

  before(async () => {
    const queues = { DOOS_TEMPORAL_TASK_QUEUES_ORDERS: h.config.temporal.taskQueues.orders };
    await h.workers.start('api/server.ts', { ...queues, DOOS_API_PORT: String(apiPort) }, 'listening');
    await h.workers.start('workers/order-worker.ts', { ...queues, DOOS_METRICS_ORDERS_WORKER_PORT: '19632' });
    await h.workers.start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19633' });
    await h.workers.start('workers/inventory-consumer.ts', { DOOS_METRICS_CONSUMER_PORT: '19634' });
    buyer = await newAccount(api, h.resources.sql.accounts);
  });

  let order: Json;
  let orderTraceId: string;

  it('POST /v1/orders is one trace: the API, the saga and each of its activities with their SQL, the relay publishing order.created', async () => {
    const sku = await seedSku(h, '4.20', 5);
    const { traceId, traceparent } = newTrace();
    orderTraceId = traceId;
    const correlationId = `tracing-${traceId}`;
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]), {
      traceparent,
      'x-request-id': correlationId,
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    order = placed.body;

    const wanted: [string, RegExp][] = [
      ['doos-api', /^post \/v1\/orders$/i], // the server span, named by its route
      ['doos-api', /^updatewithstartworkflow:created$/i], // the saga started by the API
      ['doos-order-worker', /^runactivity:reservestock$/i],
      ['doos-order-worker', /^runactivity:createorder$/i],
      ['doos-order-worker', /^insert t_order$/i], // the order row…
      ['doos-order-worker', /^insert t_local_message$/i], // …and its outbox row, in the same transaction
      ['doos-relay-worker', /^publish doos\.order\.events$/],
    ];
    const spans = await traceOnce(traceId, (found) => wanted.every(([service, name]) => has(found, service, name)));
    const server = spans.find((s) => s.localEndpoint?.serviceName === 'doos-api' && s.kind === 'SERVER');
    assert.equal(server?.tags?.['doos.correlation_id'], correlationId, 'found in Zipkin by the request id');
    const insert = spans.find((s) => /^insert t_order$/i.test(s.name));
    assert.equal(insert?.tags?.['db.system'], 'mariadb');
    assert.ok(!JSON.stringify(spans).includes('Li Lei'), 'no personal data in spans: statements carry no values');
    assert.equal(server?.parentId, traceparent.split('-')[2], "the API continues the client's trace");

    // The staff's order page links to Zipkin's search by the request id: that search finds this trace.
    const detail = await h.ops.call('GET', `/v1/admin/sagas/${order.orderId}`);
    assert.equal(detail.status, 200, JSON.stringify(detail.body));
    const link = new URL(detail.body.traceUrl as string);
    assert.equal(link.searchParams.get('annotationQuery'), `doos.correlation_id=${correlationId}`);
    const search = new URLSearchParams({
      annotationQuery: link.searchParams.get('annotationQuery')!,
      lookback: '3600000',
    });
    const traces = (await (
      await fetch(`${zipkin}/api/v2/traces?${search.toString()}`, { signal: AbortSignal.timeout(5000) })
    ).json()) as ZipkinSpan[][];
    assert.deepEqual(
      [...new Set(traces.flat().map((s) => s.traceId))],
      [traceId],
      "Zipkin's search by the request id finds this trace",
    );
  });

  it("paying: its own trace through the signed callback to the saga's SQL; the deduction joins the order's trace, relay to consumer", async () => {
    const { traceId, traceparent } = newTrace();
    const started = await buyer.call('POST', `/v1/orders/${order.orderId}/pay`, {}, { traceparent });
    assert.equal(started.status, 202, JSON.stringify(started.body));

    const payment: [string, RegExp][] = [
      ['doos-api', /^post \/v1\/orders\/:orderid\/pay$/i], // the buyer's pay
      ['doos-api', /^post \/v1\/payments\/callback$/i], // the provider's signed callback, in the same trace
      ['doos-order-worker', /^runactivity:applytransition$/i], // the saga's pay step, in the callback's trace
      ['doos-order-worker', /^update t_order$/i], // the order row marked PAID
    ];
    await traceOnce(traceId, (found) => payment.every(([service, name]) => has(found, service, name)));

    const later: [string, RegExp][] = [
      ['doos-relay-worker', /^publish doos\.stock\.deduct$/], // the relay publishing the deduction
      ['doos-inventory-consumer', /^consume doos\.stock\.deduct$/],
      ['doos-inventory-consumer', /^update t_inventory$/i], // the stock deducted
    ];
    const spans = await traceOnce(orderTraceId, (found) => later.every(([service, name]) => has(found, service, name)));
    const consume = spans.find((s) => s.name === 'consume doos.stock.deduct');
    const publish = spans.find((s) => s.name === 'publish doos.stock.deduct');
    assert.equal(consume?.parentId, publish?.id, 'the consumer span continues the Kafka record’s trace context');
    const services = new Set(spans.map((s) => s.localEndpoint?.serviceName));
    for (const service of ['doos-api', 'doos-order-worker', 'doos-relay-worker', 'doos-inventory-consumer']) {
      assert.ok(services.has(service), `the order's trace holds spans of ${service}`);
    }
  });
});
