/**
 * Turns changed orders of a shard into Elasticsearch documents: reads each order and its items back from the shard
 * (the binlog says which orders changed; the row says what they are now), bulk-indexes them with an external version
 * (the row's `version`, lib/cdc/order-document.ts) so an older state never overwrites a newer one, and dead-letters
 * what cannot be indexed. A row read back older than the binlog event that announced it (the event arrives before
 * its commit is visible to other sessions) is read again until it is at least as new; a missing row is a delete
 * only when the binlog says it was deleted.
 */
import type { Log } from '../log/logger';
import type { ShardPrismaClient } from '../db/prisma';
import type { SearchClient } from '../search/client';
import type { CdcMetrics } from '../metrics/cdc-metrics';
import { formatBinlogPosition, type BinlogPosition } from './binlog-position';
import type { RowState } from './order-change-stream';
import { documentVersion, PoisonRowError, toOrderDocument, type OrderRow } from './order-document';

export interface IndexOutcome {
  /** Documents written (new or newer). */
  indexed: number;
  /** Documents refused because the index holds the same or a newer version already (a replay). */
  stale: number;
  /** Orders whose rows are gone: their documents were deleted. */
  deleted: number;
  deadLettered: number;
}

/** Reads of a row still behind its binlog event before the batch fails (and is retried from the checkpoint). */
const VISIBILITY_READS = 10;

/** A row stayed older than the binlog event it follows: retry the batch later, from the checkpoint. */
export class RowNotVisibleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowNotVisibleError';
  }
}

/** Elasticsearch could not take the batch now (down, overloaded): retry it later, from the checkpoint. */
export class SearchUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchUnavailableError';
  }
}

export interface OrderIndexerDeps {
  es: SearchClient;
  /** The alias to write (config.elasticsearch.ordersIndex). */
  index: string;
  db: ShardPrismaClient;
  shard: number;
  metrics?: CdcMetrics;
  /** Each document Elasticsearch took is logged at debug, with the order's correlation id. */
  log?: Log;
}

export function createOrderIndexer(deps: OrderIndexerDeps) {
  const { es, index, db, shard, metrics, log } = deps;
  const label = { shard: String(shard) };

  /** One dead letter per order and reason: a change replayed after a restart is not recorded twice. */
  async function deadLetter(orderId: bigint, at: BinlogPosition, why: string): Promise<void> {
    const reason = why.slice(0, 1000);
    if (await db.cdcDeadLetter.findFirst({ where: { orderId, reason }, select: { id: true } })) return;
    await db.cdcDeadLetter.create({ data: { orderId, binlogFile: at.file, binlogPos: BigInt(at.pos), reason } });
    metrics?.deadLetters.inc(label);
  }

  const readRows = (ids: bigint[]): Promise<OrderRow[]> =>
    db.order.findMany({ where: { id: { in: ids } }, include: { items: true } });

  /** The rows of these orders, each at least as new as the binlog says it became (`states`). */
  async function rowsAtLeastAsNew(orderIds: bigint[], states: ReadonlyMap<bigint, RowState>): Promise<OrderRow[]> {
    const byId = new Map((await readRows(orderIds)).map((r) => [r.id, r]));
    const behind = (): bigint[] =>
      orderIds.filter((id) => {
        const state = states.get(id);
        if (state === undefined || state === 'deleted') return false;
        const row = byId.get(id);
        return row === undefined || row.version < state.version;
      });
    for (let read = 1, late = behind(); late.length > 0; read++, late = behind()) {
      if (read >= VISIBILITY_READS) {
        throw new RowNotVisibleError(
          `${late.length} order(s) still older than their binlog events after ${read} reads (first: ${late[0]})`,
        );
      }
      await new Promise((r) => setTimeout(r, 20 * read));
      for (const row of await readRows(late)) byId.set(row.id, row);
    }
    return [...byId.values()];
  }

  /**
   * Indexes the current state of these orders; `at` is the binlog position the change was seen at (for dead
   * letters), `states` what the binlog says each order's row became (a tail knows it; a snapshot reads the rows as
   * they are).
   */
  async function indexOrders(
    orderIds: bigint[],
    at: BinlogPosition,
    states: ReadonlyMap<bigint, RowState> = new Map(),
  ): Promise<IndexOutcome> {
    const outcome: IndexOutcome = { indexed: 0, stale: 0, deleted: 0, deadLettered: 0 };
    if (orderIds.length === 0) return outcome;
    const rows = await rowsAtLeastAsNew(orderIds, states);
    const found = new Set(rows.map((r) => r.id));
    const operations: object[] = [];
    const written: OrderRow[] = [];
    for (const row of rows) {
      try {
        const doc = toOrderDocument(row, shard);
        operations.push(
          { index: { _index: index, _id: doc.orderId, version: documentVersion(row), version_type: 'external_gte' } },
          doc,
        );
        written.push(row);
      } catch (err) {
        if (!(err instanceof PoisonRowError)) throw err;
        await deadLetter(row.id, at, err.message);
        outcome.deadLettered++;
      }
    }
    const gone = orderIds.filter((id) => !found.has(id));
    for (const id of gone) operations.push({ delete: { _index: index, _id: id.toString() } });
    if (operations.length === 0) return outcome;

    let response;
    try {
      response = await es.bulk({ operations });
    } catch (err) {
      metrics?.bulkFailures.inc(label);
      throw new SearchUnavailableError(`bulk request failed: ${(err as Error).message}`);
    }
    const indexedAt = Date.now();
    let retryable = 0;
    for (const [i, item] of response.items.entries()) {
      const result = item.index ?? item.delete;
      const status = result?.status ?? 0;
      if (item.delete) {
        if (status < 300 || status === 404) outcome.deleted++;
        else retryable++;
        continue;
      }
      const row = written[i]!;
      if (status < 300) {
        outcome.indexed++;
        metrics?.indexed.inc(label);
        metrics?.lag.observe(label, Math.max(0, indexedAt - row.updatedAt.getTime()) / 1000);
        log?.('debug', 'order indexed', {
          orderId: row.id.toString(),
          correlationId: row.correlationId,
          shard,
          version: documentVersion(row),
        });
      } else if (status === 409) {
        outcome.stale++;
      } else if (status === 429 || status >= 500) {
        retryable++;
      } else {
        await deadLetter(
          row.id,
          at,
          `elasticsearch refused the document (${status}): ${JSON.stringify(result?.error)}`,
        );
        outcome.deadLettered++;
      }
    }
    if (retryable > 0) {
      metrics?.bulkFailures.inc(label);
      throw new SearchUnavailableError(
        `${retryable} of ${response.items.length} documents not taken at ${formatBinlogPosition(at)}; retrying`,
      );
    }
    return outcome;
  }

  return { indexOrders };
}

export type OrderIndexer = ReturnType<typeof createOrderIndexer>;
