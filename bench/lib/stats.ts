/** Latency and throughput figures for benchmarks. */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of latencies in milliseconds. */
export function summarize(latenciesMs: number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

export const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** Latencies and failures of the calls a load loop made. */
class Recorder {
  readonly latencies: number[] = [];
  failures = 0;

  /** Runs one call, recording how long it took and whether it succeeded (a throw counts as a failure). */
  async call(task: (i: number) => Promise<boolean>, i: number): Promise<void> {
    const s = performance.now();
    const ok = await task(i).catch(() => false);
    this.latencies.push(performance.now() - s);
    if (!ok) this.failures++;
  }
}

/** Runs `task` `total` times with at most `concurrency` in flight; returns each call's latency and the wall time. */
export async function closedLoop(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<boolean>,
): Promise<{ latencies: number[]; failures: number; seconds: number }> {
  const rec = new Recorder();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await rec.call(task, next++);
    }),
  );
  return { latencies: rec.latencies, failures: rec.failures, seconds: (performance.now() - t0) / 1000 };
}

/** Starts `task` at a fixed rate for `seconds` (open loop: a slow answer does not slow the arrivals). */
export async function openLoop(
  ratePerSecond: number,
  seconds: number,
  task: (i: number) => Promise<boolean>,
): Promise<{ latencies: number[]; failures: number; sent: number }> {
  const rec = new Recorder();
  const total = Math.round(ratePerSecond * seconds);
  const interval = 1000 / ratePerSecond;
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(rec.call(task, i));
  }
  await Promise.all(inFlight);
  return { latencies: rec.latencies, failures: rec.failures, sent: total };
}
