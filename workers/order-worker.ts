/**
 * The order worker: runs orderSaga and its activities on task queue `orders` (config.temporal.taskQueues.orders),
 * serves /metrics on config.metrics.ordersWorkerPort, drains and exits on SIGTERM/SIGINT, exits non-zero on failure.
 */
import { loadConfig } from '../lib/config';
import { processLog, runMain } from '../lib/process/entry-point';
import { runWorkerProcess } from '../lib/process/run-worker';
import { openResources } from '../lib/resources';
import { createProcessMetrics } from '../lib/metrics/registry';
import { createOrderWorkerActivities } from './order-activities-factory';

const log = processLog('order-worker');

async function main(): Promise<void> {
  const config = loadConfig();
  const resources = openResources(config, 'order-worker');
  const metrics = createProcessMetrics('order-worker');
  await runWorkerProcess({
    config,
    taskQueue: config.temporal.taskQueues.orders,
    workflowsPath: require.resolve('../workflows/order-saga'),
    activities: createOrderWorkerActivities(resources, metrics.registry),
    registry: metrics.registry,
    metricsPort: config.metrics.ordersWorkerPort,
    log,
    close: () => resources.close(),
  });
}

runMain(log, main);
