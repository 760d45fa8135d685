/**
 * A chaos run: the whole system on data of its own (databases, index, Temporal namespace, Redis prefix, Kafka topics
 * and group), shoppers ordering, paying and cancelling with retries, application processes SIGKILLed and restarted at
 * random, and Redis, Kafka, Elasticsearch, one shard and the inventory DB stopped in turn; then, once everything is
 * back and has settled, the invariants (chaos/invariants.ts) and a summary table.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../lib/config';
import { createSqlPool } from '../lib/db/sql-pool';
import { createKafka } from '../lib/kafka/client';
import { createSearchClient } from '../lib/search/client';
import { isolatedConfig, resetIsolatedData } from '../test/support/isolated-data';
import { APPS, AppProcess, type AppName } from './apps';
import { promoteTo, signUp } from '../bench/lib/accounts';
import { shopper, type ClientOrder, type ClientStats, type Sku } from './clients';
import { checkInvariants, type Check } from './invariants';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const STACK = path.join(ROOT, 'deployments', 'native', 'stack.sh');

/** The servers stopped in turn (one shard: the other goes on). */
export const OUTAGES = ['redis', 'kafka', 'elasticsearch', 'mariadb-shard1', 'mariadb-inventory'] as const;

export interface ChaosOptions {
  shoppers: number;
  skus: number;
  stockPerSku: number;
  outageSeconds: number;
  /** Pause between two outages. */
  gapSeconds: number;
  /** A random application process is SIGKILLed this often (and restarted at once). */
  killEverySeconds: number;
  paymentTimeoutSeconds: number;
  /** How long everything may take to settle once the faults are over. */
  settleSeconds: number;
  log: (line: string) => void;
}

export interface ChaosResult {
  orders: ClientOrder[];
  stats: ClientStats;
  kills: Record<string, number>;
  selfRestarts: number;
  outages: { server: string; seconds: number }[];
  reconciled: number;
  /** Repairs of the reconciler (its schedule runs every 30 s here, on states 20 s old) by kind. */
  reconciledByKind: Record<string, number>;
  settledInSeconds: number;
  checks: Check[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function chaosConfig(options: ChaosOptions): Config {
  const base = isolatedConfig(loadConfig(), 'chaos');
  const tag = Date.now().toString(36);
  return {
    ...base,
    api: { ...base.api, port: 18481 },
    metrics: {
      ...base.metrics,
      ordersWorkerPort: 19641,
      relayWorkerPort: 19642,
      cdcWorkerPort: 19643,
      consumerPort: 19644,
    },
    kafka: {
      ...base.kafka,
      topics: {
        orderEvents: `doos.chaos-${tag}.order.events`,
        stockDeduct: `doos.chaos-${tag}.stock.deduct`,
        deadLetter: `doos.chaos-${tag}.dlq`,
      },
      consumerGroups: { inventory: `chaos-inventory-${tag}` },
    },
    order: {
      ...base.order,
      paymentTimeoutSeconds: options.paymentTimeoutSeconds,
      sagaAnswerTimeoutSeconds: 10,
      createDeadlineSeconds: 30,
    },
    reconcile: { ...base.reconcile, enabled: true, intervalSeconds: 30, graceSeconds: 20 },
  };
}

async function stack(action: 'up' | 'down', server: string): Promise<void> {
  await run('bash', [STACK, action, server], { maxBuffer: 10 * 1024 * 1024 });
}

/** The run's admin (set by runChaos once the API is up): its bearer header. */
let staff: Record<string, string> = {};

async function api(config: Config, method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${config.api.port}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...staff },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(90_000),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { log } = options;
  const config = chaosConfig(options);
  const logDir = path.join(ROOT, 'chaos', 'logs');
  mkdirSync(logDir, { recursive: true });
  const configFile = path.join(logDir, 'chaos.yaml');
  writeFileSync(configFile, stringify(config));
  log(`chaos: data of its own (namespace ${config.temporal.namespace}); logs in ${logDir}`);
  await stack('up', 'servers');
  await resetIsolatedData(config);

  const apps = new Map<AppName, AppProcess>(
    (Object.keys(APPS) as AppName[]).map((name) => [name, new AppProcess(name, { DOOS_CONFIG: configFile }, logDir)]),
  );
  let faulting = false;
  let supervisor: Promise<void> = Promise.resolve();
  let killer: Promise<void> = Promise.resolve();
  const result: ChaosResult = {
    orders: [],
    stats: { requests: 0, retries: 0, gaveUp: 0 },
    kills: {},
    selfRestarts: 0,
    outages: [],
    reconciled: 0,
    reconciledByKind: {},
    settledInSeconds: 0,
    checks: [],
  };
  try {
    for (const app of apps.values()) await app.start();
    staff = (await signUp(`http://127.0.0.1:${config.api.port}`, undefined, promoteTo(config, 'admin'))).headers;
    const skus: (Sku & { initial: number })[] = [];
    for (let i = 0; i < options.skus; i++) {
      const sku = { productId: `${Date.now()}${i}`, skuId: `${i + 1}`, initial: options.stockPerSku };
      await api(config, 'PUT', `/v1/admin/inventory/${sku.productId}/${sku.skuId}`, {
        name: `Chaos tea ${i}`,
        price: '1.00',
        stock: sku.initial,
      });
      skus.push(sku);
    }

    // Faults: outages in turn; meanwhile random SIGKILLs, and a supervisor restarting whatever is not running.
    faulting = true;
    const restarting = new Set<AppName>();
    supervisor = (async () => {
      while (faulting) {
        for (const [name, app] of apps) {
          if (app.running || restarting.has(name)) continue;
          restarting.add(name);
          result.selfRestarts++;
          await app.start().catch((err: Error) => log(`chaos: ${name} did not come back: ${err.message}`));
          restarting.delete(name);
        }
        await sleep(1000);
      }
    })();
    killer = (async () => {
      while (faulting) {
        await sleep(options.killEverySeconds * 1000 * (0.5 + Math.random()));
        if (!faulting) break;
        const names = [...apps.keys()].filter((n) => !restarting.has(n));
        const name = names[Math.floor(Math.random() * names.length)];
        if (!name) continue;
        restarting.add(name);
        await apps.get(name)!.kill();
        result.kills[name] = (result.kills[name] ?? 0) + 1;
        log(`chaos: SIGKILL ${name}`);
        await apps
          .get(name)!
          .start()
          .catch((err: Error) => log(`chaos: ${name} did not come back: ${err.message}`));
        restarting.delete(name);
      }
    })();
    const faultsEnd = Date.now() + OUTAGES.length * (options.outageSeconds + options.gapSeconds) * 1000 + 60_000;
    let shopperFailure: Error | undefined;
    const shoppers = Array.from({ length: options.shoppers }, () =>
      shopper(`http://127.0.0.1:${config.api.port}`, skus, faultsEnd, 90_000, result.orders, result.stats).catch(
        (err: Error) => {
          shopperFailure ??= err; // an answer no client should get: the run goes on, then fails with it
        },
      ),
    );
    for (const server of OUTAGES) {
      await sleep(options.gapSeconds * 1000);
      log(`chaos: stopping ${server} for ${options.outageSeconds} s`);
      const t0 = Date.now();
      await stack('down', server);
      await sleep(options.outageSeconds * 1000);
      await stack('up', server);
      result.outages.push({ server, seconds: Math.round((Date.now() - t0) / 1000) });
    }
    await Promise.all(shoppers);
    faulting = false;
    await Promise.all([killer, supervisor]);
    if (shopperFailure) throw shopperFailure;
    for (const [name, app] of apps) if (!app.running) await app.start().catch(() => log(`chaos: ${name} down`));

    // Settle: payment timeouts fire, the relay drains, the consumer catches up, search follows; the reconciler's
    // schedule runs on its own, and once more by hand halfway through the wait.
    const settleStart = Date.now();
    const deps = {
      config,
      shards: config.shards.dsns.map((dsn) => createSqlPool(dsn, 2)),
      inventory: createSqlPool(config.inventory.dsn, 2),
      es: createSearchClient(config),
      kafka: createKafka(config, 'chaos-check'),
    };
    try {
      let reconciledByHand = false;
      for (;;) {
        result.checks = await checkInvariants(deps, result.orders, skus).catch((err: Error) => [
          { name: 'invariants readable', ok: false, detail: err.message },
        ]);
        if (result.checks.every((c) => c.ok)) break;
        const waited = (Date.now() - settleStart) / 1000;
        if (waited > options.settleSeconds) break;
        if (!reconciledByHand && waited > options.settleSeconds / 2) {
          reconciledByHand = true;
          const run = (await api(config, 'POST', '/v1/admin/reconcile').catch(() => undefined)) as
            { result: { repaired: number } } | undefined;
          result.reconciled += run?.result.repaired ?? 0;
        }
        await sleep(5000);
      }
      const audit = (await api(config, 'GET', '/v1/admin/reconcile/audit?limit=1000').catch(() => ({ items: [] }))) as {
        items: { kind: string }[];
      };
      result.reconciled = audit.items.length;
      for (const { kind } of audit.items) result.reconciledByKind[kind] = (result.reconciledByKind[kind] ?? 0) + 1;
      result.settledInSeconds = Math.round((Date.now() - settleStart) / 1000);
    } finally {
      await Promise.all([...deps.shards, deps.inventory].map((p) => p.close()));
      await deps.es.close();
    }
    return result;
  } finally {
    faulting = false; // no more kills or restarts, whatever ended the run
    await Promise.all([killer, supervisor]).catch(() => undefined);
    for (const app of apps.values()) await app.stop().catch(() => undefined);
    for (const server of OUTAGES) await stack('up', server).catch(() => undefined);
  }
}

/** The run as a table a person reads, ending with the invariants. */
export function summary(r: ChaosResult): string {
  const count = (f: (o: ClientOrder) => boolean) => r.orders.filter(f).length;
  const rows: [string, string][] = [
    ['orders attempted', String(r.orders.length)],
    ['  created (told 201/200)', String(count((o) => o.orderId !== undefined))],
    ['  refused (stock out / not created)', String(count((o) => o.told === 'refused'))],
    ['  no answer after retrying', String(count((o) => o.told === 'unknown'))],
    ['  told paid', String(count((o) => o.told === 'PAID'))],
    ['  told cancelled', String(count((o) => o.told === 'CANCELLED'))],
    ['  left to the payment timeout', String(count((o) => o.told === 'created' && !o.transitionUnknown))],
    ['requests / client retries / gave up', `${r.stats.requests} / ${r.stats.retries} / ${r.stats.gaveUp}`],
    [
      'SIGKILLs',
      Object.entries(r.kills)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || '0',
    ],
    ['restarts of processes that exited', String(r.selfRestarts)],
    ['outages', r.outages.map((o) => `${o.server} ${o.seconds}s`).join(', ')],
    [
      'reconciler repairs',
      `${r.reconciled} (${Object.entries(r.reconciledByKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')})`,
    ],
    ['settled in', `${r.settledInSeconds} s`],
    ...r.checks.map((c): [string, string] => [`${c.ok ? 'PASS' : 'FAIL'} ${c.name}`, c.detail]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
