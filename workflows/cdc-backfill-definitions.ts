/**
 * The CDC backfill's contract: `cdcBackfill` of one shard (id `cdc-backfill:shard-<n>`, task queue `cdc-indexer`),
 * started by an operator (API, CLI) or by the shard's indexer as a child, with its `progress` query. Sandbox-safe.
 */
import { defineQuery } from '@temporalio/workflow';
import type { BinlogPosition } from '../lib/cdc/binlog-position';
import { defineWorkflow } from '../lib/temporal/workflow-contract';

export interface BackfillProgress {
  shard: number;
  phase: 'snapshot' | 'handover' | 'done';
  /** Orders in the shard when the backfill started (more may arrive meanwhile). */
  total: number;
  done: number;
  indexed: number;
  stale: number;
  deadLettered: number;
  lastId: string;
  /** The binlog position taken before the snapshot, e.g. `mariadb-bin.000003:1234`. */
  position: string;
  /** Where the tail goes on from, once handed over. */
  checkpoint?: string;
}

export interface CdcBackfillInput {
  shard: number;
  pageSize?: number;
  /** Set by continue-as-new: where the previous run got to. */
  resume?: { progress: BackfillProgress; position: BinlogPosition };
}

export type CdcBackfillWorkflow = (input: CdcBackfillInput) => Promise<BackfillProgress>;

export const cdcBackfillWorkflow = defineWorkflow<CdcBackfillWorkflow, number>({
  workflowType: 'cdcBackfill',
  taskQueue: 'cdcIndexer',
  workflowId: (shard) => `cdc-backfill:shard-${shard}`,
});

export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');
