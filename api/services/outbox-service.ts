/** Operator tools over the outbox rows of every shard: list them, put failed ones back to pending. */
import type { ShardPrismaClient } from '../../lib/db/prisma';
import { AppError } from '../../lib/errors';

export const OUTBOX_STATUSES = ['PENDING', 'SENT', 'CONFIRMED', 'FAILED'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxMessageView {
  messageId: string;
  shard: number;
  orderId: string;
  topic: string;
  eventType: string;
  status: OutboxStatus;
  retryCount: number;
  maxRetry: number;
  nextRetryAt: string | null;
  errorMsg: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxFilter {
  status?: OutboxStatus;
  shard?: number;
  orderId?: bigint;
  limit: number;
}

type Row = Awaited<ReturnType<ShardPrismaClient['localMessage']['findFirstOrThrow']>>;

function view(row: Row, shard: number): OutboxMessageView {
  return {
    messageId: row.messageId,
    shard,
    orderId: row.txId.toString(),
    topic: row.topic,
    eventType: row.eventType,
    status: OUTBOX_STATUSES[row.status] ?? 'PENDING',
    retryCount: row.retryCount,
    maxRetry: row.maxRetry,
    nextRetryAt: row.nextRetryAt?.toISOString() ?? null,
    errorMsg: row.errorMsg,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export class OutboxService {
  constructor(private readonly shards: ShardPrismaClient[]) {}

  /** Newest first, from one shard or all of them. */
  async list(filter: OutboxFilter): Promise<OutboxMessageView[]> {
    const where = {
      ...(filter.status ? { status: OUTBOX_STATUSES.indexOf(filter.status) } : {}),
      ...(filter.orderId !== undefined ? { txId: filter.orderId } : {}),
    };
    const targets = this.shards
      .map((db, shard) => ({ db, shard }))
      .filter((t) => filter.shard === undefined || t.shard === filter.shard);
    const perShard = await Promise.all(
      targets.map(async ({ db, shard }) =>
        (await db.localMessage.findMany({ where, orderBy: { id: 'desc' }, take: filter.limit })).map((r) =>
          view(r, shard),
        ),
      ),
    );
    return perShard
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, filter.limit);
  }

  /** Puts one failed (or still pending) message back to pending with a fresh retry budget. */
  async retry(messageId: string): Promise<OutboxMessageView> {
    for (const [shard, db] of this.shards.entries()) {
      const row = await db.localMessage.findUnique({ where: { messageId } });
      if (!row) continue;
      if (row.status === 1 || row.status === 2) {
        throw new AppError('OUTBOX_MESSAGE_SENT', `message ${messageId} was already published`, {
          status: OUTBOX_STATUSES[row.status],
        });
      }
      const updated = await db.localMessage.update({
        where: { messageId },
        data: { status: 0, retryCount: 0, nextRetryAt: null, errorMsg: null, deadLetteredAt: null },
      });
      return view(updated, shard);
    }
    throw new AppError('OUTBOX_MESSAGE_NOT_FOUND', `no outbox message ${messageId} in any shard`);
  }

  /** Puts every failed message (of one shard or all) back to pending; returns how many per shard. */
  async retryFailed(shard?: number): Promise<{ shard: number; retried: number }[]> {
    const targets = this.shards
      .map((db, i) => ({ db, shard: i }))
      .filter((t) => shard === undefined || t.shard === shard);
    return Promise.all(
      targets.map(async (t) => ({
        shard: t.shard,
        retried: (
          await t.db.localMessage.updateMany({
            where: { status: 3 },
            data: { status: 0, retryCount: 0, nextRetryAt: null, errorMsg: null, deadLetteredAt: null },
          })
        ).count,
      })),
    );
  }
}
