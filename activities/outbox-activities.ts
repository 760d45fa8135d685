/**
 * The outbox relay's activity: publishes a shard's due outbox rows to Kafka and records the outcome on each row.
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so relays running at once never publish the same row; a row waits
 * while an earlier row of the same order is still pending, so an order's events keep their order.
 */
import { Context } from '@temporalio/activity';
import type { Message, Producer } from 'kafkajs';
import {
  fromSqlDateTime,
  placeholders,
  toSqlDateTime,
  type SqlPool,
  type SqlRunner,
  type TransactionOptions,
} from '../lib/db/sql-pool';
import type { OutboxMetrics } from '../lib/metrics/outbox-metrics';

export interface RelayBatchInput {
  shard: number;
  batchSize: number;
}

export interface RelayShardInput {
  shard: number;
}

/**
 * How relayShard paces itself — from the worker's configuration (`relay.*`), not the workflow's input, so a changed
 * setting takes effect when the relay workers restart, without touching the long-running workflows.
 */
export interface RelayPacing {
  batchSize: number;
  /** Pause after a batch that was not full (the relay's latency when idle). */
  idleSleepMs: number;
  /** How long one activity runs before returning to its workflow (which then starts the next one). */
  runForMs: number;
}

export interface RelayShardResult {
  batches: number;
  published: number;
  retrying: number;
  failed: number;
}

export interface RelayBatchResult {
  /** Rows claimed in this batch. */
  picked: number;
  published: number;
  /** Rows that will be tried again later (backoff). */
  retrying: number;
  /** Rows that failed once more after max_retry retries and are now failed (status 3). */
  failed: number;
}

interface DueRow {
  id: bigint;
  message_id: string;
  tx_id: bigint;
  topic: string;
  event_type: string;
  /** JSON text, as the order worker wrote it. */
  payload: string;
  retry_count: number;
  max_retry: number;
  /** DATETIME(3) text, UTC. */
  created_at: string;
}

/** Seconds before attempt n + 1 after n failures: 1, 2, 4, 8, 16 … */
export function backoffSeconds(failures: number): number {
  return 2 ** Math.max(0, failures - 1);
}

/** The Kafka record of an outbox row: keyed by order id, with message-id / event-type / correlation-id headers. */
function kafkaMessage(r: DueRow, extraHeaders: Record<string, string> = {}): Message {
  return {
    key: r.tx_id.toString(),
    value: r.payload,
    headers: {
      'message-id': r.message_id,
      'event-type': r.event_type,
      'correlation-id': r.tx_id.toString(),
      ...extraHeaders,
    },
  };
}

/**
 * Relay transactions hold their row locks while Kafka answers. READ COMMITTED keeps those locks to the rows claimed
 * (no next-key or gap locks on what the scans only looked at), so order transactions inserting new outbox rows are
 * never blocked behind a slow or unreachable broker.
 */
const RELAY_TX: TransactionOptions = { isolation: 'READ COMMITTED' };

const DUE_ROW_COLUMNS = 'id, message_id, tx_id, topic, event_type, payload, retry_count, max_retry, created_at';

/**
 * Keeps, for each order, only the claimed rows that come first among its pending rows: a row whose earlier sibling
 * is still pending but was not claimed here (another relay holds it) waits, so no order's events overtake each other.
 */
async function inOrderOfTheirOrders(tx: SqlRunner, claimed: DueRow[]): Promise<DueRow[]> {
  if (claimed.length === 0) return claimed;
  const txIds = [...new Set(claimed.map((r) => r.tx_id))];
  const pending = await tx.rows<{ id: bigint; tx_id: bigint }>(
    `SELECT id, tx_id FROM t_local_message WHERE status = 0 AND tx_id IN (${placeholders(txIds.length)}) ORDER BY id`,
    txIds,
  );
  const claimedIds = new Set(claimed.map((r) => r.id));
  const blocked = new Set<bigint>();
  const allowed = new Set<bigint>();
  for (const p of pending) {
    if (blocked.has(p.tx_id)) continue;
    if (claimedIds.has(p.id)) allowed.add(p.id);
    else blocked.add(p.tx_id);
  }
  return claimed.filter((r) => allowed.has(r.id));
}

export interface OutboxActivityDeps {
  /** Plain SQL pools of the shards, by shard number. */
  shards: SqlPool[];
  producer: Producer;
  /** Topic that receives a record of every row that exhausted its retries. */
  deadLetterTopic: string;
  /** Needed by relayShard only (relayBatch takes its batch size as input). */
  pacing?: RelayPacing;
  metrics?: OutboxMetrics;
}

export function createOutboxActivities(deps: OutboxActivityDeps) {
  const { shards, producer, metrics, deadLetterTopic, pacing } = deps;

  /**
   * Publishes a dead-letter record for each failed row that has none yet, then stamps it. Rows fail while Kafka is
   * unreachable, so this runs at the start of every batch and succeeds once Kafka is back; a failure here is left
   * for the next batch.
   */
  async function deadLetterFailedRows(db: SqlPool, batchSize: number): Promise<number> {
    const undelivered = 'status = 3 AND dead_lettered_at IS NULL';
    // A lock-free look first: nearly always there is none, and then no transaction is opened.
    if ((await db.rows(`SELECT 1 FROM t_local_message WHERE ${undelivered} LIMIT 1`)).length === 0) return 0;
    return db
      .transaction(async (tx) => {
        const rows = await tx.rows<DueRow & { error_msg: string | null }>(
          `SELECT ${DUE_ROW_COLUMNS}, error_msg FROM t_local_message WHERE ${undelivered}
           ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
          [batchSize],
        );
        if (rows.length === 0) return 0;
        await producer.send({
          topic: deadLetterTopic,
          acks: -1,
          messages: rows.map((r) =>
            kafkaMessage(r, {
              'dlq-reason': (r.error_msg ?? 'publish failed').slice(0, 1000),
              'dlq-source-topic': r.topic,
              'dlq-retries': String(r.retry_count),
            }),
          ),
        });
        await tx.write(
          `UPDATE t_local_message SET dead_lettered_at = ?, updated_at = NOW(3) WHERE id IN (${placeholders(rows.length)})`,
          [toSqlDateTime(new Date()), ...rows.map((r) => r.id)],
        );
        return rows.length;
      }, RELAY_TX)
      .catch(() => 0);
  }

  async function relayBatch(input: RelayBatchInput): Promise<RelayBatchResult> {
    const db = shards[input.shard];
    if (!db) throw new Error(`no shard ${input.shard}`);
    await deadLetterFailedRows(db, input.batchSize);
    // Candidates by a plain read outside the transaction (no locks, so a concurrent relay never waits on this one,
    // and an idle poll opens no transaction), four batches deep so that relays running at once find different rows;
    // then the claim locks at most one batch of them.
    const candidates = await db.rows<{ id: bigint }>(
      `SELECT m.id FROM t_local_message m
       WHERE m.status = 0 AND (m.next_retry_at IS NULL OR m.next_retry_at <= NOW(3))
         AND NOT EXISTS (
           SELECT 1 FROM t_local_message e
           WHERE e.tx_id = m.tx_id AND e.status = 0 AND e.id < m.id AND e.next_retry_at > NOW(3))
       ORDER BY m.id
       LIMIT ?`,
      [input.batchSize * 4],
    );
    if (candidates.length === 0) return { picked: 0, published: 0, retrying: 0, failed: 0 };
    return db.transaction(async (tx): Promise<RelayBatchResult> => {
      const claimed = await tx.rows<DueRow>(
        `SELECT ${DUE_ROW_COLUMNS} FROM t_local_message
         WHERE id IN (${placeholders(candidates.length)}) AND status = 0
         ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [...candidates.map((c) => c.id), input.batchSize],
      );
      const rows = await inOrderOfTheirOrders(tx, claimed);
      if (rows.length === 0) return { picked: 0, published: 0, retrying: 0, failed: 0 };
      const byTopic = new Map<string, DueRow[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      const ids = rows.map((r) => r.id);
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, topicRows]) => ({
            topic,
            messages: topicRows.map((r) => kafkaMessage(r)),
          })),
        });
      } catch (err) {
        const error = String((err as Error).message ?? err).slice(0, 1000);
        const shardLabel = { shard: String(input.shard) };
        metrics?.publishFailures.inc(shardLabel, rows.length);
        let failed = 0;
        for (const r of rows) {
          const failures = Number(r.retry_count) + 1;
          if (failures > Number(r.max_retry)) {
            failed++;
            await tx.write(
              'UPDATE t_local_message SET status = 3, retry_count = ?, error_msg = ?, updated_at = NOW(3) WHERE id = ?',
              [failures, error, r.id],
            );
          } else {
            await tx.write(
              `UPDATE t_local_message
               SET retry_count = ?, error_msg = ?, updated_at = NOW(3), next_retry_at = NOW(3) + INTERVAL ? SECOND
               WHERE id = ?`,
              [failures, error, backoffSeconds(failures), r.id],
            );
          }
        }
        metrics?.failedRows.inc(shardLabel, failed);
        return { picked: rows.length, published: 0, retrying: rows.length - failed, failed };
      }
      const acked = new Date();
      await tx.write(
        `UPDATE t_local_message SET status = 1, sent_at = ?, error_msg = NULL, updated_at = NOW(3)
         WHERE id IN (${placeholders(ids.length)})`,
        [toSqlDateTime(acked), ...ids],
      );
      if (metrics) {
        const shardLabel = { shard: String(input.shard) };
        metrics.published.inc(shardLabel, rows.length);
        for (const r of rows)
          metrics.lag.observe(
            shardLabel,
            Math.max(0, (acked.getTime() - fromSqlDateTime(r.created_at).getTime()) / 1000),
          );
      }
      return { picked: rows.length, published: rows.length, retrying: 0, failed: 0 };
    }, RELAY_TX);
  }

  /**
   * Relays a shard for `runForMs`: the next batch at once after a full one, after `idleSleepMs` otherwise. Heartbeats
   * after every batch, so a dead worker's run is taken over within the heartbeat timeout; stops early when cancelled.
   */
  async function relayShard(input: RelayShardInput): Promise<RelayShardResult> {
    const ctx = Context.current();
    const totals: RelayShardResult = { batches: 0, published: 0, retrying: 0, failed: 0 };
    if (!pacing) throw new Error('relayShard needs the relay pacing settings');
    const { batchSize, idleSleepMs, runForMs } = pacing;
    const until = Date.now() + runForMs;
    while (Date.now() < until && !ctx.cancellationSignal.aborted) {
      const r = await relayBatch({ shard: input.shard, batchSize });
      totals.batches++;
      totals.published += r.published;
      totals.retrying += r.retrying;
      totals.failed += r.failed;
      ctx.heartbeat(totals);
      if (r.picked < batchSize) await ctx.sleep(idleSleepMs).catch(() => undefined);
    }
    return totals;
  }

  return { relayBatch, relayShard };
}

export type OutboxActivities = ReturnType<typeof createOutboxActivities>;
