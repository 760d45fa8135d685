/**
 * The relay worker: creates the Kafka topics, starts one outboxRelay workflow per shard if none runs (idempotent),
 * and runs them on task queue `outbox-relay` with an idempotent Kafka producer. /metrics and /health on
 * config.metrics.relayWorkerPort; drains and exits on SIGTERM/SIGINT.
 */
import { createOutboxActivities } from '../activities/outbox-activities';
import { loadConfig } from '../lib/config';
import { createRelayProducer } from '../lib/kafka/client';
import { ensureTopics } from '../lib/kafka/topics';
import { createOutboxMetrics } from '../lib/metrics/outbox-metrics';
import { createProcessMetrics } from '../lib/metrics/registry';
import { processLog, runMain } from '../lib/process/entry-point';
import { runWorkerProcess } from '../lib/process/run-worker';
import { openResources } from '../lib/resources';
import { startPerShardWorkflows } from '../lib/temporal/per-shard-workflows';
import { outboxRelayWorkflowId } from '../workflows/outbox-relay';

const log = processLog('relay-worker');

async function main(): Promise<void> {
  const config = loadConfig();
  const resources = openResources(config, 'relay-worker');
  const created = await ensureTopics(resources.kafka, config);
  if (created.length > 0) log('info', 'created topics', { topics: created });
  const producer = createRelayProducer(resources.kafka);
  await producer.connect();
  const taskQueue = config.temporal.taskQueues.outboxRelay;
  await startPerShardWorkflows(resources.temporal, {
    workflowType: 'outboxRelay',
    taskQueue,
    shards: config.shards.count,
    workflowIdOf: outboxRelayWorkflowId,
  });
  const metrics = createProcessMetrics('relay-worker');
  await runWorkerProcess({
    config,
    taskQueue,
    workflowsPath: require.resolve('../workflows/outbox-relay'),
    activities: createOutboxActivities({
      shards: resources.sql.shards,
      producer,
      deadLetterTopic: config.kafka.topics.deadLetter,
      pacing: {
        batchSize: config.relay.batchSize,
        idleSleepMs: config.relay.idleSleepMs,
        runForMs: config.relay.roundSeconds * 1000,
      },
      metrics: createOutboxMetrics(metrics.registry, () =>
        Promise.all(resources.shards.map((db) => db.localMessage.count({ where: { status: 0 } }))),
      ),
    }),
    registry: metrics.registry,
    metricsPort: config.metrics.relayWorkerPort,
    log,
    details: { shards: config.shards.count },
    close: async () => {
      await producer.disconnect();
      await resources.close();
    },
  });
}

runMain(log, main);
