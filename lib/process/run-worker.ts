/** How a Temporal worker process runs: the same for the order, relay and CDC workers. */
import { Worker } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { serveMetrics } from '../metrics/server';
import { createWorkerConnection } from '../temporal/connection';
import type { Log } from './entry-point';

export interface WorkerRun {
  config: Pick<Config, 'temporal' | 'api'>;
  taskQueue: string;
  /** require.resolve() of the module that exports the task queue's workflows. */
  workflowsPath: string;
  activities: object;
  registry: Registry;
  metricsPort: number;
  log: Log;
  /** Logged with the `polling` line that tests and the stack wait for. */
  details?: Record<string, unknown>;
  /** Closes the process's own clients once the worker has drained (its Temporal connection is closed here). */
  close(): Promise<void>;
}

/**
 * Creates the worker, serves /metrics and /health (once the worker exists, so /health answering means it is about to
 * poll), logs `polling`, runs until SIGTERM/SIGINT (the SDK's shutdown signals) has drained it, then closes.
 */
export async function runWorkerProcess(run: WorkerRun): Promise<void> {
  const connection = await createWorkerConnection(run.config);
  const worker = await Worker.create({
    connection,
    namespace: run.config.temporal.namespace,
    taskQueue: run.taskQueue,
    workflowsPath: run.workflowsPath,
    activities: run.activities,
    shutdownGraceTime: '10 seconds',
  });
  const metricsServer = await serveMetrics(run.registry, run.config.api.host, run.metricsPort);
  run.log('info', 'polling', { taskQueue: run.taskQueue, ...run.details, metricsPort: run.metricsPort });
  try {
    await worker.run();
  } finally {
    metricsServer.close();
    await connection.close();
    await run.close();
    run.log('info', 'stopped');
  }
}
