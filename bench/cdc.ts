/**
 * CDC benchmark. Lag: orders placed in an open loop at the order benchmark's sustainable rate, each timed from its
 * commit (the row's createdAt) to the moment a search finds it. Capacity: the tail replays the binlog stretch the
 * whole run wrote (checkpoints set back to where the run began, real CDC worker process) — orders re-indexed per
 * second — and a backfill of shard 0 through the cdcBackfill workflow. The CDC worker is the system's (bench/lib/system.ts).
 */
import { loadConfig, type Config } from '../lib/config';
import {
  compareBinlogPositions,
  currentBinlogPosition,
  formatBinlogPosition,
  type BinlogPosition,
} from '../lib/cdc/binlog-position';
import { cdcConsumerName, readCheckpoint, saveCheckpoint } from '../lib/cdc/checkpoint-store';
import { createShardPrisma, type ShardPrismaClient } from '../lib/db/prisma';
import { createSearchClient } from '../lib/search/client';
import { createTemporalClient } from '../lib/temporal/connection';
import { startWorkflow } from '../lib/temporal/workflows';
import { cdcBackfillWorkflow } from '../workflows/cdc-backfill-definitions';
import { ms, openLoop, summarize, type LatencySummary } from './lib/stats';
import { stackApp } from './lib/system';
import type { OrderClient } from './orders';

export interface CdcLagResult {
  rate: number;
  orders: number;
  /** Placed orders no search found within the wait. */
  unseen: number;
  lag: LatencySummary;
}

export interface CdcCapacityResult {
  replay: { orders: number; binlogBytes: number | null; seconds: number; ordersPerSecond: number };
  backfill: { shard: number; orders: number; seconds: number; ordersPerSecond: number };
}

/** The system's CDC worker, stopped and started again (with the benchmark's environment) for the replay. */
export class CdcWorker {
  constructor(private readonly env: Record<string, string>) {}

  start(): Promise<void> {
    return stackApp('up', 'cdc_worker', this.env);
  }

  stop(): Promise<void> {
    return stackApp('down', 'cdc_worker');
  }
}

function openShards(config: Config): ShardPrismaClient[] {
  return config.shards.dsns.map((dsn) => createShardPrisma(dsn, 2));
}

/** Where every shard's binlog ends now (taken at the start of a run, for the replay). */
export async function binlogEnds(): Promise<BinlogPosition[]> {
  const shards = openShards(loadConfig());
  try {
    return await Promise.all(shards.map((db) => currentBinlogPosition(db)));
  } finally {
    await Promise.all(shards.map((db) => db.$disconnect()));
  }
}

export async function benchCdcLag(client: OrderClient, rate: number, seconds: number): Promise<CdcLagResult> {
  const config = loadConfig();
  const es = createSearchClient(config);
  const index = config.elasticsearch.ordersIndex;
  const pending = new Set<string>();
  const lags: number[] = [];
  let placing = true;
  const poll = async (): Promise<void> => {
    const deadline = () => !placing && Date.now() > placedAt + 30_000;
    while ((placing || pending.size > 0) && !deadline()) {
      const ids = [...pending].slice(0, 1000);
      if (ids.length > 0) {
        const res = await es.search<{ orderId: string; createdAt: string }>({
          index,
          size: ids.length,
          _source: ['orderId', 'createdAt'],
          query: { terms: { orderId: ids } },
        });
        const seenAt = Date.now();
        for (const hit of res.hits.hits) {
          if (!hit._source || !pending.delete(hit._source.orderId)) continue;
          lags.push(seenAt - Date.parse(hit._source.createdAt));
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let placedAt = Date.now();
  const polling = poll();
  const placed = await openLoop(rate, seconds, async () => {
    const id = await client.place();
    if (id) pending.add(id);
    return id !== null;
  });
  placing = false;
  placedAt = Date.now();
  await polling;
  await es.close();
  return { rate, orders: placed.sent - placed.failures, unseen: pending.size, lag: summarize(lags) };
}

/**
 * Sets every shard's checkpoint back to `from`, restarts the CDC worker and times its tail until the checkpoints
 * reach the binlog ends of now; then times a backfill of shard 0.
 */
export async function benchCdcCapacity(
  cdc: CdcWorker,
  from: BinlogPosition[],
  since: Date,
): Promise<CdcCapacityResult> {
  const config = loadConfig();
  const shards = openShards(config);
  const temporal = await createTemporalClient(config);
  try {
    const to = await Promise.all(shards.map((db) => currentBinlogPosition(db)));
    const orders = (
      await Promise.all(shards.map((db) => db.order.count({ where: { updatedAt: { gte: since } } })))
    ).reduce((a, b) => a + b, 0);
    const bytes = from.every((f, s) => f.file === to[s]!.file)
      ? from.reduce((sum, f, s) => sum + (to[s]!.pos - f.pos), 0)
      : null;

    await cdc.stop();
    await Promise.all(shards.map((db, s) => saveCheckpoint(db, cdcConsumerName(s), from[s]!)));
    await cdc.start();
    const t0 = performance.now(); // from the worker polling (its start-up, with the workflow bundle, is not the tail)
    for (;;) {
      const at = await Promise.all(shards.map((db, s) => readCheckpoint(db, cdcConsumerName(s))));
      if (at.every((p, s) => p && compareBinlogPositions(p, to[s]!) >= 0)) break;
      if (performance.now() - t0 > 600_000) {
        throw new Error(`the tail did not reach ${to.map(formatBinlogPosition).join(', ')} within 10 min`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const replaySeconds = (performance.now() - t0) / 1000;

    const b0 = performance.now();
    const backfill = await startWorkflow(temporal, config.temporal.taskQueues, cdcBackfillWorkflow, 0, {
      args: [{ shard: 0 }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const result = await backfill.result();
    const backfillSeconds = (performance.now() - b0) / 1000;
    return {
      replay: { orders, binlogBytes: bytes, seconds: replaySeconds, ordersPerSecond: orders / replaySeconds },
      backfill: {
        shard: 0,
        orders: result.done,
        seconds: backfillSeconds,
        ordersPerSecond: result.done / backfillSeconds,
      },
    };
  } finally {
    await temporal.connection.close();
    await Promise.all(shards.map((db) => db.$disconnect()));
  }
}

export function printCdcBench(lag: CdcLagResult, capacity: CdcCapacityResult): void {
  console.log(`CDC indexer (binlog -> Elasticsearch)`);
  console.log(
    `  commit -> searchable at ${lag.rate}/s (${lag.orders} orders, open loop): p50 ${ms(lag.lag.p50)}  p95 ${ms(lag.lag.p95)}  p99 ${ms(lag.lag.p99)}  max ${ms(lag.lag.max)}${lag.unseen ? `, ${lag.unseen} never found` : ''}`,
  );
  const mb =
    capacity.replay.binlogBytes === null ? '' : `, ${(capacity.replay.binlogBytes / 1e6).toFixed(1)} MB of binlog`;
  console.log(
    `  tail replay         ${capacity.replay.ordersPerSecond.toFixed(0)} orders/s (${capacity.replay.orders} orders changed in this run${mb}, ${capacity.replay.seconds.toFixed(1)} s)`,
  );
  console.log(
    `  backfill shard ${capacity.backfill.shard}    ${capacity.backfill.ordersPerSecond.toFixed(0)} orders/s (${capacity.backfill.orders} orders, ${capacity.backfill.seconds.toFixed(1)} s)`,
  );
}
