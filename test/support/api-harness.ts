/**
 * The real system in one test process: the API app on an ephemeral port and an order worker on a task queue of its
 * own, both on the native stack's servers, with a Snowflake worker id leased from etcd like the API process does.
 */
import { hostname } from 'node:os';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Config } from '../../lib/config';
import { leaseWorkerId, LeasedIdGenerator, type WorkerIdLease } from '../../lib/ids/worker-id-lease';
import { createProcessMetrics } from '../../lib/metrics/registry';
import { dependencyChecks, openResources, type Resources } from '../../lib/resources';
import { createWorkerConnection } from '../../lib/temporal/connection';
import { createApp } from '../../api/app';
import { buildApiServices } from '../../api/services';
import { orderWorker, orderWorkerActivities } from '../../workers/worker-definitions';
import { testConfig, uniqueName } from './config';
import { listen, type RunningApp } from './http';

export interface Harness {
  config: Config;
  resources: Resources;
  baseUrl: string;
  /** Stops the in-process worker (to simulate its loss) — `startWorker` brings one back. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  paymentTimeoutSeconds?: number;
  sagaAnswerTimeoutSeconds?: number;
  /** false: no in-process worker (a test runs its own, e.g. as a child process). */
  worker?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const base = testConfig();
  const config: Config = {
    ...base,
    temporal: { ...base.temporal, taskQueues: { ...base.temporal.taskQueues, orders: uniqueName('orders-test') } },
    order: {
      paymentTimeoutSeconds: options.paymentTimeoutSeconds ?? base.order.paymentTimeoutSeconds,
      sagaAnswerTimeoutSeconds: options.sagaAnswerTimeoutSeconds ?? base.order.sagaAnswerTimeoutSeconds,
    },
  };
  const resources = openResources(config, 'api-test');
  const lease: WorkerIdLease = await leaseWorkerId(resources.etcd, {
    prefix: config.etcd.snowflakePrefix,
    ttlSeconds: config.etcd.leaseTtlSeconds,
    owner: `test@${hostname()}:${process.pid}`,
  });
  const metrics = createProcessMetrics('api-test');
  const services = buildApiServices(resources, new LeasedIdGenerator(lease), metrics.registry);
  const app: RunningApp = await listen(createApp({ checks: dependencyChecks(resources), metrics, services }));

  let connection: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  let worker: Worker | undefined;
  const startWorker = async (): Promise<void> => {
    connection ??= await createWorkerConnection(config);
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueues.orders,
      workflowsPath: orderWorker.workflowsPath,
      activities: orderWorkerActivities({
        config,
        resources,
        registry: createProcessMetrics('order-worker-test').registry,
        log: () => undefined,
        onClose: () => undefined,
      }),
    });
    running = worker.run();
  };
  const stopWorker = async (): Promise<void> => {
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    worker = undefined;
  };
  if (options.worker !== false) await startWorker();

  return {
    config,
    resources,
    baseUrl: app.baseUrl,
    startWorker,
    stopWorker,
    async close() {
      await stopWorker();
      await app.close();
      await connection?.close();
      await lease.release();
      await resources.close();
    },
  };
}
