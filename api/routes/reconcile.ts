/** Operator routes over the reconciler: what it would repair now, a run that repairs, and the audit of repairs. */
import { route, type RouteSpec } from '../route';
import { reconcileAudit, reconcileFindings, reconcileRun } from '../responses';
import type { ReconcileService } from '../services/reconcile-service';
import { intParam } from '../validation';
import { z } from '../zod';

export function reconcileRoutes(reconcile: ReconcileService): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/admin/reconcile',
      tag: 'ops',
      summary: 'what the reconciler would repair now (a dry run: nothing is changed)',
      responses: { 200: { description: 'findings', schema: reconcileFindings } },
      handle: async () => ({ body: { findings: await reconcile.findings() } }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/reconcile',
      tag: 'ops',
      summary: 'run the reconciler with repairs now (the reconcile workflow), answered when it ends',
      responses: { 200: { description: 'the run and what it did', schema: reconcileRun } },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async () => ({ body: await reconcile.run() }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/reconcile/audit',
      tag: 'ops',
      summary: 'the latest repairs of the reconciler (t_reconcile_audit), newest first',
      query: z.object({ limit: intParam(1, 1000).default(50) }).strict(),
      responses: { 200: { description: 'repairs', schema: reconcileAudit } },
      handle: async ({ query }) => ({ body: { items: await reconcile.audit(query.limit) } }),
    }),
  ];
}
