/**
 * Order benchmark: N orders at concurrency C through HTTP against the system's API and order worker (every process of
 * `make up` running), the baseline (a no-op workflow with the same two activities and update, on the same Temporal
 * server, with the same processes running) at the same N and C, then POST latency in an open loop at 70 % of the
 * measured maximum rate. The CPU every process used is measured in both loops.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { loadConfig } from '../lib/config';
import { createTemporalClient } from '../lib/temporal/connection';
import { baselineCreated, type baselineWorkflow } from './baseline-workflow';
import { promoteTo, signUp } from './lib/accounts';
import { printCpuReport, startCpuMeter, type CpuReport, type Measured } from './lib/cpu';
import { printRoundTrips, startRoundTripMeter, type RoundTrips } from './lib/round-trips';
import { freePort, startProcess } from './lib/processes';
import { BENCH_PAYMENT_TIMEOUT_SECONDS } from './lib/system';
import { closedLoop, ms, openLoop, summarize, type LatencySummary } from './lib/stats';

export interface OrderBenchResult {
  orders: number;
  concurrency: number;
  ordersPerSecond: number;
  failures: number;
  latency: LatencySummary;
  baselinePerSecond: number;
  ratioToBaseline: number;
  at70: { rate: number; seconds: number; latency: LatencySummary; failures: number };
  /** CPU per process in the measured closed loop, in the 70 % open loop and in the baseline's closed loop. */
  cpu: { measured: CpuReport; at70: CpuReport; baseline: CpuReport };
  /** Requests Redis, each MariaDB and the Temporal server answered in the measured closed loop and the baseline's. */
  roundTrips: { measured: RoundTrips; baseline: RoundTrips };
  /** When the measured closed loop and the 70 % open loop ran, for figures taken from their rows (relay lag). */
  phases: { measured: Phase; at70: Phase };
}

export interface Phase {
  from: Date;
  to: Date;
  /** The same bounds in µs of the machine's monotonic clock, the clock of V8's CPU profiles (BENCH_PROFILE). */
  ticks: [number, number];
}

/** Now on the monotonic clock every process of the machine shares, in µs (V8 profiles' sample times). */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const SKUS = 50;
/** Buyers the benchmark's orders are spread over. */
const BUYERS = 64;
/** Staff accounts the end-of-run cancellations are spread over (each is rate-limited like any admin). */
const CANCELLING_ADMINS = 8;
/** How long the open loop at 70 % of the maximum runs (BENCH_AT70_SECONDS). */
const AT70_SECONDS = Number(process.env.BENCH_AT70_SECONDS ?? 30);

/** A shop's buyers placing orders through the API at `base`, with the benchmark's SKUs seeded. */
export interface OrderClient {
  base: string;
  /** Places one order of one random SKU for one of the buyers; its id, or null when the API refused. */
  place(): Promise<string | null>;
  /** Cancels every order placed so far, as staff would (the sagas release the stock); the cancellations made. */
  cancelAll(): Promise<{ cancelled: number; failures: number; seconds: number }>;
}

export async function orderClient(base: string): Promise<OrderClient> {
  const admins = await Promise.all(
    Array.from({ length: CANCELLING_ADMINS }, () => signUp(base, undefined, promoteTo(loadConfig(), 'admin'))),
  );
  const admin = admins[0]!;
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
  const placed: string[] = [];
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
      if (res.status !== 201 || !body.orderId) return null;
      placed.push(body.orderId);
      return body.orderId;
    },
    async cancelAll() {
      const orders = placed.splice(0);
      const r = await closedLoop(orders.length, 16, async (i) => {
        const res = await fetch(`${base}/v1/admin/orders/${orders[i]!}/cancel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...admins[i % admins.length]!.headers },
          body: JSON.stringify({ reason: 'end of a benchmark run' }),
        });
        await res.body?.cancel();
        return res.status === 200;
      });
      return { cancelled: orders.length - r.failures, failures: r.failures, seconds: r.seconds };
    },
  };
}

/** `processes`: whose CPU the run measures (the stack's and the benchmark's own). */
export async function benchOrders(
  client: OrderClient,
  processes: Measured[],
  total: number,
  concurrency: number,
  run: string,
): Promise<OrderBenchResult> {
  const place = async (): Promise<boolean> => (await client.place()) !== null;
  await closedLoop(Math.min(100, total), concurrency, place); // warm-up: JIT, pools, workflow caches
  // The baseline first, on a quiet system: after the order run the relay, the CDC tail and Elasticsearch still work
  // through its rows for a while and would slow the baseline instead of the orders that caused the work.
  const baseline = await benchBaseline(processes, total, concurrency, BENCH_PAYMENT_TIMEOUT_SECONDS, run);
  const measuredFrom = new Date();
  const measuredFromTicks = monotonicUs();
  const measuredTrips = await startRoundTripMeter();
  const measuredCpu = startCpuMeter(processes);
  const measured = await closedLoop(total, concurrency, place);
  const measuredCpuReport = measuredCpu.stop();
  const measuredRoundTrips = await measuredTrips.stop();
  const measuredTo = new Date();
  const measuredToTicks = monotonicUs();
  const ordersPerSecond = (total - measured.failures) / measured.seconds;

  const rate = Math.max(1, Math.round(ordersPerSecond * 0.7));
  const at70From = new Date();
  const at70FromTicks = monotonicUs();
  const at70Cpu = startCpuMeter(processes);
  const at70 = await openLoop(rate, AT70_SECONDS, place);
  const at70CpuReport = at70Cpu.stop();
  const at70To = new Date();
  const at70ToTicks = monotonicUs();
  return {
    orders: total,
    concurrency,
    ordersPerSecond,
    failures: measured.failures,
    latency: summarize(measured.latencies),
    baselinePerSecond: baseline.perSecond,
    ratioToBaseline: ordersPerSecond / baseline.perSecond,
    at70: { rate, seconds: AT70_SECONDS, latency: summarize(at70.latencies), failures: at70.failures },
    cpu: { measured: measuredCpuReport, at70: at70CpuReport, baseline: baseline.cpu },
    roundTrips: { measured: measuredRoundTrips, baseline: baseline.roundTrips },
    phases: {
      measured: { from: measuredFrom, to: measuredTo, ticks: [measuredFromTicks, measuredToTicks] },
      at70: { from: at70From, to: at70To, ticks: [at70FromTicks, at70ToTicks] },
    },
  };
}

async function benchBaseline(
  processes: Measured[],
  total: number,
  concurrency: number,
  waitSeconds: number,
  run: string,
): Promise<{ perSecond: number; cpu: CpuReport; roundTrips: RoundTrips }> {
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
    const warmUp = Math.min(100, total);
    await closedLoop(warmUp, concurrency, (i) => start(1_000_000 + i));
    const trips = await startRoundTripMeter();
    const meter = startCpuMeter([...processes, { name: 'baseline worker', pid: worker.process.pid ?? 0 }]);
    const r = await closedLoop(total, concurrency, start);
    const cpu = meter.stop();
    const roundTrips = await trips.stop();
    // The baseline's workflows wait like unpaid orders; they have nothing to undo, so they end here.
    const ids = [
      ...Array.from({ length: warmUp }, (_, i) => 1_000_000 + i),
      ...Array.from({ length: total }, (_, i) => i),
    ];
    await closedLoop(ids.length, 16, async (i) => {
      await client.workflow.getHandle(`bench-baseline-${run}-${ids[i]!}`).terminate('end of a benchmark run');
      return true;
    });
    return { perSecond: (total - r.failures) / r.seconds, cpu, roundTrips };
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
    `  at 70 % of max (${r.at70.rate}/s open loop, ${r.at70.seconds} s): p50 ${ms(r.at70.latency.p50)}  p95 ${ms(r.at70.latency.p95)}  p99 ${ms(r.at70.latency.p99)}, ${r.at70.failures} failed`,
  );
  console.log('');
  const orders70 = r.at70.latency.count - r.at70.failures;
  printCpuReport(
    `CPU per process at max (closed loop, ${r.orders} orders)`,
    r.cpu.measured,
    r.orders - r.failures,
    'order',
  );
  console.log('');
  printCpuReport(`CPU per process at 70 % (open loop, ${orders70} orders)`, r.cpu.at70, orders70, 'order', 3);
  console.log('');
  printCpuReport(
    `CPU per process in the baseline (closed loop, ${r.orders} workflows)`,
    r.cpu.baseline,
    r.orders,
    'wf',
  );
  printRatioCeiling(r);
  console.log('');
  printRoundTrips('Requests at max (closed loop)', r.roundTrips.measured, r.orders - r.failures, 'order');
  printRoundTrips('Requests in the baseline (closed loop)', r.roundTrips.baseline, r.orders, 'workflow');
}

/**
 * While both closed loops keep the machine busy, the ratio comes to about baseline CPU per workflow / CPU per order:
 * prints both, the saga's own share (Temporal and the order worker) and how busy each loop kept the machine.
 */
function printRatioCeiling(r: OrderBenchResult): void {
  const perUnit = (report: CpuReport, units: number, names?: (name: string) => boolean) =>
    (report.processes.filter((p) => !names || names(p.name)).reduce((sum, p) => sum + p.seconds, 0) * 1000) / units;
  const order = perUnit(r.cpu.measured, r.orders - r.failures);
  const saga = perUnit(r.cpu.measured, r.orders - r.failures, (name) => SAGA_PROCESSES.includes(name));
  const baseline = perUnit(r.cpu.baseline, r.orders);
  const busy = (report: CpuReport) => `${report.machineBusyPercent.toFixed(0)} %`;
  console.log(
    `  CPU per order ${order.toFixed(1)} ms (Temporal + order worker ${saga.toFixed(1)} ms), per baseline workflow ` +
      `${baseline.toFixed(1)} ms: ${((baseline / order) * 100).toFixed(0)} %, what the ratio comes to while both ` +
      `loops keep the machine busy (${busy(r.cpu.measured)} and ${busy(r.cpu.baseline)} here)`,
  );
}

/** The processes that run an order's saga itself (the rest serve the API or act on its events). */
const SAGA_PROCESSES = ['temporal', 'order-worker'];

export function printCancelled(r: { cancelled: number; failures: number; seconds: number }): void {
  console.log(
    `end of run: ${r.cancelled} benchmark orders cancelled by staff in ${r.seconds.toFixed(1)} s (${(r.cancelled / r.seconds).toFixed(1)}/s, stock released by their sagas)${r.failures ? `, ${r.failures} refused` : ''}`,
  );
}
