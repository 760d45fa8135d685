/** The Kafka client of a DOOS process and the topics it uses. */
import { Kafka, logLevel, Partitioners, type Producer, type ProducerBatch, type ProducerRecord } from 'kafkajs';
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

/** What the relay sends through. */
export type RelaySender = Pick<Producer, 'send' | 'sendBatch'>;

/**
 * A relay producer that sends one batch at a time and is replaced after every failed send. An idempotent kafkajs
 * producer hands the sequence number of a request that failed (a timeout, a dropped connection) to its next request,
 * although the broker may still write the first: the broker then acknowledges the next batch as a copy without
 * writing it, and the relay marks rows sent whose events are lost. So no send starts while another (with kafkajs' own
 * retries of the same records under the same number) is under way, and after a failed one the next send goes through
 * a new producer, whose new producer id starts its sequences afresh. kafkajs serializes requests to a broker anyway,
 * so one send at a time costs nothing with one broker. test/integration/relay-producer-stall.test.ts shows the loss.
 */
export class FreshAfterFailureProducer implements RelaySender {
  private current: Producer;
  private connected: Promise<void> | undefined;
  /** Settles when the send under way has settled (and its producer been replaced if it failed). */
  private idle: Promise<unknown> = Promise.resolve();

  constructor(private readonly make: () => Producer) {
    this.current = make();
  }

  send(record: ProducerRecord) {
    return this.oneAtATime(async () => {
      const producer = await this.ready();
      return this.replacedOnFailure(producer, () => producer.send(record));
    });
  }

  sendBatch(batch: ProducerBatch) {
    return this.oneAtATime(async () => {
      const producer = await this.ready();
      return this.replacedOnFailure(producer, () => producer.sendBatch(batch));
    });
  }

  async disconnect(): Promise<void> {
    this.connected = undefined;
    await this.current.disconnect();
  }

  private oneAtATime<T>(send: () => Promise<T>): Promise<T> {
    const result = this.idle.then(send);
    this.idle = result.catch(() => undefined);
    return result;
  }

  private async ready(): Promise<Producer> {
    this.connected ??= this.current.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    await this.connected;
    return this.current;
  }

  private async replacedOnFailure<T>(producer: Producer, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (this.current === producer) {
        this.current = this.make();
        this.connected = undefined;
        void producer.disconnect().catch(() => undefined);
      }
      throw err;
    }
  }
}
