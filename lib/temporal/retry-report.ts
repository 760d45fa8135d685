/**
 * Activity interceptor of every DOOS worker: an activity of an order saga that has failed `attempts` times in a row
 * (order.stuck.attempts) tells its saga so after each further failure (the activityRetrying signal, through the
 * worker's own client), and the saga shows it in search attributes until a step completes — so
 * `RetryingAttempt >= <attempts>` lists every saga held by a failing activity, local activities included (the server
 * knows nothing of their attempts). A report that cannot be sent is dropped: the next failure sends another.
 */
import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { activityRetryingSignal, orderSagaWorkflow } from '../../workflows/order-saga-definitions';

export function retryReportInterceptors(attempts: number): ActivityInterceptorsFactory {
  return (ctx: Context) => ({
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          const { attempt, workflowType, workflowExecution, activityType } = ctx.info;
          const final = err instanceof ApplicationFailure && err.nonRetryable;
          if (!final && workflowExecution && workflowType === orderSagaWorkflow.workflowType && attempt >= attempts) {
            await report(ctx, workflowExecution.workflowId, {
              activityType,
              attempt,
              error: ((err as Error).message ?? String(err)).slice(0, 500),
            });
          }
          throw err;
        }
      },
    },
  });
}

async function report(
  ctx: Context,
  workflowId: string,
  retrying: { activityType: string; attempt: number; error: string },
): Promise<void> {
  try {
    await ctx.client.workflow.getHandle(workflowId).signal(activityRetryingSignal, retrying);
  } catch (err) {
    ctx.log.warn('could not report a failing activity to its saga', { error: (err as Error).message });
  }
}
