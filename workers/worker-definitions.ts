/**
 * The Temporal worker processes of DOOS, declared: what each needs, runs and keeps running. Their entry points
 * (workers/order-worker.ts, relay-worker.ts, cdc-worker.ts) only run them; tests build the same activities.
 */
import { createCdcActivities } from '../activities/cdc-activities';
import { createInventoryActivities } from '../activities/inventory-activities';
import { createOrderActivities } from '../activities/order-activities';
import { createOutboxActivities } from '../activities/outbox-activities';
import { createReconcileActivities } from '../activities/reconcile-activities';
import { createSagaActivities } from '../activities/saga-activities';
import { cdcConsumerName, ensureCheckpoint } from '../lib/cdc/checkpoint-store';
import { ShardRouter } from '../lib/db/shard-router';
import { createRelayProducer, FreshAfterFailureProducer } from '../lib/kafka/client';
import { ensureTopics } from '../lib/kafka/topics';
import { createCdcMetrics } from '../lib/metrics/cdc-metrics';
import { createOutboxMetrics } from '../lib/metrics/outbox-metrics';
import { OrderCacheInvalidator } from '../lib/orders/cache';
import { RedisFastPath } from '../lib/redis/fast-path';
import { countPendingOutbox } from '../lib/outbox/outbox-table';
import type { WorkerContext, WorkerDefinition } from '../lib/process/run-worker';
import { temporalSagaStates } from '../lib/reconcile/saga-states';
import { ensureOrdersIndex, ordersIndexName } from '../lib/search/orders-index';
import { startWorkflow } from '../lib/temporal/workflows';
import { ensureReconcileSchedule } from '../lib/temporal/reconcile-schedule';
import { cdcBackfillWorkflow } from '../workflows/cdc-backfill-definitions';
import { cdcIndexerWorkflow } from '../workflows/cdc-indexer-definitions';
import { orderSagaWorkflow } from '../workflows/order-saga-definitions';
import { personalDataOf } from '../lib/privacy/personal-data';
import { outboxRelayWorkflow } from '../workflows/outbox-relay-definitions';
import { reconcileWorkflow } from '../workflows/reconcile-definitions';

type OrderWorkerClients = 'sql' | 'redis' | 'shards' | 'search' | 'temporal';

/** Every activity the order worker registers (the saga's forward steps, compensations and reports; the reconciler). */
export function orderWorkerActivities({ resources, registry, config, log }: WorkerContext<OrderWorkerClients>) {
  const inventory = createInventoryActivities({ inventory: resources.sql.inventory, limits: config.order.limits });
  const orders = createOrderActivities({
    shards: new ShardRouter(resources.sql.shards),
    cache: new OrderCacheInvalidator(new RedisFastPath(resources.redis, registry)),
    topics: config.kafka.topics,
    personal: personalDataOf(config),
  });
  const search = { es: resources.search, index: config.elasticsearch.ordersIndex };
  return {
    ...inventory,
    ...orders,
    ...createSagaActivities({ registry, log }),
    ...createReconcileActivities({
      find: {
        shards: resources.sql.shards,
        inventory: resources.sql.inventory,
        sagas: temporalSagaStates(resources.temporal),
        search,
        settings: { ...config.reconcile, paymentTimeoutSeconds: config.order.paymentTimeoutSeconds },
      },
      repair: {
        shards: resources.sql.shards,
        shardClients: resources.shards,
        search,
        applyTransition: orders.applyTransition,
        releaseStock: inventory.releaseStock,
      },
      audit: resources.sql.inventory,
      registry,
    }),
  };
}

/** orderSaga and the reconciler on task queue `orders`; at boot, the reconcile schedule (when enabled). */
export const orderWorker: WorkerDefinition<OrderWorkerClients> = {
  name: 'order-worker',
  taskQueue: 'orders',
  workflows: [orderSagaWorkflow, reconcileWorkflow],
  workflowsPath: require.resolve('../workflows/order-workflows'),
  needs: ['sql', 'redis', 'shards', 'search', 'temporal'],
  metricsPort: (config) => config.metrics.ordersWorkerPort,
  async prepare({ resources, config, log }) {
    if (!config.reconcile.enabled) return;
    const done = await ensureReconcileSchedule(resources.temporal, config);
    log('info', `reconcile schedule ${done}`, { everySeconds: config.reconcile.intervalSeconds });
  },
  activities: orderWorkerActivities,
};

/** One outboxRelay per shard on task queue `outbox-relay`, publishing with an idempotent producer (fresh after a failure). */
export const relayWorker: WorkerDefinition<'sql' | 'kafka' | 'temporal'> = {
  name: 'relay-worker',
  taskQueue: 'outboxRelay',
  workflows: [outboxRelayWorkflow],
  workflowsPath: require.resolve('../workflows/relay-workflows'),
  needs: ['sql', 'kafka', 'temporal'],
  metricsPort: (config) => config.metrics.relayWorkerPort,
  perShard: [outboxRelayWorkflow],
  details: (config) => ({ shards: config.shards.count }),
  async prepare({ resources, config, log }) {
    const created = await ensureTopics(resources.kafka, config);
    if (created.length > 0) log('info', 'created topics', { topics: created });
  },
  activities({ resources, config, registry, log, onClose }) {
    // Replaced after every failed send: an idempotent producer that failed can reuse an accepted sequence number.
    const producer = new FreshAfterFailureProducer(() => createRelayProducer(resources.kafka));
    onClose(() => producer.disconnect());
    return createOutboxActivities({
      shards: resources.sql.shards,
      producer,
      deadLetterTopic: config.kafka.topics.deadLetter,
      pacing: {
        batchSize: config.relay.batchSize,
        idleSleepMs: config.relay.idleSleepMs,
        runForMs: config.relay.roundSeconds * 1000,
        lanes: config.relay.lanes,
      },
      metrics: createOutboxMetrics(registry, () => Promise.all(resources.sql.shards.map(countPendingOutbox))),
      log,
    });
  },
};

/**
 * One cdcIndexer per shard and the backfills on task queue `cdc-indexer`. At boot: the orders index (versioned,
 * behind its alias) and a checkpoint at the binlog end for every shard that has none — the tail begins there, so no
 * change made from now on is missed even before its first activity runs (what came before is the backfill's).
 */
export const cdcWorker: WorkerDefinition<'shards' | 'search' | 'temporal'> = {
  name: 'cdc-worker',
  taskQueue: 'cdcIndexer',
  workflows: [cdcIndexerWorkflow, cdcBackfillWorkflow],
  workflowsPath: require.resolve('../workflows/cdc-workflows'),
  needs: ['shards', 'search', 'temporal'],
  metricsPort: (config) => config.metrics.cdcWorkerPort,
  perShard: [cdcIndexerWorkflow],
  details: (config) => ({ shards: config.shards.count }),
  async prepare({ resources, config, log }) {
    const alias = config.elasticsearch.ordersIndex;
    const index = await ensureOrdersIndex(resources.search, alias, config.elasticsearch);
    if (index !== 'exists') log('info', `${index} the orders index`, { alias, index: ordersIndexName(alias) });
    for (const [shard, db] of resources.shards.entries()) {
      if ((await ensureCheckpoint(db, cdcConsumerName(shard))).created) {
        log('info', 'checkpoint set to the binlog end', { shard });
      }
    }
    if (index === 'replaced') {
      // A new index version starts empty: every shard is backfilled into it (the tail goes on meanwhile).
      for (const shard of resources.shards.keys()) {
        await startWorkflow(resources.temporal, config.temporal.taskQueues, cdcBackfillWorkflow, shard, {
          args: [{ shard }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        });
        log('info', 'backfill started into the new index', { shard });
      }
    }
  },
  activities: ({ resources, config, registry, log }) =>
    createCdcActivities({
      shards: resources.shards,
      dsns: config.shards.dsns,
      es: resources.search,
      index: config.elasticsearch.ordersIndex,
      pacing: {
        batchSize: config.cdc.batchSize,
        flushMs: config.cdc.flushMs,
        runForMs: config.cdc.roundSeconds * 1000,
      },
      metrics: createCdcMetrics(registry),
      log,
    }),
};
