/**
 * The alerts Alertmanager delivered (t_alert in the accounts database): each notification upserts its alerts by
 * occurrence (fingerprint + the time it started), so a repeated or resolved notification updates the same row.
 * Read by GET /v1/admin/alerts and `bin/doos alerts`.
 */
import { fromSqlDateTime, toSqlDateTime, type SqlPool, type SqlValue } from '../db/sql-pool';

export type AlertStatus = 'firing' | 'resolved';

/** One alert of an Alertmanager webhook notification (version 4). */
export interface NotifiedAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
}

export interface AlertView {
  alertname: string;
  severity: string;
  status: AlertStatus;
  summary: string;
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  firstReceivedAt: string;
  lastReceivedAt: string;
  notifications: number;
}

interface AlertRow {
  alertname: string;
  severity: string;
  status: AlertStatus;
  summary: string;
  labels: string | Record<string, string>;
  starts_at: string;
  ends_at: string | null;
  first_received_at: string;
  last_received_at: string;
  notifications: number;
}

/** Alertmanager's "no end yet": the zero time. */
const endOf = (a: NotifiedAlert): Date | null => {
  const end = new Date(a.endsAt);
  return a.status === 'resolved' && end.getUTCFullYear() > 1 ? end : null;
};

export class AlertStore {
  constructor(private readonly db: SqlPool) {}

  /** Records a notification's alerts; returns how many. */
  async record(alerts: readonly NotifiedAlert[]): Promise<number> {
    for (const a of alerts) {
      const end = endOf(a);
      await this.db.write(
        `INSERT INTO t_alert (fingerprint, starts_at, alertname, severity, status, summary, labels, ends_at,
           first_received_at, last_received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
         ON DUPLICATE KEY UPDATE status = VALUES(status), ends_at = VALUES(ends_at), summary = VALUES(summary),
           last_received_at = UTC_TIMESTAMP(3), notifications = notifications + 1`,
        [
          a.fingerprint,
          toSqlDateTime(new Date(a.startsAt)),
          a.labels.alertname ?? '',
          a.labels.severity ?? '',
          a.status,
          (a.annotations.summary ?? a.annotations.description ?? '').slice(0, 1024),
          JSON.stringify(a.labels),
          end ? toSqlDateTime(end) : null,
        ],
      );
    }
    return alerts.length;
  }

  /** The latest alert occurrences first (by their last notification). */
  async list(filter: { status?: AlertStatus; alertname?: string; limit: number }): Promise<AlertView[]> {
    const where: string[] = [];
    const values: SqlValue[] = [];
    if (filter.status) {
      where.push('status = ?');
      values.push(filter.status);
    }
    if (filter.alertname) {
      where.push('alertname = ?');
      values.push(filter.alertname);
    }
    const rows = await this.db.rows<AlertRow>(
      `SELECT alertname, severity, status, summary, labels, starts_at, ends_at, first_received_at, last_received_at,
         notifications
       FROM t_alert ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_received_at DESC, id DESC LIMIT ?`,
      [...values, filter.limit],
    );
    const iso = (t: string | null): string | null => (t === null ? null : fromSqlDateTime(t).toISOString());
    return rows.map((r) => ({
      alertname: r.alertname,
      severity: r.severity,
      status: r.status,
      summary: r.summary,
      labels: typeof r.labels === 'string' ? (JSON.parse(r.labels) as Record<string, string>) : r.labels,
      startsAt: iso(r.starts_at) as string,
      endsAt: iso(r.ends_at),
      firstReceivedAt: iso(r.first_received_at) as string,
      lastReceivedAt: iso(r.last_received_at) as string,
      notifications: Number(r.notifications),
    }));
  }
}
