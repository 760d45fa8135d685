/**
 * The header that carries a request's correlation id from a workflow to the activities it schedules
 * (workflows/correlation-interceptors.ts sets it, lib/temporal/activity-log.ts reads it), so an activity's log lines
 * name the request that caused its work. Plain JSON through the default payload converter: it is no secret, and
 * headers do not pass through the payload codec.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';

export const CORRELATION_HEADER = 'correlation-id';

/**
 * The header in which @temporalio/interceptors-opentelemetry carries a W3C trace context (its TRACE_HEADER; a unit
 * test keeps the two equal): the client interceptor writes it on a workflow start, update or signal, the activity
 * interceptor continues the trace it names. Workflows forward it as it came (workflows/correlation-interceptors.ts).
 */
export const TRACE_CONTEXT_HEADER = '_tracer-data';

export function correlationHeader(correlationId: string): Record<string, Payload> {
  return { [CORRELATION_HEADER]: defaultPayloadConverter.toPayload(correlationId) };
}

/** The correlation id a set of headers carries, if any. */
export function correlationIdOf(headers: Record<string, Payload | undefined>): string | undefined {
  const payload = headers[CORRELATION_HEADER];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : undefined;
}

type OrderArgument = {
  correlationId?: unknown;
  orderId?: unknown;
  order?: { orderId?: unknown; correlationId?: unknown };
  request?: { correlationId?: unknown };
};

/**
 * The correlation id and order id a workflow's or an activity's first argument names, if it is about an order: its
 * own `orderId` / `correlationId`, a transition's `request.correlationId`, a new order's `order.*`.
 */
export function orderFieldsOf(args: readonly unknown[]): { correlationId?: string; orderId?: string } {
  const first = args[0] as OrderArgument | undefined;
  if (typeof first !== 'object' || first === null) return {};
  const orderId = first.orderId ?? first.order?.orderId;
  const correlationId = first.request?.correlationId ?? first.correlationId ?? first.order?.correlationId;
  return {
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
    ...(typeof orderId === 'string' ? { orderId } : {}),
  };
}
