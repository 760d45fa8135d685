/**
 * The reconciler's contract: `reconcile` on task queue `orders`, started every `reconcile.intervalSeconds` by the
 * Temporal Schedule `reconcile` (Web UI → Schedules) or on demand (`bin/doos reconcile --apply`, id
 * `reconcile:manual-<uuid>`). Sandbox-safe.
 */
import { defineWorkflow } from '../lib/temporal/workflow-contract';
import type { FindingKind } from '../lib/reconcile/findings';

export interface ReconcileInput {
  /** False: find only (nothing is changed or audited). */
  apply: boolean;
}

export interface ReconcileResult {
  found: number;
  repaired: number;
  failed: number;
  byKind: Partial<Record<FindingKind, number>>;
}

export type ReconcileWorkflow = (input: ReconcileInput) => Promise<ReconcileResult>;

/** The id of a run started by hand; the schedule's runs get ids from the schedule (`reconcile-<time>`). */
export const reconcileWorkflow = defineWorkflow<ReconcileWorkflow, string>({
  workflowType: 'reconcile',
  taskQueue: 'orders',
  workflowId: (key) => `reconcile:${key}`,
});

/** The schedule's id, one per namespace. */
export const RECONCILE_SCHEDULE_ID = 'reconcile';
