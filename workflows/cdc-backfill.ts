/**
 * cdcBackfill (contract in cdc-backfill-definitions.ts): re-indexes a shard from a snapshot of its
 * tables — the binlog end is taken first, then every order is indexed in id order, page by page, then the tail is
 * handed that position so no change between the two is missed. Progress is the `progress` query.
 */
import { continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BinlogPosition } from '../lib/cdc/binlog-position';
import type { CdcActivities } from '../activities/cdc-activities';
import {
  backfillProgressQuery,
  type BackfillProgress,
  type CdcBackfillInput,
  type CdcBackfillWorkflow,
} from './cdc-backfill-definitions';

/** Activities per run before continue-as-new (each indexes up to PAGES_PER_ACTIVITY pages). */
const CALLS_PER_RUN = 200;
const PAGES_PER_ACTIVITY = 10;

const { backfillStart, handOverToTail } = proxyActivities<CdcActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { backfillPages } = proxyActivities<CdcActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function cdcBackfill(input: CdcBackfillInput): Promise<BackfillProgress> {
  const pageSize = input.pageSize ?? 500;
  let progress: BackfillProgress = input.resume?.progress ?? {
    shard: input.shard,
    phase: 'snapshot',
    total: 0,
    done: 0,
    indexed: 0,
    stale: 0,
    deadLettered: 0,
    lastId: '0',
    position: '',
  };
  setHandler(backfillProgressQuery, () => progress);
  let position: BinlogPosition;
  if (input.resume) {
    position = input.resume.position;
  } else {
    const start = await backfillStart({ shard: input.shard });
    position = start.position;
    progress = { ...progress, total: start.total, position: `${position.file}:${position.pos}` };
  }

  for (let call = 0; progress.phase === 'snapshot'; call++) {
    if (call >= CALLS_PER_RUN) {
      await continueAsNew<CdcBackfillWorkflow>({ shard: input.shard, pageSize, resume: { progress, position } });
    }
    const r = await backfillPages({
      shard: input.shard,
      afterId: progress.lastId,
      pages: PAGES_PER_ACTIVITY,
      pageSize,
      position,
    });
    progress = {
      ...progress,
      lastId: r.lastId,
      done: progress.done + r.orders,
      indexed: progress.indexed + r.indexed,
      stale: progress.stale + r.stale,
      deadLettered: progress.deadLettered + r.deadLettered,
      phase: r.done ? 'handover' : 'snapshot',
    };
  }
  const handOver = await handOverToTail({ shard: input.shard, position });
  progress = { ...progress, phase: 'done', checkpoint: handOver.checkpoint };
  return progress;
}
