/** Operator view and control of the CDC indexers: checkpoints per shard, and backfills started and followed. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError } from '../../lib/errors';
import { currentBinlogPosition, formatBinlogPosition } from '../../lib/cdc/binlog-position';
import { cdcConsumerName } from '../../lib/cdc/checkpoint-store';
import type { ShardPrismaClient } from '../../lib/db/prisma';
import type { Config } from '../../lib/config';
import { startWorkflow, workflowHandle } from '../../lib/temporal/workflows';
import { queryWithin } from './temporal-errors';
import {
  backfillProgressQuery,
  cdcBackfillWorkflow,
  type BackfillProgress,
} from '../../workflows/cdc-backfill-definitions';

export interface CdcShardStatus {
  shard: number;
  checkpoint: string | null;
  checkpointSavedAt: string | null;
  binlogEnd: string;
  deadLetters: number;
}

/** A backfill's progress or outcome, and when it started (which run it is: an operator's new one, or the last one). */
export type BackfillState = (
  BackfillProgress | (Omit<BackfillProgress, 'phase'> & { phase: 'failed'; error: string })
) & { startedAt: string };

export interface BackfillStarted {
  workflowId: string;
  /** false: one was running already, and this is its progress. */
  started: boolean;
  progress: BackfillState | null;
}

export class CdcService {
  constructor(
    private readonly shards: ShardPrismaClient[],
    private readonly temporal: Client,
    private readonly taskQueues: Config['temporal']['taskQueues'],
    /** How long a backfill workflow may take to answer a query (the order saga's answer time). */
    private readonly answerMs: number,
  ) {}

  async status(): Promise<CdcShardStatus[]> {
    return Promise.all(
      this.shards.map(async (db, shard) => {
        const [checkpoint, end, deadLetters] = await Promise.all([
          db.cdcCheckpoint.findUnique({ where: { consumer: cdcConsumerName(shard) } }),
          currentBinlogPosition(db),
          db.cdcDeadLetter.count(),
        ]);
        return {
          shard,
          checkpoint: checkpoint ? `${checkpoint.binlogFile}:${checkpoint.binlogPos}` : null,
          checkpointSavedAt: checkpoint?.updatedAt.toISOString() ?? null,
          binlogEnd: formatBinlogPosition(end),
          deadLetters,
        };
      }),
    );
  }

  async startBackfill(shard: number): Promise<BackfillStarted> {
    this.checkShard(shard);
    const workflowId = cdcBackfillWorkflow.workflowId(shard);
    const running = await this.describe(shard);
    if (running?.status.name === 'RUNNING') {
      return { workflowId, started: false, progress: await this.backfill(shard) };
    }
    await startWorkflow(this.temporal, this.taskQueues, cdcBackfillWorkflow, shard, {
      args: [{ shard }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    return { workflowId, started: true, progress: null };
  }

  /** The latest backfill of a shard: its progress while it runs, its result once done. */
  async backfill(shard: number): Promise<BackfillState> {
    this.checkShard(shard);
    const description = await this.describe(shard);
    if (!description) throw new AppError('CDC_BACKFILL_NOT_FOUND', `no backfill of shard ${shard} has run`);
    const handle = workflowHandle(this.temporal, cdcBackfillWorkflow, shard);
    const startedAt = description.startTime.toISOString();
    if (description.status.name === 'COMPLETED') return { ...(await handle.result()), startedAt };
    const progress = await queryWithin(
      this.temporal,
      () => handle.query(backfillProgressQuery),
      this.answerMs,
      `the backfill of shard ${shard} (is the CDC worker running?)`,
    );
    if (description.status.name === 'RUNNING') return { ...progress, startedAt };
    return { ...progress, phase: 'failed', error: `the backfill workflow is ${description.status.name}`, startedAt };
  }

  /** The latest backfill of the shard, or null when none ever ran. */
  private async describe(shard: number) {
    try {
      return await workflowHandle(this.temporal, cdcBackfillWorkflow, shard).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  private checkShard(shard: number): void {
    if (!Number.isInteger(shard) || shard < 0 || shard >= this.shards.length) {
      throw new AppError('INVALID_PARAMETER', `no shard ${shard}`, [
        { path: 'shard', message: `expected 0 to ${this.shards.length - 1}` },
      ]);
    }
  }
}
