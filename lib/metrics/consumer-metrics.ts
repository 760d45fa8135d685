/** Prometheus metrics of the inventory consumer, registered on its process registry. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type ConsumerOutcome = 'applied' | 'duplicate' | 'dead_lettered';

export interface ConsumerMetrics {
  outcomes: Counter<'outcome'>;
  /** Seconds from the message's Kafka timestamp (the relay's publish) to its effect committed. */
  delay: Histogram;
}

/** Per partition: the log end offset and the group's committed offset (null when it has committed nothing yet). */
export interface PartitionOffsets {
  partition: number;
  high: bigint;
  low: bigint;
  committed: bigint | null;
}

/** Messages the group still has to process in a partition. */
export function partitionLag(p: PartitionOffsets): bigint {
  const from = p.committed === null || p.committed < p.low ? p.low : p.committed;
  return p.high > from ? p.high - from : 0n;
}

/** Outcome counter and delay histogram, plus a lag gauge read from the broker at each scrape. */
export function createConsumerMetrics(
  registry: Registry,
  topic: string,
  offsetsOf: () => Promise<PartitionOffsets[]>,
): ConsumerMetrics {
  new Gauge({
    name: 'consumer_lag_messages',
    help: 'Messages of the topic the consumer group has not committed yet, per partition (read at scrape)',
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      const partitions = await offsetsOf().catch(() => [] as PartitionOffsets[]);
      for (const p of partitions) this.set({ topic, partition: String(p.partition) }, Number(partitionLag(p)));
    },
  });
  return {
    outcomes: new Counter({
      name: 'consumer_messages_total',
      help: 'stock.deduct messages by outcome: applied, duplicate (skipped), dead_lettered',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    delay: new Histogram({
      name: 'consumer_delay_seconds',
      help: 'Time from a message reaching Kafka to its effect committed in the inventory database',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}
