/**
 * Records one history of every workflow type DOOS runs (and each way an order saga ends, and a continue-as-new of the
 * long-running ones) on a local Temporal dev server, with stand-in activities, into test/histories/*.json. The replay
 * test (test/workflows/replay.test.ts) replays them against the current code, so a change that would break a running
 * workflow fails `make test`. Run it again only to add a history: `npx tsx test/histories/record.ts [name…]`; never
 * re-record an existing one to make the replay pass (see "Changing a workflow" in docs/architecture.md).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DOOS_SEARCH_ATTRIBUTES } from '../../lib/temporal/search-attributes';
import {
  createdUpdate,
  payUpdate,
  shipUpdate,
  completeUpdate,
  type OrderSagaInput,
} from '../../workflows/order-saga-definitions';

const HERE = __dirname;
const bundles = {
  orders: require.resolve('../../workflows/order-workflows'),
  relay: require.resolve('../../workflows/relay-workflows'),
  cdc: require.resolve('../../workflows/cdc-workflows'),
};

const priced = (input: { items: OrderSagaInput['items'] }) => ({
  items: input.items.map((i) => ({ ...i, productName: 'Tea', productImage: '', priceCents: 500, subtotalCents: 500 })),
});

/** Stand-in activities: what each bundle's workflows call, answering at once. */
const activities = {
  reserveStock: (input: { items: OrderSagaInput['items'] }) => Promise.resolve(priced(input)),
  releaseStock: () => Promise.resolve({ released: 1 }),
  createOrder: () => Promise.resolve({ created: true, createdAt: '2026-11-28T00:00:00.000Z' }),
  applyTransition: () => Promise.resolve({ status: 'PAID', applied: true }),
  recordCompensationParked: () => Promise.resolve(),
  reconcileFind: () =>
    Promise.resolve([
      { kind: 'orphan-reservation', shard: null, orderId: '7', subject: '7', detail: 'x', repair: 'release' },
      { kind: 'outbox-stuck', shard: 0, orderId: '8', subject: 'm-8', detail: 'x', repair: 'due now' },
    ]),
  reconcileRepair: (input: { findings: unknown[] }) => Promise.resolve({ repaired: input.findings.length, failed: 0 }),
  relayShard: () => Promise.resolve({ batches: 1, published: 0, retrying: 0, failed: 0 }),
  tailShard: () =>
    Promise.resolve({
      from: 'binlog.000001:4',
      to: 'binlog.000001:4',
      flushes: 1,
      indexed: 0,
      stale: 0,
      deadLettered: 0,
    }),
  backfillStart: () => Promise.resolve({ position: { file: 'binlog.000001', pos: 4 }, total: 3 }),
  backfillPages: (input: { afterId: string }) =>
    Promise.resolve(
      input.afterId === '0'
        ? { lastId: '3', orders: 3, indexed: 3, stale: 0, deadLettered: 0, done: false }
        : { lastId: '3', orders: 0, indexed: 0, stale: 0, deadLettered: 0, done: true },
    ),
  handOverToTail: () => Promise.resolve({ checkpoint: 'binlog.000001:4', moved: true }),
};

let seq = 0;
function sagaInput(paymentTimeoutSeconds = 1800): OrderSagaInput {
  seq++;
  return {
    orderId: `${9000 + seq}`,
    orderNo: `202611280019${9000 + seq}`,
    userId: '1001',
    shard: 1,
    items: [{ productId: '1', skuId: '101', quantity: 1 }],
    shippingAddress: { name: 'Li Lei', phone: '13800000000', detail: '1 West Lake Road' },
    paymentMethod: 'alipay',
    remark: '',
    paymentTimeoutSeconds,
    createDeadlineSeconds: 60,
  };
}

/** The execution to take the history of: its id and, for one that continued as new, its first run. */
interface Recorded {
  workflowId: string;
  runId?: string;
}

type Recording = (env: TestWorkflowEnvironment, taskQueue: string) => Promise<Recorded>;

const startSaga = async (env: TestWorkflowEnvironment, taskQueue: string, input: OrderSagaInput) => {
  const op = new WithStartWorkflowOperation('orderSaga', {
    taskQueue,
    workflowId: `order:${input.orderId}`,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await env.client.workflow
    .executeUpdateWithStart(createdUpdate, { startWorkflowOperation: op })
    .catch(() => undefined);
  return op.workflowHandle();
};

/** Name → [bundle, activities that differ, how to run it]. */
const recordings: Record<string, [keyof typeof bundles, Partial<typeof activities>, Recording]> = {
  'order-saga-completed': [
    'orders',
    {},
    async (env, q) => {
      const h = await startSaga(env, q, sagaInput());
      for (const u of [payUpdate, shipUpdate, completeUpdate])
        await h.executeUpdate(u, { args: [{ actor: 'user:1001' }] });
      await h.result();
      return h;
    },
  ],
  'order-saga-payment-timeout': [
    'orders',
    {},
    async (env, q) => {
      const h = await startSaga(env, q, sagaInput(1));
      await h.result();
      return h;
    },
  ],
  'order-saga-rejected': [
    'orders',
    {
      reserveStock: () => {
        throw ApplicationFailure.create({ type: 'STOCK_INSUFFICIENT', message: 'short', nonRetryable: true });
      },
    },
    async (env, q) => {
      const h = await startSaga(env, q, sagaInput());
      await h.result();
      return h;
    },
  ],
  'order-saga-workflow-cancel': [
    'orders',
    {},
    async (env, q) => {
      const h = await startSaga(env, q, sagaInput());
      await h.cancel();
      await h.result();
      return h;
    },
  ],
  'reconcile-applied': [
    'orders',
    {},
    async (env, q) => {
      const h = await env.client.workflow.start('reconcile', {
        taskQueue: q,
        workflowId: 'reconcile:manual-record',
        args: [{ apply: true }],
      });
      await h.result();
      return h;
    },
  ],
  'outbox-relay-continued': [
    'relay',
    {},
    async (env, q) => {
      const h = await env.client.workflow.start('outboxRelay', {
        taskQueue: q,
        workflowId: 'outbox-relay:shard-0',
        args: [{ shard: 0 }],
      });
      await waitForContinueAsNew(env, h.workflowId, h.firstExecutionRunId);
      return { workflowId: h.workflowId, runId: h.firstExecutionRunId };
    },
  ],
  'cdc-indexer-continued': [
    'cdc',
    {},
    async (env, q) => {
      const h = await env.client.workflow.start('cdcIndexer', {
        taskQueue: q,
        workflowId: 'cdc:shard-0',
        args: [{ shard: 0 }],
      });
      await waitForContinueAsNew(env, h.workflowId, h.firstExecutionRunId);
      return { workflowId: h.workflowId, runId: h.firstExecutionRunId };
    },
  ],
  'cdc-backfill-done': [
    'cdc',
    {},
    async (env, q) => {
      const h = await env.client.workflow.start('cdcBackfill', {
        taskQueue: q,
        workflowId: 'cdc-backfill:shard-0',
        args: [{ shard: 0 }],
      });
      await h.result();
      return h;
    },
  ],
};

/** Waits until the first run of a forever-workflow has continued as new (its history then ends with that event). */
async function waitForContinueAsNew(env: TestWorkflowEnvironment, workflowId: string, runId: string): Promise<void> {
  for (;;) {
    const d = await env.client.workflow.getHandle(workflowId, runId).describe();
    if (d.status.name === 'CONTINUED_AS_NEW') return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(names: string[]): Promise<void> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: path.resolve(HERE, '../../deployments/native/temporal') },
      ip: '127.0.0.1',
      searchAttributes: DOOS_SEARCH_ATTRIBUTES,
    },
  });
  try {
    for (const name of names.length > 0 ? names : Object.keys(recordings)) {
      const [bundle, overrides, run] = recordings[name] ?? [];
      if (!bundle || !run) throw new Error(`no recording named ${name}`);
      const taskQueue = `record-${name}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: bundles[bundle],
        activities: { ...activities, ...overrides },
      });
      const recorded = await worker.runUntil(run(env, taskQueue));
      const history = await env.client.workflow.getHandle(recorded.workflowId, recorded.runId).fetchHistory();
      // The proto's own JSON-safe form (longs as strings, bytes as base64), read back by History.fromObject.
      const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
        longs: String,
        bytes: String,
        enums: String,
      });
      writeFileSync(path.join(HERE, `${name}.json`), `${JSON.stringify(json)}\n`);
      console.log(`recorded ${name} (${history.events?.length ?? 0} events)`);
    }
  } finally {
    await env.teardown();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
