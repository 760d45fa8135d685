/**
 * `make soak`: the whole system (as `make up` runs it) at 70 % of its measured maximum for 10 minutes
 * (BENCH_SOAK_MINUTES, BENCH_SOAK_RATE to skip the measurement), in windows of 30 s: each window's POST latency and
 * errors, every process's memory (RSS), the outbox rows not yet relayed and the relay lag of the window's rows, the
 * CDC tail's distance to the binlog end. At the end: the errors, and the slope of latency and of each process's memory
 * over the run (per minute, least squares), so a leak or a growing queue shows as a number. Not part of CI.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../lib/config';
import { currentBinlogPosition } from '../lib/cdc/binlog-position';
import { cdcConsumerName, readCheckpoint } from '../lib/cdc/checkpoint-store';
import { createShardPrisma } from '../lib/db/prisma';
import { OutboxStatus } from '../lib/outbox/outbox-table';
import { closedLoop, ms, openLoop, summarize } from './lib/stats';
import { BENCH_APP_ENV, restartApps, stackProcesses, STACK_API, type StackProcess } from './lib/system';
import { orderClient, printCancelled } from './orders';
import { relayLagOf } from './relay';

const WINDOW_SECONDS = 30;

interface Window {
  minute: number;
  sent: number;
  failures: number;
  p50: number;
  p99: number;
  rssMiB: Record<string, number>;
  outboxPending: number;
  relayLagP99: number;
  cdcBehindBytes: number;
}

function rssMiB(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kib) / 1024;
  } catch {
    return NaN;
  }
}

/** Least-squares slope of `ys` over `xs`. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function queues(): Promise<{ outboxPending: number; cdcBehindBytes: number }> {
  const config = loadConfig();
  const shards = config.shards.dsns.map((dsn) => createShardPrisma(dsn, 1));
  try {
    const pending = await Promise.all(
      shards.map((db) => db.localMessage.count({ where: { status: OutboxStatus.PENDING } })),
    );
    const behind = await Promise.all(
      shards.map(async (db, s) => {
        const [end, at] = await Promise.all([currentBinlogPosition(db), readCheckpoint(db, cdcConsumerName(s))]);
        return at && at.file === end.file ? Math.max(0, end.pos - at.pos) : 0;
      }),
    );
    return {
      outboxPending: pending.reduce((a, b) => a + b, 0),
      cdcBehindBytes: behind.reduce((a, b) => a + b, 0),
    };
  } finally {
    await Promise.all(shards.map((db) => db.$disconnect()));
  }
}

async function soak(): Promise<void> {
  const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
  console.log(`DOOS soak on ${new Date().toISOString()}: ${minutes} min with the whole system running\n`);
  const client = await orderClient(STACK_API);
  const place = async (): Promise<boolean> => (await client.place()) !== null;
  let rate = Number(process.env.BENCH_SOAK_RATE ?? 0);
  if (!rate) {
    await closedLoop(100, 32, place); // warm-up
    const max = await closedLoop(600, 32, place);
    rate = Math.max(1, Math.round(((600 - max.failures) / max.seconds) * 0.7));
    console.log(`maximum ${((600 - max.failures) / max.seconds).toFixed(1)} orders/s (closed loop, 600 orders)`);
  }
  const given = process.env.BENCH_SOAK_RATE ? 'BENCH_SOAK_RATE' : '70 % of it';
  console.log(`soaking at ${rate} orders/s (${given}), windows of ${WINDOW_SECONDS} s\n`);
  const processes: StackProcess[] = await stackProcesses();
  const windows: Window[] = [];
  const t0 = Date.now();
  console.log(
    '  min   sent  err    p50 ms    p99 ms  outbox  relay p99  CDC behind  RSS MiB (order-worker, api, temporal)',
  );
  while (Date.now() - t0 < minutes * 60_000) {
    const from = new Date();
    const r = await openLoop(rate, WINDOW_SECONDS, place);
    const lat = summarize(r.latencies);
    const relay = await relayLagOf('window', from, new Date(), 10_000);
    const q = await queues();
    const rss = Object.fromEntries(processes.map((p) => [p.name, rssMiB(p.pid)]));
    const w: Window = {
      minute: (Date.now() - t0) / 60_000,
      sent: r.sent,
      failures: r.failures,
      p50: lat.p50,
      p99: lat.p99,
      rssMiB: rss,
      outboxPending: q.outboxPending,
      relayLagP99: relay.lag.p99,
      cdcBehindBytes: q.cdcBehindBytes,
    };
    windows.push(w);
    const mem = ['order-worker', 'api', 'temporal'].map((n) => (rss[n] ?? NaN).toFixed(0)).join(', ');
    console.log(
      `  ${w.minute.toFixed(1).padStart(4)} ${String(w.sent).padStart(6)} ${String(w.failures).padStart(4)} ${w.p50.toFixed(1).padStart(9)} ${w.p99.toFixed(1).padStart(9)} ${String(w.outboxPending).padStart(7)} ${ms(w.relayLagP99).padStart(10)} ${String(w.cdcBehindBytes).padStart(11)}  ${mem}`,
    );
  }
  const cancelled = await client.cancelAll();
  report(windows);
  console.log('');
  printCancelled(cancelled);
}

function report(windows: Window[]): void {
  // The first window warms caches and pools; slopes are taken over the rest.
  const steady = windows.length > 2 ? windows.slice(1) : windows;
  const xs = steady.map((w) => w.minute);
  const errors = windows.reduce((s, w) => s + w.failures, 0);
  const sent = windows.reduce((s, w) => s + w.sent, 0);
  console.log(`\nsoak: ${sent} orders, ${errors} errors`);
  console.log(
    `  POST p99 slope      ${slope(
      xs,
      steady.map((w) => w.p99),
    ).toFixed(2)} ms/min`,
  );
  console.log(`  outbox pending      max ${Math.max(...windows.map((w) => w.outboxPending))} rows`);
  console.log(`  relay lag p99       max ${ms(Math.max(...windows.map((w) => w.relayLagP99)))}`);
  console.log(`  CDC behind          max ${Math.max(...windows.map((w) => w.cdcBehindBytes))} bytes of binlog`);
  // A process that fills its heap, caches and pools grows early and then levels: a leak keeps its slope in the
  // second half of the run.
  const late = windows.length > 3 ? windows.slice(Math.floor(windows.length / 2)) : steady;
  console.log('  memory (RSS) per process: first window -> last, slope over the run and over its second half');
  for (const name of Object.keys(windows[0]?.rssMiB ?? {})) {
    const first = windows[0]!.rssMiB[name] ?? NaN;
    const last = windows[windows.length - 1]!.rssMiB[name] ?? NaN;
    const whole = slope(
      xs,
      steady.map((w) => w.rssMiB[name] ?? NaN),
    );
    const second = slope(
      late.map((w) => w.minute),
      late.map((w) => w.rssMiB[name] ?? NaN),
    );
    console.log(
      `    ${name.padEnd(20)} ${first.toFixed(0).padStart(6)} -> ${last.toFixed(0).padStart(6)} MiB  ${whole.toFixed(2).padStart(7)} MiB/min, second half ${second.toFixed(2).padStart(7)} MiB/min`,
    );
  }
}

async function main(): Promise<void> {
  await restartApps(BENCH_APP_ENV);
  try {
    await soak();
  } finally {
    await restartApps({});
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
