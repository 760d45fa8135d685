/**
 * OpenTelemetry across Temporal (@temporalio/interceptors-opentelemetry): a client puts the caller's trace context
 * in the headers of the workflows it starts and the updates and signals it sends; the workflow's spans (its run, each
 * update, each activity and local activity it schedules) are recorded in the sandbox and exported through a sink to
 * the process's span processor; each activity runs in a span whose parent is the workflow's. Without process tracing
 * the client interceptor records on OpenTelemetry's no-op tracer and workers get nothing extra.
 */
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { ProcessTracing } from './tracer-provider';

/** The client interceptors of every DOOS Temporal client. */
export function tracingClientInterceptors(): WorkflowClientInterceptor[] {
  return [new OpenTelemetryWorkflowClientInterceptor()];
}

export interface WorkerTracing {
  workflowModules: string[];
  activity: ActivityInterceptorsFactory[];
  sinks: InjectedSinks<Record<string, never>> | Record<string, unknown>;
}

/** What a worker adds to trace its workflows and activities; nothing when the process does not trace. */
export function workerTracing(tracing: ProcessTracing | null): WorkerTracing {
  if (!tracing) return { workflowModules: [], activity: [], sinks: {} };
  return {
    workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    activity: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
