/**
 * Workflow interceptors of every DOOS worker (lib/process/run-worker.ts registers this module): a workflow started for
 * an order request — its input names `correlationId` and `orderId` — puts both on every log line of the workflow and
 * sends the correlation id to each activity it schedules in the `correlation-id` header, where the activity's log
 * lines pick it up (lib/temporal/activity-log.ts). Headers are not part of the replayed commands: adding them changes
 * no history.
 */
import type {
  ActivityInput,
  LocalActivityInput,
  Next,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { correlationHeader, orderFieldsOf } from '../lib/temporal/correlation-header';

export const interceptors: WorkflowInterceptorsFactory = () => {
  let fields: { correlationId?: string; orderId?: string } = {};
  const withHeader = <T extends ActivityInput | LocalActivityInput>(input: T): T =>
    fields.correlationId
      ? { ...input, headers: { ...input.headers, ...correlationHeader(fields.correlationId) } }
      : input;
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
      fields = orderFieldsOf(input.args);
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => next(withHeader(input)),
    scheduleLocalActivity: (input, next) => next(withHeader(input)),
    getLogAttributes: (input, next) => next({ ...fields, ...input }),
  };
  return { inbound: [inbound], outbound: [outbound] };
};
