import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { withStack } from '../support/stack';
import { newAccount, type ApiClient } from '../support/accounts';
import { orderBody, seedSku } from '../support/orders';
import { stopWorkerProcess } from '../support/worker-process';

/**
 * temporal.workflowStackTraces (lib/temporal/workflow-threads.ts), on real order worker processes: off (the default),
 * the SDK records no promise stacks, so the stack trace query has none; switched on for a worker, the same saga's
 * query shows where it waits.
 */
describe('workflow stack traces (real order worker processes): off by default, on for a worker when asked', function () {
  this.timeout(120_000);
  const h = withStack({ worker: false });
  const apiPort = 19637;
  const api = `http://127.0.0.1:${apiPort}`;
  const queues = (): Record<string, string> => ({
    DOOS_TEMPORAL_TASK_QUEUES_ORDERS: h.config.temporal.taskQueues.orders,
  });
  let buyer: ApiClient;
  let worker: ChildProcess;

  before(async () => {
    await h.workers.start('api/server.ts', { ...queues(), DOOS_API_PORT: String(apiPort) }, 'listening');
    worker = await h.workers.start('workers/order-worker.ts', {
      ...queues(),
      DOOS_METRICS_ORDERS_WORKER_PORT: '19638',
    });
    buyer = await newAccount(api, h.resources.sql.accounts);
  });

  const stackOf = (orderId: string): Promise<string> =>
    h.resources.temporal.workflow.getHandle(`order:${orderId}`).query<string>('__stack_trace');

  it('off: a saga awaiting payment has no stack to show; on: the same saga shows the line it waits on', async () => {
    const sku = await seedSku(h, '3.30', 5);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const { orderId } = placed.body as { orderId: string };

    assert.equal(await stackOf(orderId), '', 'no promise stacks recorded with the default configuration');

    await stopWorkerProcess(worker);
    await h.workers.start('workers/order-worker.ts', {
      ...queues(),
      DOOS_METRICS_ORDERS_WORKER_PORT: '19639',
      DOOS_TEMPORAL_WORKFLOW_STACK_TRACES: 'true',
    });
    const stack = await stackOf(orderId); // answered after replaying the saga on the new worker
    assert.match(stack, /order-saga\.ts/, `the saga's own frames: ${stack.slice(0, 400)}`);
  });
});
