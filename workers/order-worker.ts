/**
 * The order worker: runs orderSaga and its activities on task queue `orders` (config.temporal.taskQueues.orders),
 * serves /metrics on config.metrics.ordersWorkerPort, drains and exits on SIGTERM/SIGINT, exits non-zero on failure.
 */
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { processLog, runMain } from '../lib/process/entry-point';
import { runWorkerProcess } from '../lib/process/run-worker';
import { openResources } from '../lib/resources';
import { createWorkerConnection } from '../lib/temporal/connection';
import { createProcessMetrics } from '../lib/metrics/registry';
import { createOrderWorkerActivities } from './order-activities-factory';

const log = processLog('order-worker');

async function main(): Promise<void> {
  const config = loadConfig();
  const resources = openResources(config, 'order-worker');
  const metrics = createProcessMetrics('order-worker');
  const connection = await createWorkerConnection(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueues.orders,
    workflowsPath: require.resolve('../workflows/order-saga'),
    activities: createOrderWorkerActivities(resources, metrics.registry),
    shutdownGraceTime: '10 seconds',
  });
  await runWorkerProcess({
    worker,
    registry: metrics.registry,
    host: config.api.host,
    metricsPort: config.metrics.ordersWorkerPort,
    log,
    details: { taskQueue: config.temporal.taskQueues.orders },
    close: async () => {
      await connection.close();
      await resources.close();
    },
  });
}

runMain(log, main);
