/** Operator tools over the outbox rows of every shard: list them, put failed ones back to pending. */
import type { SqlPool } from '../../lib/db/sql-pool';
import { AppError } from '../../lib/errors';
import {
  findOutboxRow,
  isPublished,
  listOutboxRows,
  resetFailedToPending,
  resetToPending,
  type OutboxRowView,
  type OutboxStatusName,
} from '../../lib/outbox/outbox-table';

export interface OutboxMessageView extends OutboxRowView {
  shard: number;
}

export interface OutboxFilter {
  status?: OutboxStatusName;
  shard?: number;
  orderId?: bigint;
  limit: number;
}

export class OutboxService {
  /** Plain SQL pools of the shards, by shard number. */
  constructor(private readonly shards: SqlPool[]) {}

  private targets(shard?: number): { db: SqlPool; shard: number }[] {
    return this.shards.map((db, i) => ({ db, shard: i })).filter((t) => shard === undefined || t.shard === shard);
  }

  /** Newest first, from one shard or all of them. */
  async list(filter: OutboxFilter): Promise<OutboxMessageView[]> {
    const perShard = await Promise.all(
      this.targets(filter.shard).map(async ({ db, shard }) =>
        (
          await listOutboxRows(db, {
            limit: filter.limit,
            ...(filter.status ? { status: filter.status } : {}),
            ...(filter.orderId !== undefined ? { orderId: filter.orderId } : {}),
          })
        ).map((row) => ({ ...row, shard })),
      ),
    );
    return perShard
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, filter.limit);
  }

  /** Puts one failed (or still pending) message back to pending with a fresh retry budget. */
  async retry(messageId: string): Promise<OutboxMessageView> {
    for (const { db, shard } of this.targets()) {
      const row = await findOutboxRow(db, messageId);
      if (!row) continue;
      if (isPublished(row.status) || !(await resetToPending(db, messageId))) {
        const now = (await findOutboxRow(db, messageId)) ?? row;
        throw new AppError('OUTBOX_MESSAGE_SENT', `message ${messageId} was already published`, {
          status: now.status,
        });
      }
      return { ...((await findOutboxRow(db, messageId)) as OutboxRowView), shard };
    }
    throw new AppError('OUTBOX_MESSAGE_NOT_FOUND', `no outbox message ${messageId} in any shard`);
  }

  /** Puts every failed message (of one shard or all) back to pending; returns how many per shard. */
  async retryFailed(shard?: number): Promise<{ shard: number; retried: number }[]> {
    return Promise.all(
      this.targets(shard).map(async (t) => ({ shard: t.shard, retried: await resetFailedToPending(t.db) })),
    );
  }
}
