/**
 * Workflow interceptors of every DOOS worker (lib/process/run-worker.ts registers this module): a workflow started for
 * an order request — its input names `correlationId` and `orderId` — puts both on every log line of the workflow and
 * sends the correlation id to each activity it schedules in the `correlation-id` header, where the activity's log
 * lines pick it up (lib/temporal/activity-log.ts). Headers are not part of the replayed commands: adding them changes
 * no history.
 *
 * The trace context works the same way: the one the latest start, update or signal brought (the caller's span) goes
 * to each activity scheduled after it, whose span (lib/telemetry/temporal-tracing.ts) joins the caller's trace. No
 * span is recorded inside the workflow: OpenTelemetry's workflow interceptors cost a saga about a quarter of its
 * workflow CPU and ~2 MB of memory per cached workflow, which made every activation slower as sagas waited for
 * payment (docs/architecture.md "Performance").
 */
import type { Payload } from '@temporalio/common';
import type {
  ActivityInput,
  LocalActivityInput,
  Next,
  SignalInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { correlationHeader, orderFieldsOf, TRACE_CONTEXT_HEADER } from '../lib/temporal/correlation-header';

export const interceptors: WorkflowInterceptorsFactory = () => {
  let fields: { correlationId?: string; orderId?: string } = {};
  let traceContext: Payload | undefined;
  const heard = (headers: Record<string, Payload>): void => {
    traceContext = headers[TRACE_CONTEXT_HEADER] ?? traceContext;
  };
  const withHeaders = <T extends ActivityInput | LocalActivityInput>(input: T): T => ({
    ...input,
    headers: {
      ...input.headers,
      ...(fields.correlationId ? correlationHeader(fields.correlationId) : {}),
      ...(traceContext && !input.headers[TRACE_CONTEXT_HEADER] ? { [TRACE_CONTEXT_HEADER]: traceContext } : {}),
    },
  });
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
      fields = orderFieldsOf(input.args);
      heard(input.headers);
      return next(input);
    },
    handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>) {
      heard(input.headers);
      return next(input);
    },
    handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) {
      heard(input.headers);
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => next(withHeaders(input)),
    scheduleLocalActivity: (input, next) => next(withHeaders(input)),
    getLogAttributes: (input, next) => next({ ...fields, ...input }),
  };
  return { inbound: [inbound], outbound: [outbound] };
};
