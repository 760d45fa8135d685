/**
 * The Temporal Schedule that runs the reconciler (`reconcile` in the Web UI's Schedules page): created by the order
 * worker at boot, or brought in line with the configuration when it exists (interval, task queue). Overlapping runs
 * are skipped; a run missed while the server was down is not made up.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config';
import {
  RECONCILE_SCHEDULE_ID,
  reconcileWorkflow,
  type ReconcileWorkflow,
} from '../../workflows/reconcile-definitions';

export async function ensureReconcileSchedule(client: Client, config: Config): Promise<'created' | 'updated'> {
  const spec = { intervals: [{ every: `${config.reconcile.intervalSeconds} seconds` }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: reconcileWorkflow.workflowType,
    taskQueue: config.temporal.taskQueues[reconcileWorkflow.taskQueue],
    workflowId: reconcileWorkflow.workflowId('scheduled'),
    args: [{ apply: true }] as Parameters<ReconcileWorkflow>,
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };
  try {
    await client.schedule.create({ scheduleId: RECONCILE_SCHEDULE_ID, spec, action, policies });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(RECONCILE_SCHEDULE_ID).update((previous) => ({
      ...previous,
      spec,
      action,
      policies: { ...previous.policies, ...policies },
    }));
    return 'updated';
  }
}
