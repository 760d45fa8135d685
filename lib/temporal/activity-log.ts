/**
 * Activity interceptors of every DOOS worker: each log line of an activity (the SDK's and the activity's own, which
 * already name the workflow, run and activity type) also names the order and the correlation id of the request that
 * caused the work — from the activity's input when it says (a transition's request), else from the `correlation-id`
 * header its workflow sent (workflows/correlation-interceptors.ts) — and each activity about a request logs one line
 * when it ends: `activity completed` (info) or `activity failed` (warn) with its attempt and duration. Activities of
 * the long-running loops (relay, CDC) name no request and log their ends at debug.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';
import { correlationIdOf, orderFieldsOf } from './correlation-header';

export const activityLogInterceptors: ActivityInterceptorsFactory = (ctx: Context) => {
  let fields: { correlationId?: string; orderId?: string } = {};
  return {
    inbound: {
      async execute(input, next) {
        const fromHeader = correlationIdOf(input.headers);
        fields = { ...(fromHeader ? { correlationId: fromHeader } : {}), ...orderFieldsOf(input.args) };
        const started = Date.now();
        const level = fields.correlationId ? 'info' : 'debug';
        try {
          const result = await next(input);
          ctx.log[level]('activity completed', { durationMs: Date.now() - started });
          return result;
        } catch (err) {
          ctx.log[fields.correlationId ? 'warn' : 'debug']('activity failed', {
            durationMs: Date.now() - started,
            error: (err as Error).message,
          });
          throw err;
        }
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next({ ...fields, attempt: ctx.info.attempt, ...input }),
    },
  };
};
