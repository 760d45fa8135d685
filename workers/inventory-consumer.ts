/**
 * The inventory consumer (group `inventory-service` on doos.stock.deduct): applies each message in one inventory-DB
 * transaction (lib/inventory/stock-deduction.ts) and commits its offset only afterwards; duplicates are skipped.
 * Only a message that can never apply — malformed, naming stock that was not reserved, or data the database refuses
 * for good — goes to doos.dlq. Anything else (the database down, a deadlock, a lock wait) is retried without a limit
 * while the partition waits, heartbeating so the group keeps the member (consumer_retrying, DoosConsumerRetrying).
 * A consumer that crashes for good or stays out of its group exits so its supervisor restarts it; /health on
 * config.metrics.consumerPort says whether it consumes (lib/kafka/consumer-health.ts), /metrics beside it.
 */
import '../lib/telemetry/register'; // first: tracing patches http and ioredis before they load
import { Partitioners, type KafkaMessage } from 'kafkajs';
import { loadConfig } from '../lib/config';
import { inConsumerSpan } from '../lib/telemetry/message-spans';
import { permanentDataError } from '../lib/db/db-errors';
import { applyStockDeduction, parseStockDeduct, PoisonMessageError } from '../lib/inventory/stock-deduction';
import { ConsumerHealth } from '../lib/kafka/consumer-health';
import { groupOffsets } from '../lib/kafka/group-offsets';
import { ensureTopics } from '../lib/kafka/topics';
import { createConsumerMetrics, partitionLag } from '../lib/metrics/consumer-metrics';
import { createProcessMetrics } from '../lib/metrics/registry';
import { serveMetrics } from '../lib/metrics/server';
import { processLog, runMain } from '../lib/process/entry-point';
import { openResources } from '../lib/resources';

const log = processLog('inventory-consumer');
/** Longest wait between two attempts of a message that fails for a passing reason. */
const MAX_RETRY_WAIT_MS = 10_000;
/** Messages waiting and none settled for this long, without a retry to explain it: /health says stalled. */
const STALL_SECONDS = 60;

async function main(): Promise<void> {
  const config = loadConfig();
  log.logger.level = config.log.level;
  const resources = openResources(config, 'inventory-consumer', ['kafka', 'sql']);
  const { stockDeduct, deadLetter } = config.kafka.topics;
  const group = config.kafka.consumerGroups.inventory;
  const sessionMs = config.kafka.consumerSessionTimeoutMs;
  await ensureTopics(resources.kafka, config);
  const metrics = createProcessMetrics('inventory-consumer');
  const admin = resources.kafka.admin();
  await admin.connect();
  const offsets = () => groupOffsets(admin, group, stockDeduct);
  const { outcomes, delay } = createConsumerMetrics(metrics.registry, stockDeduct, offsets);
  const health = new ConsumerHealth(
    metrics.registry,
    async () => (await offsets()).reduce((sum, p) => sum + Number(partitionLag(p)), 0),
    STALL_SECONDS,
  );
  const producer = resources.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const consumer = resources.kafka.consumer({
    groupId: group,
    sessionTimeout: sessionMs,
    heartbeatInterval: Math.floor(sessionMs / 5),
  });

  let exiting = false;
  const exitForRestart = (reason: string, fields: Record<string, unknown> = {}): void => {
    if (exiting) return;
    exiting = true;
    log('error', `exiting for the supervisor to restart the consumer: ${reason}`, fields);
    process.exit(1);
  };
  consumer.on(consumer.events.GROUP_JOIN, () => health.joined());
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    health.left('rejoining');
    log('warn', 'consumer crashed', { error: payload.error.message, restart: payload.restart });
    if (!payload.restart) exitForRestart('kafkajs will not restart it', { error: payload.error.message });
  });
  consumer.on(consumer.events.STOP, () => health.left('stopped'));
  // kafkajs rejoins by itself after a lost session or a retriable crash; a consumer still out of its group after
  // this long is stuck, and a fresh process is the sure way back.
  const rejoinWithinSeconds = Math.max(60, (3 * sessionMs) / 1000);
  const watchdog = setInterval(() => {
    if (health.secondsOutOfGroup > rejoinWithinSeconds) exitForRestart(`not in its group for ${rejoinWithinSeconds} s`);
  }, 5_000);

  await consumer.connect();
  await consumer.subscribe({ topic: stockDeduct, fromBeginning: true });

  const deadLetterIt = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: string,
  ): Promise<void> => {
    await producer.send({
      topic: deadLetter,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason.slice(0, 1000),
            'dlq-source-topic': topic,
            'dlq-source-partition': String(partition),
            'dlq-source-offset': message.offset,
            'dlq-consumer-group': group,
          },
        },
      ],
    });
    outcomes.inc({ outcome: 'dead_lettered' });
    log('warn', 'dead-lettered', { ...where(topic, partition, message), reason });
  };

  /** What every log line about a record names: where it is, its order, and the request that caused it. */
  const where = (topic: string, partition: number, message: KafkaMessage) => ({
    topic,
    partition,
    offset: message.offset,
    orderId: message.key?.toString(),
    correlationId: message.headers?.['correlation-id']?.toString(),
  });

  /** Waits `ms`, heartbeating often enough that the group keeps this member (a rebalance throws out of the wait). */
  const waitAlive = async (ms: number, heartbeat: () => Promise<void>): Promise<void> => {
    const step = Math.max(500, Math.floor(sessionMs / 3));
    for (let waited = 0; waited < ms; waited += step) {
      await new Promise((r) => setTimeout(r, Math.min(step, ms - waited)));
      await heartbeat();
    }
  };

  const handle = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const parsed = parseStockDeduct(message.headers?.['message-id']?.toString(), message.value);
        const outcome = await applyStockDeduction(resources.sql.inventory, parsed, group, topic);
        outcomes.inc({ outcome });
        delay.observe(Math.max(0, Date.now() - Number(message.timestamp)) / 1000);
        log('info', attempt > 1 ? 'stock deduction applied after retrying' : 'stock deduction applied', {
          ...where(topic, partition, message),
          outcome,
          ...(attempt > 1 ? { attempt } : {}),
        });
        return;
      } catch (err) {
        if (err instanceof PoisonMessageError) return deadLetterIt(topic, partition, message, err.message);
        const refused = permanentDataError(err);
        if (refused) {
          return deadLetterIt(topic, partition, message, `the database refused ${refused}: ${(err as Error).message}`);
        }
        const error = (err as Error).message.split('\n')[0] ?? String(err);
        health.retrying(error);
        if (attempt === 1 || attempt % 10 === 0) {
          log('warn', 'retrying a message that failed for a passing reason', {
            ...where(topic, partition, message),
            attempt,
            error,
          });
        }
        await waitAlive(Math.min(200 * 2 ** attempt, MAX_RETRY_WAIT_MS), heartbeat);
      }
    }
  };

  await consumer.run({
    autoCommit: false,
    eachMessage: async (payload) => {
      const { topic, partition, message } = payload;
      // A span continuing the trace of the order change the record announces (its `traceparent` header).
      const attributes = {
        'messaging.kafka.partition': partition,
        'messaging.kafka.offset': message.offset,
        'messaging.message.id': message.headers?.['message-id']?.toString() ?? '',
      };
      await inConsumerSpan(topic, message.headers, attributes, () =>
        handle(topic, partition, message, () => payload.heartbeat()),
      );
      // Only now is the message's effect (or its dead letter) durable: commit past it.
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      health.progressed();
    },
  });
  const metricsServer = await serveMetrics(metrics.registry, config.api.host, config.metrics.consumerPort, () =>
    health.report(),
  );
  log('info', 'polling', { topic: stockDeduct, group, metricsPort: config.metrics.consumerPort });

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  exiting = true;
  clearInterval(watchdog);
  await consumer.disconnect();
  await producer.disconnect();
  await admin.disconnect();
  metricsServer.close();
  await resources.close();
  log('info', 'stopped');
}

runMain(log, main);
