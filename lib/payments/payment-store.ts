/**
 * Payments in the order's shard (t_payment): one row per payment started, settled by the provider's callback.
 * APPROVED is not written here: the saga's pay step writes it in the transaction that marks the order PAID
 * (activities/order-activities.ts), so a payment is approved exactly when its order is paid.
 */
import { fromSqlDateTime, type SqlPool, type SqlRunner } from '../db/sql-pool';

export type PaymentStatus = 'PENDING' | 'APPROVED' | 'DECLINED' | 'REFUND_DUE';

export interface Payment {
  paymentId: string;
  orderId: string;
  provider: string;
  method: string;
  amount: string;
  currency: string;
  status: PaymentStatus;
  providerTxnId: string | null;
  createdAt: string;
  updatedAt: string;
}

interface PaymentRow {
  id: string;
  order_id: bigint;
  provider: string;
  method: string;
  amount: string;
  currency: string;
  status: PaymentStatus;
  provider_txn_id: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, order_id, provider, method, amount, currency, status, provider_txn_id, created_at, updated_at';

const iso = (sqlTime: string): string => fromSqlDateTime(sqlTime).toISOString();

function toPayment(row: PaymentRow): Payment {
  return {
    paymentId: row.id,
    orderId: row.order_id.toString(),
    provider: row.provider,
    method: row.method,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    providerTxnId: row.provider_txn_id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export interface NewPayment {
  paymentId: string;
  orderId: bigint;
  userId: bigint;
  provider: string;
  method: string;
  amount: string;
  currency: string;
}

export class PaymentStore {
  constructor(private readonly shards: readonly SqlPool[]) {}

  private at(shard: number): SqlPool {
    const pool = this.shards[shard];
    if (!pool) throw new RangeError(`no shard ${shard}`);
    return pool;
  }

  async create(shard: number, p: NewPayment): Promise<Payment> {
    await this.at(shard).write(
      `INSERT INTO t_payment (id, order_id, user_id, provider, method, amount, currency, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))`,
      [p.paymentId, p.orderId, p.userId, p.provider, p.method, p.amount, p.currency],
    );
    const created = await this.find(shard, p.orderId, p.paymentId);
    if (!created) throw new Error(`payment ${p.paymentId} vanished after it was written`);
    return created;
  }

  async find(shard: number, orderId: bigint, paymentId: string): Promise<Payment | undefined> {
    const [row] = await this.at(shard).rows<PaymentRow>(
      `SELECT ${COLUMNS} FROM t_payment WHERE id = ? AND order_id = ?`,
      [paymentId, orderId],
    );
    return row ? toPayment(row) : undefined;
  }

  async ofOrder(shard: number, orderId: bigint): Promise<Payment[]> {
    const rows = await this.at(shard).rows<PaymentRow>(
      `SELECT ${COLUMNS} FROM t_payment WHERE order_id = ? ORDER BY created_at, id`,
      [orderId],
    );
    return rows.map(toPayment);
  }

  /**
   * Settles a PENDING payment as `status` (DECLINED, or REFUND_DUE for money taken for an order that can no longer be
   * paid) with the provider's transaction id; false when it was not PENDING any more (settled by an earlier callback).
   */
  async settle(
    shard: number,
    paymentId: string,
    status: Exclude<PaymentStatus, 'PENDING' | 'APPROVED'>,
    providerTxnId: string,
  ): Promise<boolean> {
    const changed = await this.at(shard).write(
      `UPDATE t_payment SET status = ?, provider_txn_id = ?, updated_at = UTC_TIMESTAMP(3)
       WHERE id = ? AND status = 'PENDING'`,
      [status, providerTxnId, paymentId],
    );
    return changed === 1;
  }
}

/**
 * In the transaction that marks the order PAID: the payment becomes APPROVED with the provider's transaction id;
 * false when it is not this order's PENDING payment (the transaction must then roll back).
 */
export async function approveInTransaction(
  tx: SqlRunner,
  orderId: bigint,
  paymentId: string,
  providerTxnId: string,
): Promise<boolean> {
  const changed = await tx.write(
    `UPDATE t_payment SET status = 'APPROVED', provider_txn_id = ?, updated_at = UTC_TIMESTAMP(3)
     WHERE id = ? AND order_id = ? AND status = 'PENDING'`,
    [providerTxnId, paymentId, orderId],
  );
  return changed === 1;
}
