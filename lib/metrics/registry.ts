/** The Prometheus registry of a DOOS process, with Node's default metrics labelled by process name. */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ProcessMetrics {
  registry: Registry;
  /** HTTP request latency by method, route pattern and status code. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** A fresh registry (one per process, or per app instance in tests) with default and HTTP metrics. */
export function createProcessMetrics(processName: string): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/**
 * The counter `name` of a registry, created on first use: for counters several objects of one process share
 * (every RateLimit counts into rate_limited_total, every RedisFastPath into redis_unavailable_total).
 */
export function sharedCounter<L extends string>(
  registry: Registry,
  spec: { name: string; help: string; labelNames: readonly L[] },
): Counter<L> {
  return (
    (registry.getSingleMetric(spec.name) as Counter<L> | undefined) ?? new Counter({ ...spec, registers: [registry] })
  );
}
