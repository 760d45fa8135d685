/**
 * The few figures an operator watches, read from Prometheus' HTTP API (GET /api/v1/query): the ops console shows
 * them, since Grafana cannot be installed on our machines. Each is one PromQL expression over what the processes
 * export; a figure Prometheus has no samples for (nothing happened in the window) is null.
 */

export interface FigureSpec {
  name: string;
  unit: 'per second' | 'seconds' | 'messages' | 'rows';
  query: string;
}

export const FIGURES: readonly FigureSpec[] = [
  {
    name: 'orderRate',
    unit: 'per second',
    query: 'sum(rate(http_request_duration_seconds_count{method="POST",route="/v1/orders",status=~"2.."}[1m]))',
  },
  {
    name: 'postOrdersP99',
    unit: 'seconds',
    query:
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{method="POST",route="/v1/orders"}[5m])))',
  },
  {
    name: 'relayLagP99',
    unit: 'seconds',
    query: 'histogram_quantile(0.99, sum by (le) (rate(outbox_publish_lag_seconds_bucket[5m])))',
  },
  { name: 'outboxBacklog', unit: 'rows', query: 'sum(outbox_backlog)' },
  {
    name: 'cdcLagP99',
    unit: 'seconds',
    query: 'histogram_quantile(0.99, sum by (le) (rate(cdc_lag_seconds_bucket[5m])))',
  },
  { name: 'consumerLag', unit: 'messages', query: 'sum(consumer_lag_messages)' },
];

export interface Figure {
  name: string;
  unit: FigureSpec['unit'];
  /** null: no samples in the window (or NaN: no requests for a quantile). */
  value: number | null;
  query: string;
}

interface QueryAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { value: [number, string] }[] };
}

/** Every figure now; throws when Prometheus cannot be asked (the caller answers 503). */
export async function readFigures(prometheusUrl: string, timeoutMs = 3000): Promise<Figure[]> {
  return Promise.all(
    FIGURES.map(async (spec) => {
      const url = new URL('/api/v1/query', prometheusUrl);
      url.searchParams.set('query', spec.query);
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const body = (await res.json()) as QueryAnswer;
      if (body.status !== 'success') throw new Error(`Prometheus refused ${spec.name}: ${body.error ?? res.status}`);
      const raw = body.data?.result[0]?.value[1];
      const value = raw === undefined ? null : Number(raw);
      return { ...spec, value: value === null || Number.isNaN(value) ? null : value };
    }),
  );
}
