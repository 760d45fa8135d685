/**
 * The owner of `t_local_message`, the outbox of each shard: its status values and every statement on it — the
 * insert the order activities make with their change, the relay's find / claim / mark, the dead-letter stamp, and the
 * operator's list and retry. Nothing else writes SQL against this table.
 */
import {
  fromSqlDateTime,
  placeholders,
  toSqlDateTime,
  type SqlPool,
  type SqlRunner,
  type SqlValue,
} from '../db/sql-pool';
import { currentTraceContext } from '../telemetry/message-spans';

/** t_local_message.status (DESIGN.md: 0 pending, 1 sent, 2 confirmed, 3 failed). */
export const OutboxStatus = { PENDING: 0, SENT: 1, CONFIRMED: 2, FAILED: 3 } as const;
export type OutboxStatusName = keyof typeof OutboxStatus;
export const OUTBOX_STATUS_NAMES = Object.keys(OutboxStatus) as [OutboxStatusName, ...OutboxStatusName[]];

export function outboxStatusName(code: number): OutboxStatusName {
  const name = OUTBOX_STATUS_NAMES.find((n) => OutboxStatus[n] === code);
  if (name === undefined) throw new RangeError(`unknown outbox status ${code}`);
  return name;
}

const { PENDING, SENT, CONFIRMED, FAILED } = OutboxStatus;

export interface NewOutboxRow {
  messageId: string;
  orderId: bigint;
  topic: string;
  eventType: string;
  /** The event's JSON text. */
  payload: string;
  at: Date;
  /** The request id of the request whose change the row announces, if known. */
  correlationId?: string;
  /** The trace the record continues (traceparent); absent: the trace of the current span, if any. */
  traceContext?: string | null;
}

/**
 * Writes one outbox row, in the transaction of the change it announces, with the trace context it is given or that of
 * the current span (the relay continues the trace into Kafka: lib/telemetry/message-spans.ts).
 */
export async function insertOutboxRow(tx: SqlRunner, row: NewOutboxRow): Promise<void> {
  const at = toSqlDateTime(row.at);
  await tx.write(
    `INSERT INTO t_local_message
       (message_id, tx_id, topic, event_type, payload, correlation_id, trace_context, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.messageId,
      row.orderId,
      row.topic,
      row.eventType,
      row.payload,
      row.correlationId ?? null,
      row.traceContext === undefined ? currentTraceContext() : row.traceContext,
      at,
      at,
    ],
  );
}

/** A row as the relay reads it. */
export interface OutboxRow {
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
  error_msg: string | null;
  correlation_id: string | null;
  /** The traceparent of the transaction that wrote the row, when it was traced. */
  trace_context: string | null;
}

const ROW_COLUMNS =
  'id, message_id, tx_id, topic, event_type, payload, retry_count, max_retry, created_at, error_msg, correlation_id, ' +
  'trace_context';

/**
 * Ids of due rows, by a plain read (no locks, so a concurrent relay never waits on it and an idle poll opens no
 * transaction). A row is due when pending, past its retry time, and no earlier row of its order is backing off.
 * It reads the pending rows in id order from idx_status_id and stops at `limit`, however long the backlog and however
 * many rows were sent before it. The index is forced: with a backlog, MariaDB's statistics have led it to walk the
 * primary key through every sent row instead (51,500 rows read for 400 due ones, 4 ms a batch, growing with the table).
 */
export async function findDueIds(db: SqlRunner, limit: number): Promise<bigint[]> {
  const rows = await db.rows<{ id: bigint }>(
    `SELECT m.id FROM t_local_message m FORCE INDEX (idx_status_id)
     WHERE m.status = ${PENDING} AND (m.next_retry_at IS NULL OR m.next_retry_at <= NOW(3))
       AND NOT EXISTS (
         SELECT 1 FROM t_local_message e
         WHERE e.tx_id = m.tx_id AND e.status = ${PENDING} AND e.id < m.id AND e.next_retry_at > NOW(3))
     ORDER BY m.id
     LIMIT ?`,
    [limit],
  );
  return rows.map((r) => r.id);
}

/** Locks up to `limit` of these rows that are still pending, skipping rows another relay holds. */
export function claimPendingRows(tx: SqlRunner, ids: readonly bigint[], limit: number): Promise<OutboxRow[]> {
  return tx.rows<OutboxRow>(
    `SELECT ${ROW_COLUMNS} FROM t_local_message
     WHERE id IN (${placeholders(ids.length)}) AND status = ${PENDING}
     ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
    [...ids, limit],
  );
}

/** The pending rows of these orders, in id order (to keep each order's events in order). */
export function pendingRowsOfOrders(
  tx: SqlRunner,
  orderIds: readonly bigint[],
): Promise<{ id: bigint; tx_id: bigint }[]> {
  return tx.rows(
    `SELECT id, tx_id FROM t_local_message WHERE status = ${PENDING} AND tx_id IN (${placeholders(orderIds.length)})
     ORDER BY id`,
    orderIds,
  );
}

export async function markSent(tx: SqlRunner, ids: readonly bigint[], at: Date): Promise<void> {
  await tx.write(
    `UPDATE t_local_message SET status = ${SENT}, sent_at = ?, error_msg = NULL, updated_at = NOW(3)
     WHERE id IN (${placeholders(ids.length)})`,
    [toSqlDateTime(at), ...ids],
  );
}

/** A failed publish that will be tried again after `backoffSeconds`. */
export async function markRetrying(
  tx: SqlRunner,
  id: bigint,
  failures: number,
  error: string,
  backoffSeconds: number,
): Promise<void> {
  await tx.write(
    `UPDATE t_local_message
     SET retry_count = ?, error_msg = ?, updated_at = NOW(3), next_retry_at = NOW(3) + INTERVAL ? SECOND
     WHERE id = ?`,
    [failures, error, backoffSeconds, id],
  );
}

/** Rows that could not be published because the broker was unreachable: the error is kept, no retry is spent. */
export async function noteUnpublished(tx: SqlRunner, ids: readonly bigint[], error: string): Promise<void> {
  await tx.write(
    `UPDATE t_local_message SET error_msg = ?, updated_at = NOW(3) WHERE id IN (${placeholders(ids.length)})`,
    [error, ...ids],
  );
}

/** A row that exhausted its retries: failed, waiting for its dead-letter record and an operator. */
export async function markFailed(tx: SqlRunner, id: bigint, failures: number, error: string): Promise<void> {
  await tx.write(
    `UPDATE t_local_message SET status = ${FAILED}, retry_count = ?, error_msg = ?, updated_at = NOW(3) WHERE id = ?`,
    [failures, error, id],
  );
}

const UNDELIVERED = `status = ${FAILED} AND dead_lettered_at IS NULL`;

/** Whether any failed row still lacks its dead-letter record (a lock-free look). */
export async function hasUndeliveredDeadLetters(db: SqlRunner): Promise<boolean> {
  return (await db.rows(`SELECT 1 FROM t_local_message WHERE ${UNDELIVERED} LIMIT 1`)).length > 0;
}

export function claimUndeliveredDeadLetters(tx: SqlRunner, limit: number): Promise<OutboxRow[]> {
  return tx.rows<OutboxRow>(
    `SELECT ${ROW_COLUMNS} FROM t_local_message WHERE ${UNDELIVERED} ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
    [limit],
  );
}

export async function stampDeadLettered(tx: SqlRunner, ids: readonly bigint[], at: Date): Promise<void> {
  await tx.write(
    `UPDATE t_local_message SET dead_lettered_at = ?, updated_at = NOW(3) WHERE id IN (${placeholders(ids.length)})`,
    [toSqlDateTime(at), ...ids],
  );
}

/** Rows waiting to be published (the relay's backlog metric). */
export async function countPendingOutbox(db: SqlRunner): Promise<number> {
  const [row] = await db.rows<{ n: bigint }>(`SELECT COUNT(*) AS n FROM t_local_message WHERE status = ${PENDING}`);
  return Number(row?.n ?? 0);
}

/** A row as an operator sees it. */
export interface OutboxRowView {
  messageId: string;
  orderId: string;
  topic: string;
  eventType: string;
  status: OutboxStatusName;
  retryCount: number;
  maxRetry: number;
  nextRetryAt: string | null;
  errorMsg: string | null;
  createdAt: string;
  sentAt: string | null;
  /** The request id of the request whose change it announces (null on rows written before it was carried). */
  correlationId: string | null;
}

interface ViewRow {
  message_id: string;
  tx_id: bigint;
  topic: string;
  event_type: string;
  status: number;
  retry_count: number;
  max_retry: number;
  next_retry_at: string | null;
  error_msg: string | null;
  created_at: string;
  sent_at: string | null;
  correlation_id: string | null;
}

const VIEW_COLUMNS =
  'message_id, tx_id, topic, event_type, status, retry_count, max_retry, next_retry_at, error_msg, created_at, ' +
  'sent_at, correlation_id';
const iso = (text: string | null): string | null => (text === null ? null : fromSqlDateTime(text).toISOString());

function toView(r: ViewRow): OutboxRowView {
  return {
    messageId: r.message_id,
    orderId: r.tx_id.toString(),
    topic: r.topic,
    eventType: r.event_type,
    status: outboxStatusName(r.status),
    retryCount: r.retry_count,
    maxRetry: r.max_retry,
    nextRetryAt: iso(r.next_retry_at),
    errorMsg: r.error_msg,
    createdAt: iso(r.created_at) as string,
    sentAt: iso(r.sent_at),
    correlationId: r.correlation_id,
  };
}

export interface OutboxQuery {
  status?: OutboxStatusName;
  orderId?: bigint;
  correlationId?: string;
  limit: number;
}

/** Newest rows first, filtered by status, order and correlation id. */
export async function listOutboxRows(db: SqlRunner, query: OutboxQuery): Promise<OutboxRowView[]> {
  const where: string[] = [];
  const values: SqlValue[] = [];
  if (query.status !== undefined) {
    where.push('status = ?');
    values.push(OutboxStatus[query.status]);
  }
  if (query.orderId !== undefined) {
    where.push('tx_id = ?');
    values.push(query.orderId);
  }
  if (query.correlationId !== undefined) {
    where.push('correlation_id = ?');
    values.push(query.correlationId);
  }
  const rows = await db.rows<ViewRow>(
    `SELECT ${VIEW_COLUMNS} FROM t_local_message ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT ?`,
    [...values, query.limit],
  );
  return rows.map(toView);
}

export async function findOutboxRow(db: SqlRunner, messageId: string): Promise<OutboxRowView | null> {
  const [row] = await db.rows<ViewRow>(`SELECT ${VIEW_COLUMNS} FROM t_local_message WHERE message_id = ?`, [messageId]);
  return row ? toView(row) : null;
}

/** Whether a row in this status has already reached Kafka (nothing to retry). */
export function isPublished(status: OutboxStatusName): boolean {
  return OutboxStatus[status] === SENT || OutboxStatus[status] === CONFIRMED;
}

const BACK_TO_PENDING = `status = ${PENDING}, retry_count = 0, next_retry_at = NULL, error_msg = NULL,
  dead_lettered_at = NULL, updated_at = NOW(3)`;

/** Puts one unpublished row back to pending with a fresh retry budget; false when it was published meanwhile. */
export async function resetToPending(db: SqlRunner, messageId: string): Promise<boolean> {
  const changed = await db.write(
    `UPDATE t_local_message SET ${BACK_TO_PENDING} WHERE message_id = ? AND status IN (${PENDING}, ${FAILED})`,
    [messageId],
  );
  return changed === 1;
}

/** Puts every failed row back to pending; returns how many. */
export function resetFailedToPending(db: SqlPool): Promise<number> {
  return db.write(`UPDATE t_local_message SET ${BACK_TO_PENDING} WHERE status = ${FAILED}`);
}

/** Makes a pending row due at once (the reconciler's repair of a row stuck behind a long backoff); false if not pending. */
export async function makeDueNow(db: SqlRunner, messageId: string): Promise<boolean> {
  const changed = await db.write(
    `UPDATE t_local_message SET next_retry_at = NULL, updated_at = NOW(3) WHERE message_id = ? AND status = ${PENDING}`,
    [messageId],
  );
  return changed === 1;
}

/**
 * Puts an order's event of this type back to pending, whatever its status (a stock.deduct the consumer never applied):
 * the relay publishes it again with the same message id, so a consumer that did apply it skips it. Returns the
 * message id, or null when the order has no such row.
 */
export async function requeueEvent(db: SqlPool, orderId: bigint, eventType: string): Promise<string | null> {
  const [row] = await db.rows<{ message_id: string }>(
    'SELECT message_id FROM t_local_message WHERE tx_id = ? AND event_type = ? ORDER BY id DESC LIMIT 1',
    [orderId, eventType],
  );
  if (!row) return null;
  await db.write(`UPDATE t_local_message SET ${BACK_TO_PENDING} WHERE message_id = ?`, [row.message_id]);
  return row.message_id;
}
