/**
 * cdcIndexer: one per shard (id `cdc:shard-<n>`, task queue `cdc-indexer`), forever. Each round is one tailShard
 * activity that follows the shard's binlog for a minute from the durable checkpoint; a failed round (Elasticsearch
 * down, connection lost, worker killed) is retried with backoff and resumes from the checkpoint.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { CdcActivities } from '../activities/cdc-activities';

export interface CdcIndexerInput {
  shard: number;
}

export const CDC_ROUNDS_PER_RUN = 200;

const { tailShard } = proxyActivities<CdcActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function cdcIndexer(input: CdcIndexerInput): Promise<void> {
  for (let round = 0; round < CDC_ROUNDS_PER_RUN; round++) {
    await tailShard({ shard: input.shard });
  }
  await continueAsNew<typeof cdcIndexer>({ shard: input.shard });
}
