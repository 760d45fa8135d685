/**
 * What callers of the CDC workflows share with them (the API, the CDC worker, tests): ids, the backfill's query and
 * its progress shape. Sandbox-safe.
 */
import { defineQuery } from '@temporalio/workflow';

/** Failure type of a tail whose checkpoint names a binlog file the server has purged: the shard needs a backfill. */
export const BINLOG_PURGED = 'BINLOG_PURGED';

export function cdcIndexerWorkflowId(shard: number): string {
  return `cdc:shard-${shard}`;
}

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

export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');

export function cdcBackfillWorkflowId(shard: number): string {
  return `cdc-backfill:shard-${shard}`;
}
