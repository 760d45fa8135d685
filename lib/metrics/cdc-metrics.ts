/** Prometheus metrics of the CDC indexer, registered on the CDC worker's registry. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface CdcMetrics {
  /** Seconds from the row's own updated_at (its commit) to Elasticsearch acknowledging its document. */
  lag: Histogram<'shard'>;
  indexed: Counter<'shard'>;
  deadLetters: Counter<'shard'>;
  bulkFailures: Counter<'shard'>;
  checkpointFile: Gauge<'shard'>;
  checkpointPosition: Gauge<'shard'>;
}

export function createCdcMetrics(registry: Registry): CdcMetrics {
  const shard = ['shard'] as const;
  return {
    lag: new Histogram({
      name: 'cdc_lag_seconds',
      help: 'Time from an order change committed (its updated_at) to its document indexed',
      labelNames: shard,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60],
      registers: [registry],
    }),
    indexed: new Counter({
      name: 'cdc_indexed_documents_total',
      help: 'Order documents written to Elasticsearch (refused stale versions not counted)',
      labelNames: shard,
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'cdc_dead_letters_total',
      help: 'Order changes that could not become a document, recorded in t_cdc_dead_letter',
      labelNames: shard,
      registers: [registry],
    }),
    bulkFailures: new Counter({
      name: 'cdc_bulk_failures_total',
      help: 'Bulk requests that failed as a whole or in part for a passing reason (retried from the checkpoint)',
      labelNames: shard,
      registers: [registry],
    }),
    checkpointFile: new Gauge({
      name: 'cdc_checkpoint_binlog_file',
      help: 'Sequence number of the binlog file of the durable CDC checkpoint',
      labelNames: shard,
      registers: [registry],
    }),
    checkpointPosition: new Gauge({
      name: 'cdc_checkpoint_binlog_position',
      help: 'Byte position in that binlog file of the durable CDC checkpoint',
      labelNames: shard,
      registers: [registry],
    }),
  };
}
