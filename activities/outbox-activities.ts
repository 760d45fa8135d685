/**
 * The outbox relay's activity: publishes a shard's due outbox rows to Kafka and records the outcome on each row.
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so relays running at once never publish the same row; a row waits
 * while an earlier row of the same order is still pending, so an order's events keep their order.
 */
import type { Log } from '../lib/log/logger';
import { Context } from '@temporalio/activity';
import type { Message } from 'kafkajs';
import type { RelaySender } from '../lib/kafka/client';
import { refusedByKafka } from '../lib/kafka/publish-errors';
import { fromSqlDateTime, type SqlPool, type SqlRunner, type TransactionOptions } from '../lib/db/sql-pool';
import type { OutboxMetrics } from '../lib/metrics/outbox-metrics';
import {
  claimPendingRows,
  claimUndeliveredDeadLetters,
  findDueIds,
  hasUndeliveredDeadLetters,
  markFailed,
  markRetrying,
  markSent,
  noteUnpublished,
  pendingRowsOfOrders,
  stampDeadLettered,
  type OutboxRow,
} from '../lib/outbox/outbox-table';
import { publishSpans, type PublishedRecord } from '../lib/telemetry/message-spans';
import { untraced } from '../lib/telemetry/tracer-provider';

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
  /**
   * Batches of the shard in flight at once while there is a backlog: one lane polls; the others work only while its
   * batches come back full, so one batch's SQL overlaps another's Kafka send. Rows stay in their orders' sequence
   * (claims skip each other's rows; a row whose earlier sibling another lane holds waits).
   */
  lanes: number;
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
  /** The broker could not be reached: nothing was charged to the rows, the relay backs off. */
  unreachable?: boolean;
  /** Rows claimed but left pending behind an earlier row of their order that another batch holds (absent: none). */
  held?: number;
}

/** Seconds before attempt n + 1 after n refusals of a record: 1, 2, 4, 8, 16 … */
export function backoffSeconds(failures: number): number {
  return 2 ** Math.max(0, failures - 1);
}

/** How long the relay waits after its n-th batch in a row found the broker unreachable: 1, 2, 4, 8, then 10 s. */
export function unreachableBackoffMs(consecutive: number): number {
  return Math.min(1000 * 2 ** Math.max(0, consecutive - 1), 10_000);
}

function errorText(err: unknown): string {
  return String((err as Error).message ?? err).slice(0, 1000);
}

/**
 * The Kafka record of an outbox row: keyed by order id, with message-id / event-type / correlation-id headers, and
 * `traceparent` when it is published in a span (`publishSpans`).
 */
function kafkaMessage(r: OutboxRow, extraHeaders: Record<string, string> = {}): Message {
  return {
    key: r.tx_id.toString(),
    value: r.payload,
    headers: {
      'message-id': r.message_id,
      'event-type': r.event_type,
      // The request that caused the change; rows written before correlation ids were carried name the order.
      'correlation-id': r.correlation_id ?? r.tx_id.toString(),
      ...extraHeaders,
    },
  };
}

function publishedRecord(r: OutboxRow): PublishedRecord {
  return { topic: r.topic, messageId: r.message_id, traceContext: r.trace_context, correlationId: r.correlation_id };
}

/**
 * Relay transactions hold their row locks while Kafka answers. READ COMMITTED keeps those locks to the rows claimed
 * (no next-key or gap locks on what the scans only looked at), so order transactions inserting new outbox rows are
 * never blocked behind a slow or unreachable broker.
 */
const RELAY_TX: TransactionOptions = { isolation: 'READ COMMITTED' };

/**
 * Keeps, for each order, only the claimed rows that come first among its pending rows: a row whose earlier sibling
 * is still pending but was not claimed here (another relay holds it) waits, so no order's events overtake each other.
 */
async function inOrderOfTheirOrders(tx: SqlRunner, claimed: OutboxRow[]): Promise<OutboxRow[]> {
  if (claimed.length === 0) return claimed;
  const pending = await pendingRowsOfOrders(tx, [...new Set(claimed.map((r) => r.tx_id))]);
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
  /** A producer replaced after each failed send (lib/kafka/client.ts FreshAfterFailureProducer). */
  producer: RelaySender;
  /** Topic that receives a record of every row that exhausted its retries. */
  deadLetterTopic: string;
  /** Needed by relayShard only (relayBatch takes its batch size as input). */
  pacing?: RelayPacing;
  metrics?: OutboxMetrics;
  /** Where each published record is logged (at debug, with its order and correlation id). */
  log?: Log;
}

export function createOutboxActivities(deps: OutboxActivityDeps) {
  const { shards, producer, metrics, deadLetterTopic, pacing, log } = deps;

  /**
   * Publishes a dead-letter record for each failed row that has none yet, then stamps it. Rows fail while Kafka is
   * unreachable, so this runs at the start of every batch and succeeds once Kafka is back; a failure here is left
   * for the next batch.
   */
  async function deadLetterFailedRows(db: SqlPool, batchSize: number): Promise<number> {
    // A lock-free look first: nearly always there is none, and then no transaction is opened.
    if (!(await hasUndeliveredDeadLetters(db))) return 0;
    return db
      .transaction(async (tx) => {
        const rows = await claimUndeliveredDeadLetters(tx, batchSize);
        if (rows.length === 0) return 0;
        const letters = rows.map((r) =>
          kafkaMessage(r, {
            'dlq-reason': (r.error_msg ?? 'publish failed').slice(0, 1000),
            'dlq-source-topic': r.topic,
            'dlq-retries': String(r.retry_count),
          }),
        );
        await producer.send({ topic: deadLetterTopic, acks: -1, messages: letters }).catch(async (err: unknown) => {
          if (!refusedByKafka(err)) throw err;
          // The records themselves are refused (a payload larger than the broker takes): their letters go without
          // the payload, which stays in the row.
          const omitted = { 'dlq-value-omitted': `refused by Kafka: ${errorText(err)}`.slice(0, 1000) };
          await producer.send({
            topic: deadLetterTopic,
            acks: -1,
            messages: letters.map((m) => ({ ...m, value: null, headers: { ...m.headers, ...omitted } })),
          });
        });
        await stampDeadLettered(
          tx,
          rows.map((r) => r.id),
          new Date(),
        );
        return rows.length;
      }, RELAY_TX)
      .catch(() => 0);
  }

  /** A record Kafka refused spends one retry of its row: backoff, or failed once max_retry retries are spent. */
  async function chargeRefusal(tx: SqlRunner, r: OutboxRow, error: string): Promise<'retrying' | 'failed'> {
    const failures = Number(r.retry_count) + 1;
    if (failures > Number(r.max_retry)) {
      await markFailed(tx, r.id, failures, error);
      return 'failed';
    }
    await markRetrying(tx, r.id, failures, error, backoffSeconds(failures));
    return 'retrying';
  }

  /**
   * Kafka refused the batch for one of its records: each row is sent on its own, so only the refused ones are
   * charged; a row whose order already has a row unpublished in this batch waits (its order's events stay in
   * sequence), and a broker that stops answering midway leaves the rest untouched.
   */
  async function publishOneByOne(tx: SqlRunner, shard: number, rows: OutboxRow[]): Promise<RelayBatchResult> {
    const result: RelayBatchResult = { picked: rows.length, published: 0, retrying: 0, failed: 0 };
    const held = new Set<bigint>();
    const sent: OutboxRow[] = [];
    for (const [i, r] of rows.entries()) {
      if (held.has(r.tx_id)) {
        result.retrying++;
        continue;
      }
      try {
        const spans = publishSpans([publishedRecord(r)]);
        await producer.send({ topic: r.topic, acks: -1, messages: [kafkaMessage(r, spans.headers[0])] }).then(
          () => spans.end(),
          (err: unknown) => {
            spans.end(err);
            throw err;
          },
        );
        await markSent(tx, [r.id], new Date());
        sent.push(r);
        result.published++;
      } catch (err) {
        if (!refusedByKafka(err)) {
          await noteUnpublished(
            tx,
            rows.slice(i).map((x) => x.id),
            errorText(err),
          );
          result.retrying += rows.length - i;
          result.unreachable = true;
          break;
        }
        held.add(r.tx_id);
        result[await chargeRefusal(tx, r, errorText(err))]++;
      }
    }
    const shardLabel = { shard: String(shard) };
    metrics?.failedRows.inc(shardLabel, result.failed);
    observePublished(shard, sent, new Date());
    return result;
  }

  function observePublished(shard: number, rows: OutboxRow[], acked: Date): void {
    for (const r of rows) {
      log?.('debug', 'published', {
        orderId: r.tx_id.toString(),
        messageId: r.message_id,
        eventType: r.event_type,
        topic: r.topic,
        correlationId: r.correlation_id ?? undefined,
        shard,
      });
    }
    if (!metrics || rows.length === 0) return;
    const shardLabel = { shard: String(shard) };
    metrics.published.inc(shardLabel, rows.length);
    for (const r of rows) {
      metrics.lag.observe(shardLabel, Math.max(0, (acked.getTime() - fromSqlDateTime(r.created_at).getTime()) / 1000));
    }
  }

  async function relayBatch(input: RelayBatchInput): Promise<RelayBatchResult> {
    const db = shards[input.shard];
    if (!db) throw new Error(`no shard ${input.shard}`);
    await deadLetterFailedRows(db, input.batchSize);
    // Candidates by a plain read outside the transaction, four batches deep so that relays running at once find
    // different rows; then the claim locks at most one batch of them.
    const candidates = await findDueIds(db, input.batchSize * 4);
    if (candidates.length === 0) return { picked: 0, published: 0, retrying: 0, failed: 0 };
    return db.transaction(async (tx): Promise<RelayBatchResult> => {
      const claimed = await claimPendingRows(tx, candidates, input.batchSize);
      const rows = await inOrderOfTheirOrders(tx, claimed);
      const held = claimed.length - rows.length;
      if (rows.length === 0) return { picked: 0, published: 0, retrying: 0, failed: 0, ...(held ? { held } : {}) };
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      const ids = rows.map((r) => r.id);
      const spans = new Map(
        [...byTopic].map(([topic, topicRows]) => [topic, publishSpans(topicRows.map(publishedRecord))]),
      );
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, topicRows]) => ({
            topic,
            messages: topicRows.map((r, i) => kafkaMessage(r, spans.get(topic)?.headers[i])),
          })),
        });
        for (const s of spans.values()) s.end();
      } catch (err) {
        for (const s of spans.values()) s.end(err);
        metrics?.publishFailures.inc({ shard: String(input.shard) }, rows.length);
        if (!refusedByKafka(err)) {
          await noteUnpublished(tx, ids, errorText(err));
          return { picked: rows.length, published: 0, retrying: rows.length, failed: 0, unreachable: true };
        }
        return publishOneByOne(tx, input.shard, rows);
      }
      const acked = new Date();
      await markSent(tx, ids, acked);
      observePublished(input.shard, rows, acked);
      return { picked: rows.length, published: rows.length, retrying: 0, failed: 0, ...(held ? { held } : {}) };
    }, RELAY_TX);
  }

  /**
   * Relays a shard for `runForMs`: the next batch at once after a full one, after `idleSleepMs` otherwise. Heartbeats
   * after every batch, so a dead worker's run is taken over within the heartbeat timeout; stops early when cancelled.
   * Its polling is untraced; each row it publishes continues the trace of the change that wrote the row.
   */
  function relayShard(input: RelayShardInput): Promise<RelayShardResult> {
    return untraced(() => relayFor(input));
  }

  async function relayFor(input: RelayShardInput): Promise<RelayShardResult> {
    const ctx = Context.current();
    const totals: RelayShardResult = { batches: 0, published: 0, retrying: 0, failed: 0 };
    if (!pacing) throw new Error('relayShard needs the relay pacing settings');
    const { batchSize, idleSleepMs, runForMs, lanes } = pacing;
    const until = Date.now() + runForMs;
    let failed = false; // a lane's batch threw: every lane stops, and the activity fails once all have
    const running = () => !failed && Date.now() < until && !ctx.cancellationSignal.aborted;
    const shardLabel = { shard: String(input.shard) };
    const backlog = new BacklogSignal();
    // A batch that claimed all it asked for says more rows are due, even if some waited behind another batch's.
    const full = (r: RelayBatchResult) => !r.unreachable && r.picked + (r.held ?? 0) >= batchSize;

    async function batch(): Promise<RelayBatchResult> {
      const r = await relayBatch({ shard: input.shard, batchSize });
      totals.batches++;
      totals.published += r.published;
      totals.retrying += r.retrying;
      totals.failed += r.failed;
      ctx.heartbeat(totals);
      // Raised by a batch the broker did not take, lowered by one it did: batches in between that found no row
      // due (rows wait out their backoff) say nothing about the broker.
      if (r.unreachable) metrics?.kafkaUnreachable.set(shardLabel, 1);
      else if (r.published > 0) metrics?.kafkaUnreachable.set(shardLabel, 0);
      return r;
    }

    /** The lane that always runs: the next batch at once after a full one, a pause otherwise, backoff when unreachable. */
    async function pollingLane(): Promise<void> {
      let unreachableInARow = 0;
      while (running()) {
        const r = await batch();
        unreachableInARow = r.unreachable ? unreachableInARow + 1 : 0;
        backlog.report(full(r));
        if (unreachableInARow > 0) {
          await ctx
            .sleep(Math.max(0, Math.min(unreachableBackoffMs(unreachableInARow), until - Date.now())))
            .catch(() => undefined);
        } else if (!full(r)) {
          await ctx.sleep(idleSleepMs).catch(() => undefined);
        }
      }
      backlog.close();
    }

    /** A lane that helps while the polling lane finds full batches, and waits for its next full one otherwise. */
    async function backlogLane(): Promise<void> {
      let fresh = false;
      while (await backlog.waitForBacklog(fresh)) {
        if (!running()) return;
        const r = await batch();
        fresh = !full(r);
      }
    }

    const stopAllOnError = (lane: () => Promise<void>) =>
      lane().catch((err: unknown) => {
        failed = true;
        backlog.close();
        throw err;
      });
    const ended = await Promise.allSettled(
      [pollingLane, ...Array.from({ length: lanes - 1 }, () => backlogLane)].map(stopAllOnError),
    );
    const error = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
    if (error) throw error.reason;
    return totals;
  }

  return { relayBatch, relayShard };
}

export type OutboxActivities = ReturnType<typeof createOutboxActivities>;

/** Tells a shard's backlog lanes whether its polling lane's last batch was full, and wakes them when one is. */
class BacklogSignal {
  private full = false;
  private closed = false;
  private waiters: (() => void)[] = [];

  report(full: boolean): void {
    this.full = full;
    if (full) this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  /**
   * True at once while the last batch was full (unless `fresh`: then at the next full one), false once the run ended.
   */
  async waitForBacklog(fresh: boolean): Promise<boolean> {
    if (!this.closed && (fresh || !this.full)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return !this.closed;
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}
