/**
 * The audit log of admin and operator acts (t_audit in the accounts database): written by the access middleware
 * after each act is answered (api/access.ts), read by GET /v1/admin/audit and `bin/doos audit`.
 */
import type { Principal } from '../auth/roles';
import { fromSqlDateTime, type SqlPool, type SqlValue } from '../db/sql-pool';

/** One act as the access middleware saw it. */
export interface AuditedAct {
  actor: Principal;
  /** The route, as `METHOD path`. */
  action: string;
  /** The request's URL. */
  target: string;
  /** Its body (secrets are removed before it is stored). */
  detail: unknown;
  /** The HTTP status it was answered with. */
  outcome: number;
  ip: string;
  userAgent: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { userId: string; username: string; role: string };
  action: string;
  target: string;
  detail: unknown;
  outcome: number;
  ip: string;
  userAgent: string;
}

export interface AuditFilter {
  actorId?: bigint;
  action?: string;
  page: number;
  pageSize: number;
}

interface AuditRow {
  id: bigint;
  at: string;
  actor_id: bigint;
  actor_name: string;
  actor_role: string;
  action: string;
  target: string;
  detail: string;
  outcome: number;
  ip: string;
  user_agent: string;
}

/** Body fields an audit entry never keeps, whatever route they came in on. */
const SECRET_FIELDS = /password|token|secret/i;

function withoutSecrets(detail: unknown): string {
  return JSON.stringify(detail ?? null, (key, value: unknown) =>
    SECRET_FIELDS.test(key) ? '[redacted]' : typeof value === 'bigint' ? value.toString() : value,
  ).slice(0, 60_000);
}

export class AuditLog {
  constructor(private readonly db: SqlPool) {}

  async record(act: AuditedAct): Promise<void> {
    await this.db.write(
      `INSERT INTO t_audit (at, actor_id, actor_name, actor_role, action, target, detail, outcome, ip, user_agent)
       VALUES (UTC_TIMESTAMP(3), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        act.actor.userId,
        act.actor.username,
        act.actor.role,
        act.action,
        act.target,
        withoutSecrets(act.detail),
        act.outcome,
        act.ip,
        act.userAgent,
      ],
    );
  }

  /** Newest first. */
  async list(filter: AuditFilter): Promise<{ items: AuditEntry[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const values: SqlValue[] = [];
    if (filter.actorId !== undefined) {
      where.push('actor_id = ?');
      values.push(filter.actorId);
    }
    if (filter.action !== undefined) {
      where.push('action = ?');
      values.push(filter.action);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.db.rows<{ total: number | bigint }>(
      `SELECT COUNT(*) AS total FROM t_audit ${clause}`,
      values,
    );
    const rows = await this.db.rows<AuditRow>(
      `SELECT id, at, actor_id, actor_name, actor_role, action, target, detail, outcome, ip, user_agent
       FROM t_audit ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
      [...values, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id.toString(),
        at: fromSqlDateTime(r.at).toISOString(),
        actor: { userId: r.actor_id.toString(), username: r.actor_name, role: r.actor_role },
        action: r.action,
        target: r.target,
        detail: JSON.parse(r.detail) as unknown,
        outcome: r.outcome,
        ip: r.ip,
        userAgent: r.user_agent,
      })),
      total: Number(count?.total ?? 0),
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}
