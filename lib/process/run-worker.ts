/** How a Temporal worker process runs once its worker exists: the same for the order, relay and CDC workers. */
import type { Worker } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import { serveMetrics } from '../metrics/server';
import type { Log } from './entry-point';

export interface WorkerRun {
  worker: Worker;
  registry: Registry;
  host: string;
  metricsPort: number;
  log: Log;
  /** Logged with the `polling` line that tests and the stack wait for. */
  details: Record<string, unknown>;
  /** Closes the process's connections after the worker drained. */
  close(): Promise<void>;
}

/**
 * Serves /metrics and /health (once the worker exists, so /health answering means it is about to poll), logs
 * `polling`, runs the worker until SIGTERM/SIGINT (the SDK's shutdown signals) has drained it, then closes.
 */
export async function runWorkerProcess(run: WorkerRun): Promise<void> {
  const metricsServer = await serveMetrics(run.registry, run.host, run.metricsPort);
  run.log('info', 'polling', { ...run.details, metricsPort: run.metricsPort });
  try {
    await run.worker.run();
  } finally {
    metricsServer.close();
    await run.close();
    run.log('info', 'stopped');
  }
}
