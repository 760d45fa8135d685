/** One step of an order's path through DOOS, as `doos trace` prints it. */
export interface TraceStep {
  /** When it happened (ISO 8601). */
  at: string;
  /** The process that did it: api, order-worker, relay-worker, inventory-consumer, cdc-worker, or operator. */
  process: string;
  step: string;
  /** The request that caused it, where the record says. */
  correlationId?: string;
  detail?: string;
}

/** Steps in time order (stable: steps at the same instant keep the order they were found in). */
export function inTimeOrder(steps: TraceStep[]): TraceStep[] {
  return steps
    .map((s, i) => ({ s, i, t: Date.parse(s.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ s }) => s);
}
