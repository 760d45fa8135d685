/**
 * reconcile: one pass of the reconciler — find (one activity over every shard and the inventory DB), then, when
 * asked to, repair in chunks (each chunk one activity that audits every repair). A failed pass is not retried at
 * length: the schedule's next run starts from a fresh look.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconcileActivities } from '../activities/reconcile-activities';
import type { ReconcileInput, ReconcileResult } from './reconcile-definitions';

const activities = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

const CHUNK = 50;

export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  const findings = await activities.reconcileFind();
  const result: ReconcileResult = { found: findings.length, repaired: 0, failed: 0, byKind: {} };
  for (const f of findings) result.byKind[f.kind] = (result.byKind[f.kind] ?? 0) + 1;
  if (!input.apply) return result;
  const { workflowId, runId } = workflowInfo();
  for (let i = 0; i < findings.length; i += CHUNK) {
    const done = await activities.reconcileRepair({
      runId: `${workflowId}/${runId}`,
      findings: findings.slice(i, i + CHUNK),
    });
    result.repaired += done.repaired;
    result.failed += done.failed;
  }
  return result;
}
