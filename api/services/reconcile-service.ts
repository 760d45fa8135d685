/**
 * The reconciler for operators: what a run would find now (read-only, computed here), a run that repairs (the
 * `reconcile` workflow started on demand, answered when it ends), and the audit of past repairs.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../../lib/config';
import type { SqlPool } from '../../lib/db/sql-pool';
import { AppError } from '../../lib/errors';
import { findAll, type Finding, type FindingDeps } from '../../lib/reconcile/findings';
import { startWorkflow } from '../../lib/temporal/workflows';
import { reconcileWorkflow, type ReconcileResult } from '../../workflows/reconcile-definitions';
import { withDeadline } from '../../lib/time-limit';

export interface AuditRow {
  runId: string;
  kind: string;
  shard: number | null;
  orderId: string | null;
  subject: string;
  finding: string;
  action: string;
  outcome: string;
  error: string | null;
  at: string;
}

/** How long POST /v1/admin/reconcile waits for its run before answering 503 (the run goes on). */
const RUN_ANSWER_MS = 60_000;

export class ReconcileService {
  constructor(
    private readonly deps: {
      find: FindingDeps;
      inventory: SqlPool;
      temporal: Client;
      taskQueues: Config['temporal']['taskQueues'];
    },
  ) {}

  /** What a run would repair now; nothing is changed. */
  findings(): Promise<Finding[]> {
    return findAll(this.deps.find);
  }

  /** Runs the reconciler with repairs and answers its result. */
  async run(): Promise<{ workflowId: string; result: ReconcileResult }> {
    const key = `manual-${randomUUID()}`;
    const handle = await startWorkflow(this.deps.temporal, this.deps.taskQueues, reconcileWorkflow, key, {
      args: [{ apply: true }],
    });
    const result = await withDeadline(
      handle.result(),
      RUN_ANSWER_MS,
      () =>
        new AppError('SERVICE_UNAVAILABLE', 'the reconcile run has not ended yet (is the order worker running?)', {
          workflowId: handle.workflowId,
        }),
    );
    return { workflowId: handle.workflowId, result };
  }

  /** The latest repairs, newest first. */
  async audit(limit: number): Promise<AuditRow[]> {
    const rows = await this.deps.inventory.rows<{
      run_id: string;
      kind: string;
      shard: number | null;
      order_id: bigint | null;
      subject: string;
      finding: string;
      action: string;
      outcome: string;
      error: string | null;
      created_at: string;
    }>(
      `SELECT run_id, kind, shard, order_id, subject, finding, action, outcome, error, created_at
       FROM t_reconcile_audit ORDER BY id DESC LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({
      runId: r.run_id,
      kind: r.kind,
      shard: r.shard,
      orderId: r.order_id === null ? null : r.order_id.toString(),
      subject: r.subject,
      finding: r.finding,
      action: r.action,
      outcome: r.outcome,
      error: r.error,
      at: `${r.created_at.replace(' ', 'T')}Z`,
    }));
  }
}
