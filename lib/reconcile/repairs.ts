/**
 * The reconciler's repairs, one per finding kind, each idempotent (a repeated run, or a repair racing the saga it
 * stands in for, changes nothing twice): cancel an abandoned order through the same transition the saga uses
 * (status, order.cancelled) and release its stock; release an orphan reservation; publish a paid order's stock.deduct
 * again; make a stuck outbox row due; re-index an order from its row.
 */
import { randomUUID } from 'node:crypto';
import type { ApplyTransitionInput, ApplyTransitionResult } from '../../activities/order-activities';
import type { ReleaseStockInput, ReleaseStockResult } from '../../activities/inventory-activities';
import { createOrderIndexer } from '../cdc/order-indexer';
import type { ShardPrismaClient } from '../db/prisma';
import type { SqlPool } from '../db/sql-pool';
import { TRANSITION_EVENTS } from '../orders/events';
import { makeDueNow, requeueEvent } from '../outbox/outbox-table';
import type { SearchClient } from '../search/client';
import type { Finding } from './findings';

export interface RepairDeps {
  shards: SqlPool[];
  /** Prisma clients of the shards (the indexer reads orders with their items through them). */
  shardClients: ShardPrismaClient[];
  search: { es: SearchClient; index: string };
  applyTransition(input: ApplyTransitionInput): Promise<ApplyTransitionResult>;
  releaseStock(input: ReleaseStockInput): Promise<ReleaseStockResult>;
}

/** Repairs one finding; returns what was done, throws when it could not be. */
export async function repair(deps: RepairDeps, f: Finding): Promise<string> {
  switch (f.kind) {
    case 'abandoned-order': {
      const { status, applied } = await deps.applyTransition({
        orderId: f.subject,
        shard: f.shard!,
        action: 'cancel',
        messageIds: TRANSITION_EVENTS.cancel.map(() => randomUUID()),
        request: { actor: 'reconciler', reason: f.detail },
      });
      const { released } = await deps.releaseStock({ orderId: f.subject });
      return `${applied ? 'cancelled' : `already ${status}`}; ${released} reservation(s) released`;
    }
    case 'orphan-reservation': {
      const { released } = await deps.releaseStock({ orderId: f.subject });
      return `${released} reservation(s) released`;
    }
    case 'deduction-missing': {
      const messageId = await requeueEvent(deps.shards[f.shard!]!, BigInt(f.subject), 'stock.deduct');
      if (!messageId) throw new Error(`order ${f.subject} has no stock.deduct outbox row to publish again`);
      return `stock.deduct ${messageId} queued for publishing again`;
    }
    case 'outbox-stuck': {
      const due = await makeDueNow(deps.shards[f.shard!]!, f.subject);
      return due ? 'due now' : 'no longer pending (published meanwhile)';
    }
    case 'search-missing':
    case 'search-stale': {
      const indexer = createOrderIndexer({
        es: deps.search.es,
        index: deps.search.index,
        db: deps.shardClients[f.shard!]!,
        shard: f.shard!,
      });
      const outcome = await indexer.indexOrders([BigInt(f.subject)], { file: 'reconciler', pos: 0 });
      if (outcome.deadLettered > 0) throw new Error('the row cannot become a document (see t_cdc_dead_letter)');
      return outcome.indexed > 0
        ? 're-indexed'
        : outcome.deleted > 0
          ? 'document deleted (row gone)'
          : 'already current';
    }
  }
}
