/**
 * What "stuck" means for an order saga — each kind one visibility query (the Temporal Web UI's search box and
 * `temporal workflow list --query` take the same text), except a failing workflow task, which Temporal 1.29's
 * visibility cannot see: it is found by describing running sagas (their pending workflow task's attempt).
 *
 * - compensation-parked: a compensation failed its attempts; the saga waits for `retryCompensation`.
 * - creating-too-long: still reserving or creating (OrderStatus RESERVING) after order.stuck.creatingSeconds.
 * - activity-retrying: an activity has failed order.stuck.attempts times in a row (reported by the worker).
 * - workflow-task-failing: the workflow's own code fails (e.g. a non-determinism error after a deploy).
 * - closed-not-final: the saga is closed (terminated, failed, timed out) while the order's last status was not final;
 *   listed when the order row is not final either (the reconciler settles unpaid ones).
 */
import { orderSagaWorkflow } from '../../workflows/order-saga-definitions';

export const STUCK_KINDS = [
  'compensation-parked',
  'creating-too-long',
  'activity-retrying',
  'workflow-task-failing',
  'closed-not-final',
] as const;
export type StuckKind = (typeof STUCK_KINDS)[number];

export interface StuckSettings {
  creatingSeconds: number;
  attempts: number;
}

/** Statuses after which nothing more happens to an order. */
export const FINAL_ORDER_STATUSES: readonly string[] = ['COMPLETED', 'CANCELLED', 'REJECTED'];

const SAGAS = `WorkflowType = '${orderSagaWorkflow.workflowType}'`;
const RUNNING = `${SAGAS} AND ExecutionStatus = 'Running'`;

/** The visibility query of each kind that has one, as of `now`. */
export function stuckQueries(
  settings: StuckSettings,
  now: Date,
): Record<Exclude<StuckKind, 'workflow-task-failing'>, string> {
  const creatingSince = new Date(now.getTime() - settings.creatingSeconds * 1000).toISOString();
  return {
    'compensation-parked': `${RUNNING} AND OrderStatus = 'COMPENSATION_FAILED'`,
    'creating-too-long': `${RUNNING} AND OrderStatus = 'RESERVING' AND StartTime < '${creatingSince}'`,
    'activity-retrying': `${RUNNING} AND RetryingAttempt >= ${settings.attempts}`,
    'closed-not-final': `${SAGAS} AND ExecutionStatus != 'Running' AND OrderStatus IN ('RESERVING', 'PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPENSATION_FAILED')`,
  };
}

/** Running sagas, newest first: the candidates a failing workflow task is looked for among. */
export const RUNNING_SAGAS = RUNNING;

/** The filters of `doos saga list` as one visibility query. */
export function sagaListQuery(filter: { status?: string; userId?: string; since?: Date }): string {
  return [
    SAGAS,
    ...(filter.status ? [`OrderStatus = '${filter.status}'`] : []),
    ...(filter.userId ? [`UserId = '${filter.userId}'`] : []),
    ...(filter.since ? [`StartTime >= '${filter.since.toISOString()}'`] : []),
  ].join(' AND ');
}
