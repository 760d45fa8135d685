/**
 * The real system in one test process: the API app on an ephemeral port and an order worker on a task queue of its
 * own, both on the native stack's servers, with a Snowflake worker id leased from etcd like the API process does.
 */
import { silentLog, type Log } from '../../lib/log/logger';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Config } from '../../lib/config';
import { holdProcessWorkerId } from '../../lib/ids/process-worker-id';
import type { HeldWorkerId } from '../../lib/ids/worker-id-lease';
import { createProcessMetrics } from '../../lib/metrics/registry';
import { dependencyChecks, openResources, type Resources } from '../../lib/resources';
import { createWorkerConnection } from '../../lib/temporal/connection';
import { createApp } from '../../api/app';
import { buildApiServices } from '../../api/services';
import type { OrderLimits } from '../../lib/orders/limits';
import { workerActivities, workerOptions, type WorkerDefinition } from '../../lib/process/run-worker';
import type { ClientName } from '../../lib/resources';
import { cdcWorker, orderWorker } from '../../workers/worker-definitions';
import { isolatedConfig, resetIsolatedData } from './isolated-data';
import { testConfig, uniqueName } from './config';
import { openServer, type RunningApp } from './http';
import { newAccount, type ApiClient } from './accounts';

export interface Harness {
  config: Config;
  resources: Resources;
  /** The Snowflake worker id the API holds (as api/server.ts holds it). */
  workerId: HeldWorkerId;
  baseUrl: string;
  /** Signed-in staff of the shop: an admin (prices, stock, shipping, roles) and an operator (repair tools). */
  admin: ApiClient;
  ops: ApiClient;
  /** Stops the in-process worker (to simulate its loss) — `startWorker` brings one back. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Ends the workflows still running on this harness's own task queues: nothing will ever poll those queues again, and
 * left running, their timers (30-minute payment windows) would keep waking a shared Temporal server for nothing.
 */
async function terminateOrphans(temporal: Resources['temporal'], config: Config): Promise<void> {
  const queues = [config.temporal.taskQueues.orders, config.temporal.taskQueues.cdcIndexer].filter((q) =>
    q.includes('-test-'),
  );
  for (const queue of queues) {
    for await (const w of temporal.workflow.list({ query: `TaskQueue="${queue}" AND ExecutionStatus="Running"` })) {
      await temporal.workflow
        .getHandle(w.workflowId, w.runId)
        .terminate('the test that started it is over')
        .catch(() => undefined); // it ended meanwhile
    }
  }
}

interface RunningWorker {
  worker: Worker;
  running: Promise<void>;
}

export interface HarnessOptions {
  paymentTimeoutSeconds?: number;
  sagaAnswerTimeoutSeconds?: number;
  createDeadlineSeconds?: number;
  orderLimits?: OrderLimits;
  /**
   * Reconciler settings; `enabled` creates its schedule when the order worker boots (in the harness's namespace, on
   * its task queue). Off unless asked for: the suites share the default namespace, where one schedule would start
   * workflows on a dead queue.
   */
  reconcile?: Partial<Config['reconcile']>;
  /** false: no in-process order worker (a test runs its own, e.g. as a child process). */
  worker?: boolean;
  /** An in-process CDC worker too (backfills), on a task queue of its own. */
  cdcWorker?: boolean;
  /** Databases and search index of their own under this name, dropped and migrated afresh (isolated-data.ts). */
  isolatedData?: string;
  /** Where the API's log lines go (none by default). */
  log?: Log;
  /** Any other change to the configuration, applied last (rate limits, trusted proxies). */
  configure?: (config: Config) => Config;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const base = options.isolatedData ? isolatedConfig(testConfig(), options.isolatedData) : testConfig();
  if (options.isolatedData) await resetIsolatedData(base);
  const configure = options.configure ?? ((c: Config) => c);
  const server = await openServer();
  const config: Config = configure({
    ...base,
    // The sandbox provider calls this API back, wherever it listens.
    payments: { ...base.payments, callbackUrl: `${server.baseUrl}/v1/payments/callback` },
    temporal: {
      ...base.temporal,
      taskQueues: {
        ...base.temporal.taskQueues,
        orders: uniqueName('orders-test'),
        ...(options.cdcWorker ? { cdcIndexer: uniqueName('cdc-test') } : {}),
      },
    },
    order: {
      ...base.order,
      paymentTimeoutSeconds: options.paymentTimeoutSeconds ?? base.order.paymentTimeoutSeconds,
      sagaAnswerTimeoutSeconds: options.sagaAnswerTimeoutSeconds ?? base.order.sagaAnswerTimeoutSeconds,
      createDeadlineSeconds: options.createDeadlineSeconds ?? base.order.createDeadlineSeconds,
      limits: options.orderLimits ?? base.order.limits,
    },
    reconcile: { ...base.reconcile, enabled: false, ...options.reconcile },
  });
  const resources = openResources(config, 'api-test');
  const log = options.log ?? silentLog;
  const workerId = await holdProcessWorkerId(resources.etcd, config.etcd, 'test', log);
  const metrics = createProcessMetrics('api-test');
  const services = buildApiServices(resources, workerId, metrics.registry, log);
  const app: RunningApp = server.serve(
    createApp({ checks: dependencyChecks(resources), metrics, services, config, log }),
  );

  let connection: NativeConnection | undefined;
  /** A worker of a declared definition in this process, on the harness's clients and task queues. */
  const runWorker = async <K extends ClientName>(def: WorkerDefinition<K>): Promise<RunningWorker> => {
    connection ??= await createWorkerConnection(config);
    const ctx = {
      config,
      resources,
      registry: createProcessMetrics(`${def.name}-test`).registry,
      log: () => undefined,
      onClose: () => undefined,
    };
    await def.prepare?.(ctx);
    const worker = await Worker.create(workerOptions(def, config, connection, await workerActivities(def, ctx)));
    return { worker, running: worker.run() };
  };
  const stop = async (w: RunningWorker | undefined): Promise<void> => {
    if (w && w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await w?.running;
  };

  let orders: RunningWorker | undefined;
  const startWorker = async (): Promise<void> => {
    orders = await runWorker(orderWorker);
  };
  const stopWorker = async (): Promise<void> => {
    await stop(orders);
    orders = undefined;
  };
  if (options.worker !== false) await startWorker();
  const cdc = options.cdcWorker ? await runWorker(cdcWorker) : undefined;

  const admin = await newAccount(app.baseUrl, resources.sql.accounts, { role: 'admin' });
  const ops = await newAccount(app.baseUrl, resources.sql.accounts, { role: 'ops' });

  return {
    config,
    resources,
    workerId,
    baseUrl: app.baseUrl,
    admin,
    ops,
    startWorker,
    stopWorker,
    async close() {
      await stopWorker();
      await stop(cdc);
      await terminateOrphans(resources.temporal, config);
      services.orderFeed.close();
      await app.close();
      await connection?.close();
      await workerId.release();
      await resources.close();
    },
  };
}
