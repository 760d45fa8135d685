/**
 * Databases, a search index and a Temporal namespace of their own for a suite that must see only its own data (the API contract run):
 * the same servers, other names, dropped and migrated afresh at the start.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import mysql from 'mysql2/promise';
import type { Config } from '../../lib/config';
import { parseMysqlDsn } from '../../lib/db/dsn';
import { migrateAll } from '../../lib/db/migrate';
import { createRedis } from '../../lib/redis/client';
import { createSearchClient } from '../../lib/search/client';
import { DOOS_SEARCH_ATTRIBUTES } from '../../lib/temporal/search-attributes';
import { createTemporalClient } from '../../lib/temporal/connection';

function withDatabase(dsn: string, database: string): string {
  const url = new URL(dsn);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The configuration with shard, inventory, accounts and index names of its own (`doos_<name>_<n>`, …), Redis keys under a
 * prefix of their own (`<name>:`) and a Temporal namespace of its own (`doos-<name>`: workflow ids such as
 * `cdc-backfill:shard-0` are unique per namespace).
 */
export function isolatedConfig(config: Config, name: string): Config {
  return {
    ...config,
    temporal: { ...config.temporal, namespace: `doos-${name}` },
    redis: { ...config.redis, keyPrefix: `${config.redis.keyPrefix}${name}:` },
    shards: { ...config.shards, dsns: config.shards.dsns.map((dsn, n) => withDatabase(dsn, `doos_${name}_${n}`)) },
    inventory: { ...config.inventory, dsn: withDatabase(config.inventory.dsn, `doos_${name}_inventory`) },
    accounts: { ...config.accounts, dsn: withDatabase(config.accounts.dsn, `doos_${name}_accounts`) },
    elasticsearch: { ...config.elasticsearch, ordersIndex: `doos-${name}-orders` },
  };
}

/** How long a Temporal server takes to see a namespace's new search attributes everywhere (its cache refresh). */
const NAMESPACE_CACHE_REFRESH_MS = 11_000;

/** The namespace, registered with DOOS's search attributes unless it exists (the dev server only makes `default`). */
async function ensureNamespace(config: Config): Promise<void> {
  const connection = await Connection.connect({ address: config.temporal.address });
  const { namespace } = config.temporal;
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('1 day'),
      });
    }
    const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    const int = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
    const types = { KEYWORD: keyword, INT: int } as const;
    const wanted = Object.fromEntries(DOOS_SEARCH_ATTRIBUTES.map((k) => [k.name, types[k.type]]));
    for (let attempt = 0; ; attempt++) {
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = Object.fromEntries(Object.entries(wanted).filter(([n]) => !(n in (customAttributes ?? {}))));
        if (Object.keys(missing).length > 0) {
          await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
          // The server's namespace cache refreshes every 10 s: until then, starting a workflow with the new
          // attribute fails (FAILED_PRECONDITION, seen as a chaos run's first order answered 500).
          await new Promise((r) => setTimeout(r, NAMESPACE_CACHE_REFRESH_MS));
        }
        return;
      } catch (err) {
        if (attempt >= 20) throw err; // a namespace just registered takes a moment to be known everywhere
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}

/** Ends every workflow an earlier run left running in the namespace (their workers are gone with that run). */
async function terminateLeftovers(config: Config): Promise<void> {
  // With DOOS's data converter: listing decodes each workflow's memo, which the payload codec encrypted.
  const client = await createTemporalClient(config);
  const { connection } = client;
  try {
    for await (const w of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
      await client.workflow
        .getHandle(w.workflowId, w.runId)
        .terminate('left running by an earlier isolated test run')
        .catch(() => undefined); // it ended meanwhile
    }
  } finally {
    await connection.close();
  }
}

/** Deletes the Redis keys under the isolated prefix (idempotency keys, guards, cached orders of an earlier run). */
async function deleteKeys(config: Config): Promise<void> {
  const redis = createRedis({ redis: { ...config.redis, keyPrefix: '' } });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redis.keyPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/**
 * Drops the isolated databases, index, Redis keys and running workflows left by an earlier run, then creates and
 * migrates the databases.
 */
export async function resetIsolatedData(config: Config): Promise<void> {
  for (const dsn of [...config.shards.dsns, config.inventory.dsn, config.accounts.dsn]) {
    const { host, port, user, password, database } = parseMysqlDsn(dsn);
    const admin = await mysql.createConnection({ host, port, user, password });
    try {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    } finally {
      await admin.end();
    }
  }
  await migrateAll(config);
  await ensureNamespace(config);
  await terminateLeftovers(config);
  await deleteKeys(config);
  const es = createSearchClient(config);
  try {
    await es.indices.delete({ index: `${config.elasticsearch.ordersIndex}*`, ignore_unavailable: true });
  } finally {
    await es.close();
  }
}
