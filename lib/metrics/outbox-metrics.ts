/** Prometheus metrics of the outbox relay, registered on the relay worker's registry. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface OutboxMetrics {
  published: Counter<'shard'>;
  publishFailures: Counter<'shard'>;
  failedRows: Counter<'shard'>;
  /** Seconds from the row's commit (created_at) to Kafka's acknowledgement. */
  lag: Histogram<'shard'>;
  /** 1 from a batch of a shard the broker did not take (its rows wait) until one it took, else 0. */
  kafkaUnreachable: Gauge<'shard'>;
}

/** Counters and lag histogram, plus a backlog gauge read from the shards at each scrape. */
export function createOutboxMetrics(registry: Registry, backlogOf: () => Promise<number[]>): OutboxMetrics {
  new Gauge({
    name: 'outbox_backlog',
    help: 'Outbox rows not yet published (status pending), per shard',
    labelNames: ['shard'] as const,
    registers: [registry],
    async collect() {
      const counts = await backlogOf().catch(() => [] as number[]);
      counts.forEach((n, shard) => this.set({ shard: String(shard) }, n));
    },
  });
  return {
    published: new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows published to Kafka',
      labelNames: ['shard'] as const,
      registers: [registry],
    }),
    publishFailures: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Outbox rows whose publish attempt failed (each attempt counts)',
      labelNames: ['shard'] as const,
      registers: [registry],
    }),
    failedRows: new Counter({
      name: 'outbox_failed_total',
      help: 'Outbox rows that exhausted their retries (status failed)',
      labelNames: ['shard'] as const,
      registers: [registry],
    }),
    lag: new Histogram({
      name: 'outbox_publish_lag_seconds',
      help: 'Time from an outbox row commit to its Kafka acknowledgement',
      labelNames: ['shard'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    kafkaUnreachable: new Gauge({
      name: 'outbox_relay_kafka_unreachable',
      help: 'Outbox rows of the shard wait for an unreachable Kafka: 1 from a failed batch until one is published',
      labelNames: ['shard'] as const,
      registers: [registry],
    }),
  };
}
