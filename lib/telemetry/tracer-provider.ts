/**
 * The process's OpenTelemetry tracer provider: spans recorded in this process go in batches to Zipkin, W3C trace
 * context (`traceparent`) crosses HTTP, Temporal headers, outbox rows and Kafka headers, and the HTTP server/client
 * and Redis calls are instrumented. Started once, before the modules it patches are loaded (lib/telemetry/register.ts).
 * Without it (tracing disabled, or a test process) every tracer is OpenTelemetry's no-op one.
 */
import { context, trace, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Config } from '../config';

export interface ProcessTracing {
  serviceName: string;
  /** Sends what is still buffered; called when the process stops. */
  shutdown(): Promise<void>;
}

let started: ProcessTracing | null = null;

/** The tracing this process started, or null. */
export function processTracing(): ProcessTracing | null {
  return started;
}

/** Starts tracing for the process once; null when the configuration turns it off. */
export function startTracing(config: Config['tracing'], serviceName: string): ProcessTracing | null {
  if (started || !config.enabled) return started;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: serviceName });
  const spanProcessor = new BatchSpanProcessor(new ZipkinExporter({ url: config.zipkinUrl, serviceName }), {
    maxQueueSize: 8192,
    scheduledDelayMillis: 1000,
  });
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [spanProcessor],
  });
  provider.register(); // global provider, W3C trace context propagator, AsyncLocalStorage context manager
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not requests anyone follows; Zipkin's own intake is not traced (no loops).
        ignoreIncomingRequestHook: (req) => /^\/(health|ready|metrics)\b/.test(req.url ?? ''),
        ignoreOutgoingRequestHook: (req) => String(req.path ?? '').startsWith('/api/v2/spans'),
      }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  started = { serviceName, shutdown: () => provider.shutdown() };
  return started;
}

/** DOOS's own spans (SQL, outbox, Kafka, inventory). */
export function doosTracer(): Tracer {
  return trace.getTracer('doos');
}

/**
 * Runs `work` with tracing suppressed: for the relay's and the CDC tail's minute-long polling loops, whose every
 * statement would otherwise be a span of one endless trace. Spans started with an explicit parent (the relay's
 * publish spans continue each row's own trace) are still recorded.
 */
export function untraced<T>(work: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), work);
}
