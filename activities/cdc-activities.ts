/**
 * CDC activities. tailShard follows a shard's binlog from its durable checkpoint, indexes the changed orders in
 * batches (every `batchSize` orders or `flushMs`), and saves the checkpoint only after Elasticsearch took the batch;
 * a failure ends the attempt and Temporal retries it with backoff, from the checkpoint again — nothing skipped,
 * nothing regressed (documents carry external versions).
 */
import type { Log } from '../lib/log/logger';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ShardPrismaClient } from '../lib/db/prisma';
import type { SearchClient } from '../lib/search/client';
import type { CdcMetrics } from '../lib/metrics/cdc-metrics';
import {
  binlogFileIndex,
  binlogFiles,
  compareBinlogPositions,
  currentBinlogPosition,
  formatBinlogPosition,
  type BinlogPosition,
} from '../lib/cdc/binlog-position';
import { cdcConsumerName, ensureCheckpoint, readCheckpoint, saveCheckpoint } from '../lib/cdc/checkpoint-store';
import { openOrderChangeStream } from '../lib/cdc/order-change-stream';
import { createOrderIndexer, type IndexOutcome } from '../lib/cdc/order-indexer';
import { BINLOG_PURGED } from '../workflows/cdc-indexer-definitions';
import { untraced } from '../lib/telemetry/tracer-provider';

export interface CdcPacing {
  /** Flush when this many orders changed… */
  batchSize: number;
  /** …or when the oldest unflushed change is this old. */
  flushMs: number;
  /** How long one tailShard activity runs before returning to its workflow. */
  runForMs: number;
}

export interface CdcActivityDeps {
  shards: ShardPrismaClient[];
  dsns: string[];
  es: SearchClient;
  /** The orders alias (config.elasticsearch.ordersIndex). */
  index: string;
  pacing: CdcPacing;
  metrics?: CdcMetrics;
  /** Where each indexed order is logged (at debug, with its correlation id). */
  log?: Log;
}

export interface BackfillStart {
  position: BinlogPosition;
  total: number;
}

export interface BackfillPagesInput {
  shard: number;
  /** Orders with a larger id are next (decimal string; "0" to begin). */
  afterId: string;
  pages: number;
  pageSize: number;
  /** The binlog position taken before the snapshot (recorded with dead letters). */
  position: BinlogPosition;
}

export interface BackfillPagesResult {
  lastId: string;
  orders: number;
  indexed: number;
  stale: number;
  deadLettered: number;
  /** No order after lastId when the last page was read. */
  done: boolean;
}

export interface HandOver {
  checkpoint: string;
  moved: boolean;
}

export interface TailShardResult {
  from: string;
  to: string;
  flushes: number;
  indexed: number;
  stale: number;
  deadLettered: number;
}

/** Binlog client ids of the tails: unique per shard, so a second tail of a shard replaces the first on the server. */
export function cdcServerId(shard: number): number {
  return 100 + shard;
}

export function createCdcActivities(deps: CdcActivityDeps) {
  const { shards, dsns, es, index, pacing, metrics, log } = deps;

  function shardOf(shard: number): { db: ShardPrismaClient; dsn: string } {
    const db = shards[shard];
    const dsn = dsns[shard];
    if (!db || !dsn) throw new Error(`no shard ${shard}`);
    return { db, dsn };
  }

  function recordCheckpoint(shard: number, at: BinlogPosition): void {
    metrics?.checkpointFile.set({ shard: String(shard) }, binlogFileIndex(at.file));
    metrics?.checkpointPosition.set({ shard: String(shard) }, at.pos);
  }

  /** Untraced: a minute of binlog reading and bulk requests is no one request's trace. */
  function tailShard(input: { shard: number }): Promise<TailShardResult> {
    return untraced(() => tailFor(input));
  }

  async function tailFor(input: { shard: number }): Promise<TailShardResult> {
    const ctx = Context.current();
    const { db, dsn } = shardOf(input.shard);
    const consumer = cdcConsumerName(input.shard);
    // The worker sets the checkpoint at boot; this covers one removed since.
    let checkpoint = (await ensureCheckpoint(db, consumer)).at;
    recordCheckpoint(input.shard, checkpoint);
    if (!(await binlogFiles(db)).includes(checkpoint.file)) {
      throw ApplicationFailure.create({
        type: BINLOG_PURGED,
        nonRetryable: true,
        message: `shard ${input.shard}: the checkpoint's binlog ${formatBinlogPosition(checkpoint)} is no longer on the server`,
      });
    }
    const from = checkpoint;
    const indexer = createOrderIndexer({ es, index, db, shard: input.shard, metrics, log });
    const stream = await openOrderChangeStream(dsn, checkpoint, cdcServerId(input.shard));
    const totals = { flushes: 0, indexed: 0, stale: 0, deadLettered: 0 };
    const add = (o: IndexOutcome): void => {
      totals.flushes++;
      totals.indexed += o.indexed;
      totals.stale += o.stale;
      totals.deadLettered += o.deadLettered;
    };

    const flush = async (): Promise<void> => {
      const { orderIds, states, safe } = stream.take();
      if (orderIds.length > 0) add(await indexer.indexOrders(orderIds, safe, states));
      if (safe.file !== checkpoint.file || safe.pos !== checkpoint.pos) {
        await saveCheckpoint(db, consumer, safe);
        checkpoint = safe;
        recordCheckpoint(input.shard, safe);
      }
      ctx.heartbeat({ checkpoint: formatBinlogPosition(checkpoint), ...totals });
    };

    try {
      const until = Date.now() + pacing.runForMs;
      let lastFlush = Date.now();
      while (Date.now() < until && !ctx.cancellationSignal.aborted) {
        const oldest = stream.oldestPendingAt();
        const due =
          stream.pending() >= pacing.batchSize ||
          (oldest !== null && Date.now() - oldest >= pacing.flushMs) ||
          Date.now() - lastFlush >= Math.max(pacing.flushMs, 1000); // checkpoint and heartbeat even when idle
        if (due) {
          await Promise.race([flush(), stream.failed]);
          lastFlush = Date.now();
        } else {
          await Promise.race([new Promise((r) => setTimeout(r, 20)), stream.failed]);
        }
      }
      await Promise.race([flush(), stream.failed]);
    } finally {
      stream.close();
    }
    return { from: formatBinlogPosition(from), to: formatBinlogPosition(checkpoint), ...totals };
  }

  /** Where a backfill starts: the binlog end before its snapshot, and how many orders the shard holds now. */
  async function backfillStart(input: { shard: number }): Promise<BackfillStart> {
    const { db } = shardOf(input.shard);
    const position = await currentBinlogPosition(db);
    return { position, total: await db.order.count() };
  }

  /**
   * Indexes up to `pages` pages of the shard's orders in id order after `afterId` (read back and versioned like the
   * tail's, so it never overwrites a newer state). Heartbeats after every page.
   */
  async function backfillPages(input: BackfillPagesInput): Promise<BackfillPagesResult> {
    const ctx = Context.current();
    const { db } = shardOf(input.shard);
    const indexer = createOrderIndexer({ es, index, db, shard: input.shard, metrics, log });
    // A retried attempt goes on after the last page the failed one finished (its last heartbeat).
    const resumed = ctx.info.heartbeatDetails as BackfillPagesResult | undefined;
    const result: BackfillPagesResult = resumed ?? {
      lastId: input.afterId,
      orders: 0,
      indexed: 0,
      stale: 0,
      deadLettered: 0,
      done: false,
    };
    input = { ...input, afterId: result.lastId };
    for (let page = 0; page < input.pages; page++) {
      const ids = await db.order.findMany({
        where: { id: { gt: BigInt(input.afterId) } },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: input.pageSize,
      });
      if (ids.length === 0) return { ...result, done: true };
      const outcome = await indexer.indexOrders(
        ids.map((r) => r.id),
        input.position,
      );
      result.lastId = ids[ids.length - 1]!.id.toString();
      result.orders += ids.length;
      result.indexed += outcome.indexed;
      result.stale += outcome.stale;
      result.deadLettered += outcome.deadLettered;
      input = { ...input, afterId: result.lastId };
      ctx.heartbeat(result);
      if (ids.length < input.pageSize) return { ...result, done: true };
    }
    return result;
  }

  /**
   * After a backfill: the tail must cover every change since `position` (taken before the snapshot). A checkpoint at
   * or after it stays; one before it moves up to it (the snapshot read everything older); a missing one, or one whose
   * binlog file the server no longer has, is set to it — that is how a tail stuck on a purged binlog recovers.
   */
  async function handOverToTail(input: { shard: number; position: BinlogPosition }): Promise<HandOver> {
    const { db } = shardOf(input.shard);
    const consumer = cdcConsumerName(input.shard);
    const current = await readCheckpoint(db, consumer);
    const usable = current !== null && (await binlogFiles(db)).includes(current.file);
    if (usable && compareBinlogPositions(current, input.position) >= 0) {
      return { checkpoint: formatBinlogPosition(current), moved: false };
    }
    await saveCheckpoint(db, consumer, input.position);
    recordCheckpoint(input.shard, input.position);
    return { checkpoint: formatBinlogPosition(input.position), moved: true };
  }

  return { tailShard, backfillStart, backfillPages, handOverToTail };
}

export type CdcActivities = ReturnType<typeof createCdcActivities>;
