/**
 * The owner of `t_inventory` and `t_stock_reservation` for the order path: every statement that moves stock —
 * reserve (available → locked, one reservation row per order and SKU), release (locked → available), sell (locked →
 * sold on a confirmed payment) — and the consume log that makes a stock.deduct message count once. Each stock change is
 * a conditional UPDATE, so stock never goes negative. The admin's catalog upsert (api/services/catalog-service.ts)
 * sets a SKU's stock outright and stays on the Prisma models.
 */
import type { SqlRunner } from '../db/sql-pool';
import { ReservationStatus } from './reservation-status';

export interface StockLine {
  productId: bigint;
  skuId: bigint;
  quantity: number;
}

export interface ReservationRow {
  id: bigint;
  product_id: bigint;
  sku_id: bigint;
  quantity: number;
}

/**
 * The one order in which the order path locks inventory rows — by product id, then SKU id, as numbers — in reserve,
 * release and deduct alike, so two transactions that touch the same SKUs never wait for each other in a cycle. (Reserve
 * once sorted "productId:skuId" as text, which puts product 10 before product 9.)
 */
export function inLockOrder<T extends { productId: string | bigint; skuId: string | bigint }>(
  lines: readonly T[],
): T[] {
  const compare = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...lines].sort(
    (a, b) => compare(BigInt(a.productId), BigInt(b.productId)) || compare(BigInt(a.skuId), BigInt(b.skuId)),
  );
}

/**
 * The three ways stock moves between t_inventory's columns; each takes the line's quantity from a column that must
 * hold at least that much (the condition that makes overselling impossible) and adds it to another, or sells it.
 */
const STOCK_MOVES = {
  /** available → locked (reserve). */
  lock: { set: 'available_stock = available_stock - ?, locked_stock = locked_stock + ?', from: 'available_stock' },
  /** locked → available (release). */
  unlock: { set: 'locked_stock = locked_stock - ?, available_stock = available_stock + ?', from: 'locked_stock' },
  /** locked → sold: locked -= q, total -= q (a confirmed payment). */
  sell: { set: 'locked_stock = locked_stock - ?, total_stock = total_stock - ?', from: 'locked_stock' },
} as const;

/** Moves a line's quantity; false when the column it comes from holds less than that. */
async function moveStock(tx: SqlRunner, line: StockLine, move: keyof typeof STOCK_MOVES): Promise<boolean> {
  const { set, from } = STOCK_MOVES[move];
  const updated = await tx.write(
    `UPDATE t_inventory SET ${set}, version = version + 1 WHERE product_id = ? AND sku_id = ? AND ${from} >= ?`,
    [line.quantity, line.quantity, line.productId, line.skuId, line.quantity],
  );
  return updated === 1;
}

/** available → locked; false when the SKU has less available than the line asks. */
export const lockAvailable = (tx: SqlRunner, line: StockLine): Promise<boolean> => moveStock(tx, line, 'lock');

/** locked → available; false when the SKU holds less locked stock than the line. */
export const unlockToAvailable = (tx: SqlRunner, line: StockLine): Promise<boolean> => moveStock(tx, line, 'unlock');

/** locked → sold; false when the SKU holds less locked stock than the line. */
export const sellLocked = (tx: SqlRunner, line: StockLine): Promise<boolean> => moveStock(tx, line, 'sell');

/** Records the reservation of a line; false when the order already reserved it (a retried activity). */
export async function insertReservation(tx: SqlRunner, orderId: bigint, line: StockLine): Promise<boolean> {
  const inserted = await tx.write(
    `INSERT INTO t_stock_reservation (order_id, product_id, sku_id, quantity, status)
     VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE id = id`,
    [orderId, line.productId, line.skuId, line.quantity, ReservationStatus.RESERVED],
  );
  return inserted === 1;
}

/** An order's reservations that still hold stock, locked for this transaction, in lock order (see inLockOrder). */
export function openReservationsOf(tx: SqlRunner, orderId: bigint): Promise<ReservationRow[]> {
  return tx.rows<ReservationRow>(
    `SELECT id, product_id, sku_id, quantity FROM t_stock_reservation
     WHERE order_id = ? AND status = ? ORDER BY product_id, sku_id FOR UPDATE`,
    [orderId, ReservationStatus.RESERVED],
  );
}

/** Marks a held reservation released; false when it no longer holds stock. */
export async function markReleased(tx: SqlRunner, reservationId: bigint): Promise<boolean> {
  const changed = await tx.write('UPDATE t_stock_reservation SET status = ? WHERE id = ? AND status = ?', [
    ReservationStatus.RELEASED,
    reservationId,
    ReservationStatus.RESERVED,
  ]);
  return changed === 1;
}

/** Marks the order's held reservation of exactly this line confirmed; false when there is none. */
export async function confirmReservation(tx: SqlRunner, orderId: bigint, line: StockLine): Promise<boolean> {
  const changed = await tx.write(
    `UPDATE t_stock_reservation SET status = ?
     WHERE order_id = ? AND product_id = ? AND sku_id = ? AND quantity = ? AND status = ?`,
    [ReservationStatus.CONFIRMED, orderId, line.productId, line.skuId, line.quantity, ReservationStatus.RESERVED],
  );
  return changed === 1;
}

/** Records that a consumer group applied a message; false when it already had (a redelivery). */
export async function recordConsumed(
  tx: SqlRunner,
  messageId: string,
  consumerGroup: string,
  topic: string,
): Promise<boolean> {
  const logged = await tx.write(
    `INSERT INTO t_message_consume_log (message_id, consumer_group, topic) VALUES (?, ?, ?)
     ON DUPLICATE KEY UPDATE id = id`,
    [messageId, consumerGroup, topic],
  );
  return logged === 1;
}
