/**
 * cdcIndexer: one per shard, forever (contract in cdc-indexer-definitions.ts). Each round is one tailShard
 * activity that follows the shard's binlog for a minute from the durable checkpoint; a failed round (Elasticsearch
 * down, connection lost, worker killed) is retried with backoff and resumes from the checkpoint. When the server no
 * longer has the checkpoint's binlog file (purged while the indexer was off), the shard is backfilled (a child
 * cdcBackfill, which hands the tail a position it has) and the tail goes on from there.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  executeChild,
  continueAsNew,
  proxyActivities,
  sleep,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CdcActivities } from '../activities/cdc-activities';
import { cdcBackfillWorkflow, type CdcBackfillWorkflow } from './cdc-backfill-definitions';
import { BINLOG_PURGED, type CdcIndexerInput, type CdcIndexerWorkflow } from './cdc-indexer-definitions';

export const CDC_ROUNDS_PER_RUN = 200;

const { tailShard } = proxyActivities<CdcActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [BINLOG_PURGED],
  },
});

function isBinlogPurged(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === BINLOG_PURGED;
}

/** Backfills the shard as a child; if an operator's backfill of it runs already, waits for that one instead. */
async function backfill(shard: number): Promise<void> {
  try {
    await executeChild<CdcBackfillWorkflow>(cdcBackfillWorkflow.workflowType, {
      workflowId: cdcBackfillWorkflow.workflowId(shard),
      args: [{ shard }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await sleep('30 seconds'); // the running backfill hands over when done; the next tail attempt finds out
  }
}

export async function cdcIndexer(input: CdcIndexerInput): Promise<void> {
  for (let round = 0; round < CDC_ROUNDS_PER_RUN; round++) {
    try {
      await tailShard({ shard: input.shard });
    } catch (err) {
      if (!isBinlogPurged(err)) throw err;
      await backfill(input.shard);
    }
  }
  await continueAsNew<CdcIndexerWorkflow>({ shard: input.shard });
}
