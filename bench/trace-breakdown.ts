/**
 * Where the time of a POST /v1/orders goes, from the traces Zipkin holds for a stretch of a benchmark: each traced
 * order's wall time cut into the API before Temporal, Temporal's start of the workflow up to the first local activity,
 * each local activity (with its SQL and Redis time), the hop between them, the update's answer, and the API after it.
 */
import { loadConfig } from '../lib/config';
import { ms, summarize } from './lib/stats';

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  timestamp?: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
}

/** The segments of one order's POST, in milliseconds, in the order they happen. */
export const SEGMENTS = [
  'API before Temporal (auth, rate limit, guard)',
  'Temporal: update-with-start -> reserveStock runs',
  'reserveStock (local activity)',
  'Temporal: reserveStock done -> createOrder runs',
  'createOrder (local activity)',
  'Temporal: createOrder done -> update answered',
  'API after Temporal (reply)',
] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface OrderTrace {
  traceId: string;
  totalMs: number;
  segments: Record<Segment, number>;
  sqlMs: number;
  redisMs: number;
}

export interface TraceBreakdown {
  traces: OrderTrace[];
  /** Traces without every span a breakdown needs (a saga that failed, spans still buffered). */
  incomplete: number;
}

const SQL = /^(select|insert|update|delete|transaction)\b/;
const REDIS = /^(get|set|del|evalsha|eval|incr|expire|multi|exec|pttl|hget|hset|mget)$/;

const start = (s: ZipkinSpan): number => (s.timestamp ?? 0) / 1000;
const end = (s: ZipkinSpan): number => ((s.timestamp ?? 0) + (s.duration ?? 0)) / 1000;

/** Time in spans matching `pattern` whose parent does not match it too (a transaction's statements count once). */
function outermost(spans: ZipkinSpan[], pattern: RegExp): number {
  const byId = new Map(spans.map((s) => [s.id, s]));
  return spans
    .filter((s) => pattern.test(s.name ?? ''))
    .filter((s) => !(s.parentId && pattern.test(byId.get(s.parentId)?.name ?? '')))
    .reduce((sum, s) => sum + (s.duration ?? 0) / 1000, 0);
}

function orderTrace(spans: ZipkinSpan[]): OrderTrace | null {
  const find = (name: string): ZipkinSpan | undefined => spans.find((s) => s.name === name);
  const root = spans.find((s) => s.name === 'post /v1/orders' && s.localEndpoint?.serviceName === 'doos-api');
  const update = find('updatewithstartworkflow:created');
  const reserve = find('runactivity:reservestock');
  const create = find('runactivity:createorder');
  if (!root || !update || !reserve || !create) return null;
  const segments: Record<Segment, number> = {
    [SEGMENTS[0]]: start(update) - start(root),
    [SEGMENTS[1]]: start(reserve) - start(update),
    [SEGMENTS[2]]: end(reserve) - start(reserve),
    [SEGMENTS[3]]: start(create) - end(reserve),
    [SEGMENTS[4]]: end(create) - start(create),
    [SEGMENTS[5]]: end(update) - end(create),
    [SEGMENTS[6]]: end(root) - end(update),
  };
  const inRoot = spans.filter((s) => start(s) >= start(root) && end(s) <= end(root) + 1);
  return {
    traceId: root.traceId,
    totalMs: (root.duration ?? 0) / 1000,
    segments,
    sqlMs: outermost(inRoot, SQL),
    redisMs: outermost(inRoot, REDIS),
  };
}

/** The order traces Zipkin holds for POSTs that started between `from` and `to`. */
export async function orderTraces(from: Date, to: Date): Promise<TraceBreakdown> {
  const zipkin = new URL(loadConfig().tracing.zipkinUrl).origin;
  const query = new URLSearchParams({
    serviceName: 'doos-api',
    spanName: 'post /v1/orders',
    endTs: String(to.getTime() + 5_000),
    lookback: String(to.getTime() + 5_000 - from.getTime()),
    limit: '100000',
  });
  // Spans reach Zipkin in batches a second apart (lib/telemetry/tracer-provider.ts): give the last ones time.
  await new Promise((r) => setTimeout(r, 3_000));
  const res = await fetch(`${zipkin}/api/v2/traces?${query.toString()}`);
  if (!res.ok) throw new Error(`Zipkin answered ${res.status} for the order traces`);
  const traces = (await res.json()) as ZipkinSpan[][];
  const parsed = traces.map(orderTrace);
  return {
    traces: parsed.filter((t): t is OrderTrace => t !== null),
    incomplete: parsed.filter((t) => t === null).length,
  };
}

export function printTraceBreakdown(title: string, b: TraceBreakdown): void {
  const { traces } = b;
  console.log(
    `${title}: ${traces.length} traced orders${b.incomplete ? ` (${b.incomplete} incomplete left out)` : ''}`,
  );
  if (traces.length === 0) return;
  const total = summarize(traces.map((t) => t.totalMs));
  const meanTotal = traces.reduce((s, t) => s + t.totalMs, 0) / traces.length;
  console.log(`  ${'segment'.padEnd(50)} ${'mean'.padStart(9)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} share`);
  const row = (label: string, values: number[]): void => {
    const s = summarize(values);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const share = `${((mean / meanTotal) * 100).toFixed(0)} %`;
    console.log(
      `  ${label.padEnd(50)} ${ms(mean).padStart(9)} ${ms(s.p50).padStart(9)} ${ms(s.p99).padStart(9)} ${share.padStart(5)}`,
    );
  };
  for (const segment of SEGMENTS)
    row(
      segment,
      traces.map((t) => t.segments[segment]),
    );
  row(
    'whole POST',
    traces.map((t) => t.totalMs),
  );
  row(
    '  of which SQL (both activities)',
    traces.map((t) => t.sqlMs),
  );
  row(
    '  of which Redis (API and activities)',
    traces.map((t) => t.redisMs),
  );
  const slowest = traces.reduce((a, t) => (t.totalMs > a.totalMs ? t : a));
  const parts = SEGMENTS.map((s) => ms(slowest.segments[s])).join(' + ');
  console.log(`  slowest traced POST ${ms(slowest.totalMs)} (p99 of traced ${ms(total.p99)}): ${parts}`);
  console.log(`    trace ${slowest.traceId} (Zipkin: /zipkin/traces/${slowest.traceId})`);
}
