/** The Kafka client of a DOOS process and the topics it uses. */
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Config } from '../config';

/** A kafkajs client on config.kafka.brokers, quiet unless something is wrong. */
export function createKafka(config: Pick<Config, 'kafka'>, clientSuffix = ''): Kafka {
  return new Kafka({
    clientId: `${config.kafka.clientId}${clientSuffix ? `-${clientSuffix}` : ''}`,
    brokers: config.kafka.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/** Every topic DOOS publishes to, for creation at start-up. */
export function doosTopics(config: Pick<Config, 'kafka'>): string[] {
  const { orderEvents, stockDeduct, deadLetter } = config.kafka.topics;
  return [orderEvents, stockDeduct, deadLetter];
}

/**
 * The relay's producer: idempotent with one request in flight (no duplicates or reordering from its own retries), and
 * failing a send within seconds when the broker is gone, so the row's own backoff (1, 2, 4, 8, 16 s) takes over.
 */
export function createRelayProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}
