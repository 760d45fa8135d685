/**
 * Trace context across the outbox and Kafka. An outbox row keeps the trace context of the transaction that wrote it
 * (`currentTraceContext`); the relay publishes each row in a producer span continuing that trace and puts the span's
 * context in the record's `traceparent` header (`publishSpans`); a consumer handles a record in a consumer span whose
 * parent comes from that header (`inConsumerSpan`). Rows and records without a trace context make no spans.
 */
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { doosTracer } from './tracer-provider';

/**
 * The trace headers (`traceparent`) of the active span context — also after its span ended, as for a callback sent
 * later from a timer the request set — or none when nothing is traced here.
 */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  const active = trace.getSpanContext(context.active());
  if (active && isSpanContextValid(active)) propagation.inject(context.active(), carrier);
  return carrier;
}

/** The `traceparent` of the active span, or null when nothing is traced here. */
export function currentTraceContext(): string | null {
  return traceHeaders().traceparent ?? null;
}

export interface PublishedRecord {
  topic: string;
  messageId: string;
  traceContext: string | null;
  correlationId: string | null;
}

export interface PublishSpans {
  /** The trace headers of each record (empty for a record without a trace context). */
  headers: Record<string, string>[];
  /** Ends every span; an error marks them failed. */
  end(error?: unknown): void;
}

/** One producer span per record that has a trace context, started now. */
export function publishSpans(records: readonly PublishedRecord[]): PublishSpans {
  const spans: (Span | null)[] = records.map((r) => {
    if (!r.traceContext) return null;
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent: r.traceContext });
    return doosTracer().startSpan(
      `publish ${r.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': r.topic,
          'messaging.message.id': r.messageId,
          ...(r.correlationId ? { 'doos.correlation_id': r.correlationId } : {}),
        },
      },
      parent,
    );
  });
  const headers = spans.map((span) => {
    const carrier: Record<string, string> = {};
    if (span) propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
    return carrier;
  });
  return {
    headers,
    end(error?: unknown) {
      for (const span of spans) {
        if (!span) continue;
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error).message ?? error) });
        span.end();
      }
    },
  };
}

/** Runs `work` in a consumer span continuing the record's trace (a root span when the record has none). */
export async function inConsumerSpan<T>(
  topic: string,
  headers: IHeaders | undefined,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  const carrier: Record<string, string> = {};
  const traceparent = headers?.traceparent?.toString();
  if (traceparent) carrier.traceparent = traceparent;
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  const span = doosTracer().startSpan(
    `consume ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'kafka', 'messaging.source.name': topic, ...attributes },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
