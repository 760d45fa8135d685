/**
 * `make bench`: every benchmark in one run, with the figures each issue asks for. BENCH_ORDERS and BENCH_CONCURRENCY
 * tune the order run, BENCH_RELAY_MESSAGES the relay capacity run; BENCH_ONLY=orders runs the order run alone. It
 * runs its own API, order worker, relay worker and CDC worker processes (make bench stops make up's first, so the
 * figures are theirs alone).
 */
import { loadConfig } from '../lib/config';
import { benchCdcCapacity, benchCdcLag, binlogEnds, CdcWorker, printCdcBench } from './cdc';
import { freePort, startProcess } from './lib/processes';
import { benchOrders, printOrderBench, startOrderProcesses } from './orders';
import { benchRelayCapacity, printRelayBench, relayLagOf } from './relay';
import { benchSnowflake, printSnowflakeBench } from './snowflake';
import { bundleSizes, printBundleSizes } from './web-bundle';

async function main(): Promise<void> {
  const orders = Number(process.env.BENCH_ORDERS ?? 1000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
  const relayMessages = Number(process.env.BENCH_RELAY_MESSAGES ?? 30_000);
  const run = Date.now().toString(36);
  console.log(`DOOS benchmarks on ${new Date().toISOString()} (${process.arch}, node ${process.version})\n`);
  if (process.env.BENCH_ONLY === 'orders') return benchOrdersAlone(orders, concurrency, run);
  printSnowflakeBench(benchSnowflake());
  console.log('');
  printBundleSizes(bundleSizes());
  console.log('');

  const relayPort = await freePort();
  const relay = await startProcess(
    'workers/relay-worker.ts',
    { DOOS_METRICS_RELAY_WORKER_PORT: String(relayPort) },
    `http://127.0.0.1:${relayPort}/health`,
  );
  const cdc = new CdcWorker();
  await cdc.start();
  try {
    const since = new Date();
    const cdcFrom = await binlogEnds();
    // Relay capacity first: the order run leaves sagas whose payment timers fire later and would load the machine.
    const capacity = await benchRelayCapacity(relayMessages, loadConfig().relay.batchSize);
    const processes = await startOrderProcesses(run);
    let order;
    let cdcLag;
    try {
      order = await benchOrders(processes, orders, concurrency, run);
      cdcLag = await benchCdcLag(processes, order.at70.rate, 15);
    } finally {
      await processes.stop();
    }
    printOrderBench(order);
    console.log('');
    const lags = [
      await relayLagOf('at max rate', order.phases.measured.from, order.phases.measured.to),
      await relayLagOf(`at ${order.at70.rate}/s`, order.phases.at70.from, order.phases.at70.to),
    ];
    printRelayBench(capacity, lags, order.ordersPerSecond);
    console.log('');
    printCdcBench(cdcLag, await benchCdcCapacity(cdc, cdcFrom, since));
  } finally {
    await cdc.stop();
    await relay.stop();
  }
}

/** BENCH_ONLY=orders: the order run and its baseline alone, without the relay and CDC workers taking CPU. */
async function benchOrdersAlone(orders: number, concurrency: number, run: string): Promise<void> {
  const processes = await startOrderProcesses(run);
  try {
    printOrderBench(await benchOrders(processes, orders, concurrency, run));
  } finally {
    await processes.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
