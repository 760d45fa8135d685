/**
 * OpenTelemetry across Temporal (@temporalio/interceptors-opentelemetry): a client puts the caller's trace context
 * in the headers of the workflows it starts and the updates and signals it sends; workflows forward it to the
 * activities they schedule (workflows/correlation-interceptors.ts), and each activity runs in a span of the caller's
 * trace. Nothing is recorded inside the workflow sandbox (that file says why). Without process tracing the client
 * interceptor records on OpenTelemetry's no-op tracer and workers add nothing.
 */
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { ProcessTracing } from './tracer-provider';

/** The client interceptors of every DOOS Temporal client. */
export function tracingClientInterceptors(): WorkflowClientInterceptor[] {
  return [new OpenTelemetryWorkflowClientInterceptor()];
}

/** The activity interceptors a worker adds to trace its activities; none when the process does not trace. */
export function activityTracing(tracing: ProcessTracing | null): ActivityInterceptorsFactory[] {
  if (!tracing) return [];
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
  ];
}
