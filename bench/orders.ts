/**
 * Order benchmark: N orders at concurrency C through HTTP against the real API and order worker processes, the
 * baseline (a no-op workflow with the same two activities and update, on the same Temporal server) at the same N and
 * C, then POST latency in an open loop at 70 % of the measured maximum rate.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { loadConfig } from '../lib/config';
import { createTemporalClient } from '../lib/temporal/connection';
import { baselineCreated, type baselineWorkflow } from './baseline-workflow';
import { promoteTo, signUp } from './lib/accounts';
import { freePort, startProcess } from './lib/processes';
import { closedLoop, ms, openLoop, summarize, type LatencySummary } from './lib/stats';

export interface OrderBenchResult {
  orders: number;
  concurrency: number;
  ordersPerSecond: number;
  failures: number;
  latency: LatencySummary;
  baselinePerSecond: number;
  ratioToBaseline: number;
  at70: { rate: number; latency: LatencySummary; failures: number };
  /** When the measured closed loop and the 70 % open loop ran, for figures taken from their rows (relay lag). */
  phases: { measured: Phase; at70: Phase };
}

export interface Phase {
  from: Date;
  to: Date;
}

const SKUS = 50;
/** Buyers the benchmark's orders are spread over. */
const BUYERS = 64;
const BENCH_PAYMENT_TIMEOUT_SECONDS = 120;

/** The real API and order worker processes of a benchmark run, with its SKUs seeded. */
export interface OrderProcesses {
  base: string;
  /** Places one order of one random SKU for a new user; its id, or null when the API refused. */
  place(): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startOrderProcesses(run: string): Promise<OrderProcesses> {
  const apiPort = await freePort();
  const workerPort = await freePort();
  const env = {
    DOOS_API_PORT: String(apiPort),
    DOOS_METRICS_ORDERS_WORKER_PORT: String(workerPort),
    DOOS_TEMPORAL_TASK_QUEUES_ORDERS: `orders-bench-${run}`,
    // Benchmark orders are never paid: a short timeout lets their sagas (and the baseline's) end soon after the run.
    DOOS_ORDER_PAYMENT_TIMEOUT_SECONDS: String(BENCH_PAYMENT_TIMEOUT_SECONDS),
  };
  const base = `http://127.0.0.1:${apiPort}`;
  const api = await startProcess('api/server.ts', env, `${base}/health`);
  const worker = await startProcess('workers/order-worker.ts', env, `http://127.0.0.1:${workerPort}/health`);
  const admin = await signUp(base, undefined, promoteTo(loadConfig(), 'admin'));
  // Buyers as a shop has them: many, each with a token; every checkout carries an Idempotency-Key.
  const buyers = await Promise.all(Array.from({ length: BUYERS }, () => signUp(base)));
  const productId = 9_000_000_000 + (Date.now() % 1_000_000_000);
  for (let s = 1; s <= SKUS; s++) {
    const res = await fetch(`${base}/v1/admin/inventory/${productId}/${s}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...admin.headers },
      body: JSON.stringify({ name: `Bench SKU ${s}`, price: `${s}.99`, stock: 10_000_000 }),
    });
    if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
  }
  let next = 0;
  return {
    base,
    async place() {
      const sku = 1 + Math.floor(Math.random() * SKUS);
      const buyer = buyers[next++ % buyers.length]!;
      const res = await fetch(`${base}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...buyer.headers },
        body: JSON.stringify({
          items: [{ productId: String(productId), skuId: String(sku), quantity: 1 }],
          shippingAddress: { name: 'Bench', phone: '13800000000', detail: 'Loopback 1' },
          paymentMethod: 'alipay',
        }),
      });
      const body = (await res.json().catch(() => ({}))) as { orderId?: string };
      return res.status === 201 ? (body.orderId ?? null) : null;
    },
    async stop() {
      await worker.stop();
      await api.stop();
    },
  };
}

export async function benchOrders(
  processes: OrderProcesses,
  total: number,
  concurrency: number,
  run: string,
): Promise<OrderBenchResult> {
  const place = async (): Promise<boolean> => (await processes.place()) !== null;
  await closedLoop(Math.min(100, total), concurrency, place); // warm-up: JIT, pools, workflow caches
  const measuredFrom = new Date();
  const measured = await closedLoop(total, concurrency, place);
  const measuredTo = new Date();
  const ordersPerSecond = (total - measured.failures) / measured.seconds;

  const baselinePerSecond = await benchBaseline(total, concurrency, BENCH_PAYMENT_TIMEOUT_SECONDS, run);

  const rate = Math.max(1, Math.round(ordersPerSecond * 0.7));
  const at70From = new Date();
  const at70 = await openLoop(rate, 15, place);
  const at70To = new Date();
  return {
    orders: total,
    concurrency,
    ordersPerSecond,
    failures: measured.failures,
    latency: summarize(measured.latencies),
    baselinePerSecond,
    ratioToBaseline: ordersPerSecond / baselinePerSecond,
    at70: { rate, latency: summarize(at70.latencies), failures: at70.failures },
    phases: { measured: { from: measuredFrom, to: measuredTo }, at70: { from: at70From, to: at70To } },
  };
}

async function benchBaseline(total: number, concurrency: number, waitSeconds: number, run: string): Promise<number> {
  const config = loadConfig();
  const healthPort = await freePort();
  const taskQueue = `bench-baseline-${run}`;
  const worker = await startProcess(
    'bench/baseline-worker.ts',
    { BENCH_TASK_QUEUE: taskQueue, BENCH_HEALTH_PORT: String(healthPort) },
    `http://127.0.0.1:${healthPort}/`,
  );
  const client = await createTemporalClient(config);
  try {
    const start = async (i: number): Promise<boolean> => {
      const op = new WithStartWorkflowOperation<typeof baselineWorkflow>('baselineWorkflow', {
        workflowId: `bench-baseline-${run}-${i}`,
        taskQueue,
        args: [String(i), waitSeconds],
        workflowIdConflictPolicy: 'FAIL',
      });
      await client.workflow.executeUpdateWithStart(baselineCreated, { startWorkflowOperation: op });
      return true;
    };
    await closedLoop(Math.min(100, total), concurrency, (i) => start(1_000_000 + i));
    const r = await closedLoop(total, concurrency, start);
    return (total - r.failures) / r.seconds;
  } finally {
    await client.connection.close();
    await worker.stop();
  }
}

export function printOrderBench(r: OrderBenchResult): void {
  console.log(`orders: ${r.orders} at concurrency ${r.concurrency}, ${r.failures} failed`);
  console.log(`  throughput          ${r.ordersPerSecond.toFixed(1)} orders/s`);
  console.log(
    `  POST /v1/orders     p50 ${ms(r.latency.p50)}  p95 ${ms(r.latency.p95)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}`,
  );
  console.log(
    `  baseline (no-op workflow, 2 local activities + update): ${r.baselinePerSecond.toFixed(1)} workflows/s`,
  );
  console.log(`  ratio to baseline   ${(r.ratioToBaseline * 100).toFixed(1)} %`);
  console.log(
    `  at 70 % of max (${r.at70.rate}/s open loop, 15 s): p50 ${ms(r.at70.latency.p50)}  p95 ${ms(r.at70.latency.p95)}  p99 ${ms(r.at70.latency.p99)}, ${r.at70.failures} failed`,
  );
}
