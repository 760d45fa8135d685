/**
 * `make bench`: every benchmark in one run, with the figures each issue asks for, against the whole system as `make up`
 * runs it — every server and every app process (API, order, relay and CDC workers, inventory consumer) — so the
 * figures include what production pays: token checks, payload encryption, tracing, the relay and the indexer working
 * beside the sagas. The apps are restarted with the benchmark's environment (short payment timeout for its never-paid
 * orders, production's trace sampling) and restarted as `make up` runs them at the end.
 *
 * BENCH_ORDERS and BENCH_CONCURRENCY tune the order run, BENCH_AT70_SECONDS its open loop, BENCH_RELAY_MESSAGES the
 * relay capacity run, BENCH_REPLAYS the workflow CPU figure; BENCH_ONLY=orders runs the order run alone and
 * BENCH_ONLY=relay the relay capacity run alone (with everything else still running). BENCH_PROFILE=1 runs every Node process under V8's CPU profiler and names the
 * top functions of each busy thread during the order run's closed loop at the end (the CPU table names the top 3
 * processes in every run).
 */
import { loadConfig } from '../lib/config';
import { benchCdcCapacity, benchCdcLag, binlogEnds, CdcWorker, printCdcBench } from './cdc';
import path from 'node:path';
import type { Measured } from './lib/cpu';
import { BENCH_LOG_DIR } from './lib/processes';
import { printThreadProfiles, profilingEnv, threadProfiles } from './lib/profiles';
import { BENCH_APP_ENV, restartApps, stackProcesses, STACK_API } from './lib/system';
import {
  benchOrders,
  orderClient,
  printCancelled,
  printOrderBench,
  type OrderBenchResult,
  type OrderClient,
  type Phase,
} from './orders';
import { benchRelayCapacity, printRelayBench, relayLagOf } from './relay';
import { benchSnowflake, printSnowflakeBench } from './snowflake';
import { benchWorkflowCpu, printWorkflowCpu } from './workflow-cpu';
import { orderTraces, printTraceBreakdown, type TraceBreakdown } from './trace-breakdown';
import { bundleSizes, printBundleSizes } from './web-bundle';

/** Replays of a saga's history per variant of the workflow CPU figure (BENCH_REPLAYS). */
const REPLAYS = Number(process.env.BENCH_REPLAYS ?? 300);

async function main(): Promise<void> {
  const orders = Number(process.env.BENCH_ORDERS ?? 1000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
  const relayMessages = Number(process.env.BENCH_RELAY_MESSAGES ?? 30_000);
  const run = Date.now().toString(36);
  console.log(`DOOS benchmarks on ${new Date().toISOString()} (${process.arch}, node ${process.version})\n`);
  const only = process.env.BENCH_ONLY;
  if (only === undefined) {
    // Before the apps restart: their start-up (workflow bundles) would take the CPU from this one-thread figure.
    printSnowflakeBench(benchSnowflake());
    console.log('');
    printBundleSizes(bundleSizes());
    console.log('');
  }
  const profiles = process.env.BENCH_PROFILE ? path.join(BENCH_LOG_DIR, `profiles-${run}`) : null;
  await restartApps({ ...BENCH_APP_ENV, ...(profiles ? profilingEnv(profiles) : {}) });
  const processes = await measuredProcesses();
  let closedLoopPhase: Phase | null = null;
  try {
    if (only === 'orders') closedLoopPhase = await benchOrdersAlone(orders, concurrency, run, processes);
    else if (only === 'relay') printRelayBench(await benchRelayCapacity(relayMessages, loadConfig().relay.batchSize));
    else closedLoopPhase = await benchAll(orders, concurrency, relayMessages, run, processes);
  } finally {
    await restartApps({}); // the profiled processes write their profiles as they stop
  }
  if (profiles) {
    console.log('');
    // The order run's closed loop alone, when there is one: start-up, the baseline and the end-of-run cancellations
    // would otherwise mix with the orders' own work.
    const window = closedLoopPhase?.ticks ?? null;
    const during = window ? 'during the closed loop at max' : 'over the whole run';
    printThreadProfiles(profiles, threadProfiles(profiles, processes, window), during);
  }
}

/** The processes whose CPU a run measures: every one of the stack and the benchmark itself (it makes the load). */
async function measuredProcesses(): Promise<Measured[]> {
  return [...(await stackProcesses()), { name: 'bench (load)', pid: process.pid }];
}

async function benchAll(
  orders: number,
  concurrency: number,
  relayMessages: number,
  run: string,
  processes: Measured[],
): Promise<Phase> {
  const since = new Date();
  const cdcFrom = await binlogEnds();
  // Relay capacity first: the order run leaves sagas whose payment timers fire later and would load the machine.
  const capacity = await benchRelayCapacity(relayMessages, loadConfig().relay.batchSize);
  const client = await orderClient(STACK_API);
  const order = await benchOrders(client, processes, orders, concurrency, run);
  const traces = await orderTraces(order.phases.at70.from, order.phases.at70.to);
  const cdcLag = await benchCdcLag(client, order.at70.rate, 15);
  const cancelled = await client.cancelAll();
  await printOrderFigures(order, cancelled, traces);
  console.log('');
  const lags = [
    await relayLagOf('at max rate', order.phases.measured.from, order.phases.measured.to),
    await relayLagOf(`at ${order.at70.rate}/s`, order.phases.at70.from, order.phases.at70.to),
  ];
  printRelayBench(capacity, lags, order.ordersPerSecond);
  console.log('');
  printCdcBench(cdcLag, await benchCdcCapacity(new CdcWorker(BENCH_APP_ENV), cdcFrom, since));
  return order.phases.measured;
}

/** BENCH_ONLY=orders: the order run, its baseline and its trace breakdown alone; returns its closed loop's phase. */
async function benchOrdersAlone(
  orders: number,
  concurrency: number,
  run: string,
  processes: Measured[],
): Promise<Phase> {
  const client = await orderClient(STACK_API);
  const order = await benchOrders(client, processes, orders, concurrency, run);
  const traces = await orderTraces(order.phases.at70.from, order.phases.at70.to);
  const cancelled = await client.cancelAll();
  await printOrderFigures(order, cancelled, traces);
  return order.phases.measured;
}

/** The order run's figures, its end-of-run cancellations, where a POST's time went, and the workflow CPU per saga. */
async function printOrderFigures(
  order: OrderBenchResult,
  cancelled: Awaited<ReturnType<OrderClient['cancelAll']>>,
  traces: TraceBreakdown,
): Promise<void> {
  printOrderBench(order);
  console.log('');
  printCancelled(cancelled);
  console.log('');
  printTraceBreakdown(`where a POST's time goes at 70 % (Zipkin)`, traces);
  console.log('');
  printWorkflowCpu(await benchWorkflowCpu(REPLAYS));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
