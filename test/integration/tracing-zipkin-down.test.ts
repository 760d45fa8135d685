import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import { newAccount, type ApiClient } from '../support/accounts';
import { eventually, orderBody, seedSku } from '../support/orders';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');

/** Whether Zipkin holds spans of the trace. */
async function traced(zipkin: string, traceId: string): Promise<boolean> {
  const res = await fetch(`${zipkin}/api/v2/trace/${traceId}`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
  return res?.status === 200 && ((await res.json()) as unknown[]).length > 0;
}

describe('Zipkin stopped for a while (real server): orders go on untouched, traces resume once it is back', function () {
  this.timeout(240_000);
  const h = withStack({ worker: false });
  const zipkin = process.env.DOOS_ZIPKIN_URL ?? 'http://127.0.0.1:9411';
  const apiPort = 19635;
  const api = `http://127.0.0.1:${apiPort}`;
  let buyer: ApiClient;

  h.onTeardown(async () => {
    await run('bash', [stack, 'up', 'zipkin']).catch(() => undefined); // whatever happened, leave Zipkin running
  });

  before(async () => {
    const queues = { DOOS_TEMPORAL_TASK_QUEUES_ORDERS: h.config.temporal.taskQueues.orders };
    await h.workers.start('api/server.ts', { ...queues, DOOS_API_PORT: String(apiPort) }, 'listening');
    await h.workers.start('workers/order-worker.ts', { ...queues, DOOS_METRICS_ORDERS_WORKER_PORT: '19636' });
    buyer = await newAccount(api, h.resources.sql.accounts);
  });

  const place = async (skuPrice: string) => {
    const sku = await seedSku(h, skuPrice, 5);
    const traceId = randomBytes(16).toString('hex');
    const started = Date.now();
    const res = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]), {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    return { status: res.status, ms: Date.now() - started, traceId, body: res.body as { orderId: string } };
  };

  it('with Zipkin down, orders are placed as fast as before and nobody crashes; afterwards new traces arrive again', async () => {
    await run('bash', [stack, 'down', 'zipkin']);
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await place('1.10'));
    assert.deepEqual(
      during.map((o) => o.status),
      [201, 201, 201, 201, 201],
    );
    // Spans are exported in the background: a gone Zipkin costs no request its answer (20 s is the saga's own bound).
    assert.ok(
      during.every((o) => o.ms < 5000),
      `answered in ${during.map((o) => o.ms).join(', ')} ms`,
    );
    // Still standing after the exporter's failures (its batches time out and are dropped).
    await new Promise((r) => setTimeout(r, 6000));
    assert.equal((await buyer.call('GET', `/v1/orders/${during[0]!.body.orderId}`)).status, 200);
    assert.doesNotMatch(h.workers.output(), /unhandled|uncaught|FATAL/i);

    await run('bash', [stack, 'up', 'zipkin']);
    const after = await place('1.20');
    assert.equal(after.status, 201);
    assert.ok(
      await eventually(
        () => traced(zipkin, after.traceId),
        (found) => found,
        30_000,
      ),
      'the trace of an order placed after Zipkin came back is in Zipkin',
    );
  });
});
