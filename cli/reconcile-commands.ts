/** `doos reconcile [--apply]` and `doos reconcile audit`: what the reconciler finds, a run that repairs, its audit. */
import type { Finding } from '../lib/reconcile/findings';
import type { AuditRow } from '../api/services/reconcile-service';
import type { ReconcileResult } from '../workflows/reconcile-definitions';
import { api, table, UsageError, type ApiBase } from './output';

export const RECONCILE_USAGE = `  doos reconcile [--apply]              findings (dry run); --apply repairs them and prints the run
  doos reconcile audit [--limit N]      the latest repairs, newest first`;

export interface ReconcileOptions {
  apply?: boolean;
  limit?: string;
}

function findingsTable(findings: Finding[]): string {
  return table([
    ['KIND', 'SHARD', 'ORDER', 'SUBJECT', 'FINDING', 'REPAIR'],
    ...findings.map((f) => [
      f.kind,
      f.shard === null ? '-' : String(f.shard),
      f.orderId ?? '-',
      f.subject === f.orderId ? '' : f.subject,
      f.detail.slice(0, 80),
      f.repair,
    ]),
  ]);
}

export async function reconcileCommand(
  base: ApiBase,
  command: string | undefined,
  values: ReconcileOptions,
): Promise<void> {
  if (command === undefined) {
    if (values.apply) {
      const { workflowId, result } = (await api(base, 'POST', '/v1/admin/reconcile')) as {
        workflowId: string;
        result: ReconcileResult;
      };
      const kinds = Object.entries(result.byKind).map(([k, n]) => `${k} ${n}`);
      console.log(`run ${workflowId}: ${result.found} found (${kinds.join(', ') || 'nothing'})`);
      console.log(`${result.repaired} repaired, ${result.failed} failed; details: doos reconcile audit`);
      if (result.failed > 0) process.exitCode = 1;
      return;
    }
    const { findings } = (await api(base, 'GET', '/v1/admin/reconcile')) as { findings: Finding[] };
    if (findings.length > 0) console.log(findingsTable(findings));
    console.log(`${findings.length} finding(s); nothing was changed (--apply repairs them)`);
    return;
  }
  if (command === 'audit') {
    const q = new URLSearchParams();
    if (values.limit) q.set('limit', values.limit);
    const { items } = (await api(base, 'GET', `/v1/admin/reconcile/audit?${q.toString()}`)) as { items: AuditRow[] };
    console.log(
      table([
        ['AT', 'KIND', 'SHARD', 'ORDER', 'OUTCOME', 'ACTION', 'ERROR'],
        ...items.map((r) => [
          r.at,
          r.kind,
          r.shard === null ? '-' : String(r.shard),
          r.orderId ?? '-',
          r.outcome,
          r.action.slice(0, 60),
          (r.error ?? '').slice(0, 60),
        ]),
      ]),
    );
    console.log(`${items.length} repair(s)`);
    return;
  }
  throw new UsageError(`unknown reconcile command '${command}'`);
}
