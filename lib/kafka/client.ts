/** The Kafka client of a DOOS process and the topics it uses. */
import { Kafka, logLevel } from 'kafkajs';
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
