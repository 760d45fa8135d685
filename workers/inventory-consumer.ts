/**
 * The inventory consumer (group `inventory-service` on doos.stock.deduct): applies each message in one inventory-DB
 * transaction (lib/inventory/stock-deduction.ts), commits its offset only afterwards, skips duplicates, and sends a
 * message that cannot be applied — malformed, or still failing after bounded retries — to doos.dlq so the partition
 * moves on. /metrics and /health on config.metrics.consumerPort.
 */
import { Partitioners, type KafkaMessage } from 'kafkajs';
import { loadConfig } from '../lib/config';
import { applyStockDeduction, parseStockDeduct, PoisonMessageError } from '../lib/inventory/stock-deduction';
import { groupOffsets } from '../lib/kafka/group-offsets';
import { ensureTopics } from '../lib/kafka/topics';
import { createConsumerMetrics } from '../lib/metrics/consumer-metrics';
import { createProcessMetrics } from '../lib/metrics/registry';
import { serveMetrics } from '../lib/metrics/server';
import { processLog, runMain } from '../lib/process/entry-point';
import { openResources } from '../lib/resources';

const log = processLog('inventory-consumer');
/** Attempts of a message that fails for a passing reason (database down…) before it is dead-lettered. */
const MAX_ATTEMPTS = 5;

async function main(): Promise<void> {
  const config = loadConfig();
  const resources = openResources(config, 'inventory-consumer', ['kafka', 'sql']);
  const { stockDeduct, deadLetter } = config.kafka.topics;
  const group = config.kafka.consumerGroups.inventory;
  await ensureTopics(resources.kafka, config);
  const metrics = createProcessMetrics('inventory-consumer');
  const admin = resources.kafka.admin();
  await admin.connect();
  const { outcomes, delay } = createConsumerMetrics(metrics.registry, stockDeduct, () =>
    groupOffsets(admin, group, stockDeduct),
  );
  const producer = resources.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const consumer = resources.kafka.consumer({
    groupId: group,
    sessionTimeout: config.kafka.consumerSessionTimeoutMs,
    heartbeatInterval: Math.floor(config.kafka.consumerSessionTimeoutMs / 5),
  });
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
    log('warn', 'dead-lettered', { topic, partition, offset: message.offset, reason });
  };

  const handle = async (topic: string, partition: number, message: KafkaMessage): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const parsed = parseStockDeduct(message.headers?.['message-id']?.toString(), message.value);
        const outcome = await applyStockDeduction(resources.sql.inventory, parsed, group, topic);
        outcomes.inc({ outcome });
        delay.observe(Math.max(0, Date.now() - Number(message.timestamp)) / 1000);
        return;
      } catch (err) {
        if (err instanceof PoisonMessageError) return deadLetterIt(topic, partition, message, err.message);
        if (attempt >= MAX_ATTEMPTS) {
          return deadLetterIt(topic, partition, message, `failed ${attempt} times: ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  };

  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      await handle(topic, partition, message);
      // Only now is the message's effect (or its dead letter) durable: commit past it.
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
  const metricsServer = await serveMetrics(metrics.registry, config.api.host, config.metrics.consumerPort);
  log('info', 'polling', { topic: stockDeduct, group, metricsPort: config.metrics.consumerPort });

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await consumer.disconnect();
  await producer.disconnect();
  await admin.disconnect();
  metricsServer.close();
  await resources.close();
  log('info', 'stopped');
}

runMain(log, main);
