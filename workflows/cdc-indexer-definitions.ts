/**
 * The CDC indexer's contract: one `cdcIndexer` per shard (id `cdc:shard-<n>`, task queue `cdc-indexer`), started by
 * the CDC worker, and the failure type its tail raises when the shard needs a backfill. Sandbox-safe.
 */
import { defineWorkflow } from '../lib/temporal/workflow-contract';

export interface CdcIndexerInput {
  shard: number;
}

/** Runs forever (continue-as-new); it never returns a result. */
export type CdcIndexerWorkflow = (input: CdcIndexerInput) => Promise<void>;

export const cdcIndexerWorkflow = defineWorkflow<CdcIndexerWorkflow, number>({
  workflowType: 'cdcIndexer',
  taskQueue: 'cdcIndexer',
  workflowId: (shard) => `cdc:shard-${shard}`,
});

/** Failure type of a tail whose checkpoint names a binlog file the server has purged: the shard needs a backfill. */
export const BINLOG_PURGED = 'BINLOG_PURGED';
