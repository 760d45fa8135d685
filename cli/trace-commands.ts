/** `doos trace <correlationId|orderId|orderNo>`: the timed path of an order through every process of DOOS. */
import type { OrderTrace } from '../api/services/trace-service';
import { api, table, UsageError, type ApiBase } from './output';

export const TRACE_USAGE = `  doos trace <correlationId|orderId|orderNo>
                                        each step of the order's path (API, saga, outbox, Kafka, consumer,
                                        index) with its time, offset from the first step and duration since the last`;

const ms = (n: number): string => `${n >= 0 ? '+' : ''}${n} ms`;

/** One order's steps as a table, each with its offset from the first step and the time since the step before. */
export function traceTable(trace: OrderTrace): string {
  const first = trace.steps.length > 0 ? Date.parse(trace.steps[0]!.at) : 0;
  let previous = first;
  const rows = trace.steps.map((s) => {
    const at = Date.parse(s.at);
    const row = [s.at, ms(at - first), ms(at - previous), s.process, s.step, s.correlationId ?? '', s.detail ?? ''];
    previous = at;
    return row;
  });
  return table([['AT', 'OFFSET', 'SINCE LAST', 'PROCESS', 'STEP', 'CORRELATION ID', 'DETAIL'], ...rows]);
}

export async function traceCommand(base: ApiBase, ref: string | undefined): Promise<void> {
  if (!ref) throw new UsageError('doos trace needs a correlation id, an order id or an order number');
  const { orders } = (await api(base, 'GET', `/v1/admin/trace/${encodeURIComponent(ref)}`)) as {
    orders: OrderTrace[];
  };
  for (const trace of orders) {
    console.log(
      `order ${trace.orderId} (shard ${trace.shard}) ${trace.status}, placed by request ${trace.correlationId ?? '?'}`,
    );
    console.log(traceTable(trace));
    const { search } = trace;
    console.log(
      search.indexed
        ? `search document: ${search.status ?? '?'}, ${search.matchesRow ? 'matches the row' : 'DIFFERS from the row'}`
        : 'search document: not indexed',
    );
    const total = trace.steps.length > 1 ? Date.parse(trace.steps.at(-1)!.at) - Date.parse(trace.steps[0]!.at) : 0;
    console.log(`${trace.steps.length} step(s) over ${total} ms\n`);
  }
}
