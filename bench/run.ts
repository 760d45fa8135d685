/** `make bench`: every benchmark in one run, with the figures each issue asks for. BENCH_ORDERS and BENCH_CONCURRENCY tune the order run. */
import { benchOrders, printOrderBench } from './orders';
import { benchSnowflake, printSnowflakeBench } from './snowflake';

async function main(): Promise<void> {
  const orders = Number(process.env.BENCH_ORDERS ?? 1000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
  console.log(`DOOS benchmarks on ${new Date().toISOString()} (${process.arch}, node ${process.version})\n`);
  printSnowflakeBench(benchSnowflake());
  console.log('');
  printOrderBench(await benchOrders(orders, concurrency));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
