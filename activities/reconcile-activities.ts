/**
 * The reconcile workflow's activities: find what nothing else will settle (lib/reconcile/findings.ts) and repair it
 * (lib/reconcile/repairs.ts), writing every repair — done or failed — to t_reconcile_audit and counting findings and
 * repairs in reconcile_findings_total / reconcile_repairs_total (alert DoosReconcilerRepaired).
 */
import { Counter, type Registry } from 'prom-client';
import type { SqlPool } from '../lib/db/sql-pool';
import { findAll, type Finding, type FindingDeps } from '../lib/reconcile/findings';
import { repair, type RepairDeps } from '../lib/reconcile/repairs';

export interface RepairInput {
  /** The run that repairs them (its workflow id and run id), written to the audit. */
  runId: string;
  findings: Finding[];
}

export interface RepairResult {
  repaired: number;
  failed: number;
}

export interface ReconcileActivityDeps {
  find: FindingDeps;
  repair: RepairDeps;
  /** The inventory DB, which holds t_reconcile_audit. */
  audit: SqlPool;
  registry: Registry;
}

export function createReconcileActivities(deps: ReconcileActivityDeps) {
  const findings = new Counter({
    name: 'reconcile_findings_total',
    help: 'What reconcile runs found that nothing else would settle, by kind',
    labelNames: ['kind'] as const,
    registers: [deps.registry],
  });
  const repairs = new Counter({
    name: 'reconcile_repairs_total',
    help: 'Repairs of the reconciler by kind and outcome (repaired, failed); each is a row of t_reconcile_audit',
    labelNames: ['kind', 'outcome'] as const,
    registers: [deps.registry],
  });

  async function reconcileFind(): Promise<Finding[]> {
    const found = await findAll(deps.find);
    for (const f of found) findings.inc({ kind: f.kind });
    return found;
  }

  async function reconcileRepair(input: RepairInput): Promise<RepairResult> {
    const result: RepairResult = { repaired: 0, failed: 0 };
    for (const f of input.findings) {
      let action: string;
      let error: string | null = null;
      try {
        action = await repair(deps.repair, f);
        result.repaired++;
      } catch (err) {
        action = f.repair;
        error = ((err as Error).message ?? String(err)).slice(0, 1000);
        result.failed++;
      }
      const outcome = error === null ? 'repaired' : 'failed';
      repairs.inc({ kind: f.kind, outcome });
      await deps.audit.write(
        `INSERT INTO t_reconcile_audit (run_id, kind, shard, order_id, subject, finding, action, outcome, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          input.runId,
          f.kind,
          f.shard,
          f.orderId === null ? null : BigInt(f.orderId),
          f.subject,
          f.detail.slice(0, 1000),
          action.slice(0, 255),
          outcome,
          error,
        ],
      );
    }
    return result;
  }

  return { reconcileFind, reconcileRepair };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
