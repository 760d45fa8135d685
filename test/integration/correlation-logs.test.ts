import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withStack } from '../support/stack';
import { runDoos } from '../support/cli';
import { eventually, newBuyer, orderBody, outboxOf, payOrder, seedSku } from '../support/orders';

type Line = Record<string, unknown>;

/** The JSON log lines in a process's output. */
function linesOf(output: string): Line[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}

describe('one correlation id through every process: log lines and doos trace (real worker processes, real stack)', function () {
  this.timeout(180_000);
  const apiLines: Line[] = [];
  const h = withStack({
    worker: false,
    log: (level, msg, fields) => apiLines.push({ level, msg, ...fields }),
  });

  it("an order request's id is on the lines of the API, the order worker, the relay, the CDC worker and the consumer", async () => {
    const debug = { DOOS_LOG_LEVEL: 'debug' };
    await h.workers.start('workers/order-worker.ts', {
      DOOS_TEMPORAL_TASK_QUEUES_ORDERS: h.config.temporal.taskQueues.orders,
      DOOS_METRICS_ORDERS_WORKER_PORT: '19611',
    });
    await h.workers.start('workers/relay-worker.ts', { ...debug, DOOS_METRICS_RELAY_WORKER_PORT: '19612' });
    await h.workers.start('workers/cdc-worker.ts', { ...debug, DOOS_METRICS_CDC_WORKER_PORT: '19613' });
    await h.workers.start('workers/inventory-consumer.ts', { DOOS_METRICS_CONSUMER_PORT: '19614' });

    const sku = await seedSku(h, '3.10', 5);
    const buyer = await newBuyer(h);
    const correlationId = `trace-${randomUUID()}`;
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]), {
      'x-request-id': correlationId,
    });
    assert.equal(placed.status, 201);
    const { orderId } = placed.body as { orderId: string };
    await payOrder(buyer, orderId);

    const request = apiLines.find((l) => l.msg === 'request' && l.correlationId === correlationId);
    assert.ok(request, 'the API logs the request');
    assert.equal(request.route, '/v1/orders');
    assert.equal(request.status, 201);
    assert.equal(request.userId, buyer.session.userId);

    // Paying is another request (the provider's signed callback): the deduction it causes carries that one's id.
    const deduct = (await outboxOf(h, orderId, placed.body.shard)).find((r) => r.eventType === 'stock.deduct');
    const paidBy = deduct?.correlationId;
    assert.ok(paidBy && paidBy !== correlationId, 'the payment has a request id of its own');
    const wanted: Record<string, { msg: string; correlationId: string }> = {
      'order-worker': { msg: 'activity completed', correlationId },
      'relay-worker': { msg: 'published', correlationId },
      'cdc-worker': { msg: 'order indexed', correlationId },
      'inventory-consumer': { msg: 'stock deduction applied', correlationId: paidBy },
    };
    const found = await eventually(
      () =>
        Promise.resolve(
          linesOf(h.workers.output()).filter((l) => {
            const want = wanted[l.process as string];
            return want !== undefined && want.msg === l.msg && want.correlationId === l.correlationId;
          }),
        ),
      (lines) => Object.keys(wanted).every((p) => lines.some((l) => l.process === p)),
      60_000,
    );
    for (const process of Object.keys(wanted)) {
      const line = found.find((l) => l.process === process);
      assert.ok(line, `${process} logs a line with the correlation id:\n${h.workers.output().slice(-3000)}`);
      assert.equal(line.orderId, orderId, `${process}'s line names the order`);
      assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/, `${process}'s line has an ISO time`);
    }
    const activity = found.find((l) => l.process === 'order-worker')!;
    assert.equal(activity.workflowId, `order:${orderId}`, 'an activity line names its workflow');
    assert.equal(typeof activity.activityType, 'string');
  });

  it("doos trace <correlationId> prints the same order's path from the API to the consumer and the index", async () => {
    const found = apiLines.find((l) => l.msg === 'request' && l.route === '/v1/orders' && l.status === 201);
    assert.ok(found, 'the first test placed an order');
    const correlationId = String(found.correlationId);
    const trace = await eventually(
      () => runDoos(h, 'trace', correlationId),
      (r) => r.code === 0 && r.out.includes('matches the row') && r.out.includes('applied stock.deduct'),
      30_000,
    );
    assert.equal(trace.code, 0, trace.err);
    const lines = trace.out.split('\n');
    for (const [process, step] of [
      ['api', 'saga started'],
      ['order-worker', 'createOrder done'],
      ['order-worker', 'outbox order.created written'],
      ['relay-worker', 'published order.paid'],
      ['inventory-consumer', 'applied stock.deduct'],
    ] as const) {
      assert.ok(
        lines.some((l) => l.includes(` ${process} `) && l.includes(` ${step} `)),
        `${process} ${step} in:\n${trace.out}`,
      );
    }
    assert.ok(
      lines.some((l) => l.includes('saga started') && l.includes(correlationId)),
      trace.out,
    );
    assert.match(trace.out, /search document: PAID, matches the row/);
    assert.match(trace.out, /^order \d+ \(shard \d\) PAID, placed by request /m);

    // The request that paid it finds the same order (by the outbox rows it caused).
    const orderId = /^order (\d+) /m.exec(trace.out)?.[1];
    const paidBy = lines.find((l) => l.includes(' applied stock.deduct '))?.match(/[0-9a-f-]{36}/)?.[0];
    assert.ok(orderId && paidBy, trace.out);
    const byPayment = await runDoos(h, 'trace', paidBy);
    assert.equal(byPayment.code, 0, byPayment.err);
    assert.match(byPayment.out, new RegExp(`^order ${orderId} `, 'm'));

    const unknown = await runDoos(h, 'trace', 'no-such-request');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /404 20001/);
    const hostile = await runDoos(h, 'trace', "x' OR WorkflowId != '");
    assert.equal(hostile.code, 1);
    assert.match(hostile.err, /400 10001/);
  });
});
