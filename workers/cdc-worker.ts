/**
 * The CDC worker: creates the orders index (versioned, behind its alias) if missing, sets a checkpoint at the binlog
 * end for every shard that has none, starts one cdcIndexer workflow per shard if none runs (idempotent), and runs the
 * CDC workflows (tail and backfill) on task queue `cdc-indexer`. /metrics and /health on
 * config.metrics.cdcWorkerPort; drains and exits on SIGTERM/SIGINT.
 */
import { createCdcActivities } from '../activities/cdc-activities';
import { cdcConsumerName, ensureCheckpoint } from '../lib/cdc/checkpoint-store';
import { loadConfig } from '../lib/config';
import { createCdcMetrics } from '../lib/metrics/cdc-metrics';
import { createProcessMetrics } from '../lib/metrics/registry';
import { processLog, runMain } from '../lib/process/entry-point';
import { runWorkerProcess } from '../lib/process/run-worker';
import { openResources } from '../lib/resources';
import { ensureOrdersIndex } from '../lib/search/orders-index';
import { startPerShardWorkflows } from '../lib/temporal/per-shard-workflows';
import { cdcIndexerWorkflowId } from '../workflows/cdc-definitions';

const log = processLog('cdc-worker');

async function main(): Promise<void> {
  const config = loadConfig();
  const resources = openResources(config, 'cdc-worker');
  const alias = config.elasticsearch.ordersIndex;
  if (await ensureOrdersIndex(resources.search, alias, config.elasticsearch)) {
    log('info', 'created the orders index', { alias });
  }
  // A checkpoint for every shard before the workflows start: the tail begins there, so no change made from now on
  // is missed even before its first activity runs (what came before is the backfill's).
  for (const [shard, db] of resources.shards.entries()) {
    if ((await ensureCheckpoint(db, cdcConsumerName(shard))).created) {
      log('info', 'checkpoint set to the binlog end', { shard });
    }
  }
  const taskQueue = config.temporal.taskQueues.cdcIndexer;
  await startPerShardWorkflows(resources.temporal, {
    workflowType: 'cdcIndexer',
    taskQueue,
    shards: config.shards.count,
    workflowIdOf: cdcIndexerWorkflowId,
  });
  const metrics = createProcessMetrics('cdc-worker');
  await runWorkerProcess({
    config,
    taskQueue,
    workflowsPath: require.resolve('../workflows/cdc-workflows'),
    activities: createCdcActivities({
      shards: resources.shards,
      dsns: config.shards.dsns,
      es: resources.search,
      index: alias,
      pacing: {
        batchSize: config.cdc.batchSize,
        flushMs: config.cdc.flushMs,
        runForMs: config.cdc.roundSeconds * 1000,
      },
      metrics: createCdcMetrics(metrics.registry),
    }),
    registry: metrics.registry,
    metricsPort: config.metrics.cdcWorkerPort,
    log,
    details: { shards: config.shards.count },
    close: () => resources.close(),
  });
}

runMain(log, main);
