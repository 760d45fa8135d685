/**
 * The clients a DOOS process holds, built once from the configuration and closed together on shutdown; plus the
 * readiness checks that ask each of them for a cheap answer. A process names the clients it needs and gets only
 * those (the API takes them all).
 */
import type { Client as TemporalClient } from '@temporalio/client';
import type { Etcd3 } from 'etcd3';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Config } from './config';
import {
  createShardPrisma,
  createInventoryPrisma,
  type ShardPrismaClient,
  type InventoryPrismaClient,
} from './db/prisma';
import { createSqlPool, type SqlPool } from './db/sql-pool';
import { createRedis } from './redis/client';
import { createEtcd } from './etcd/client';
import { createKafka } from './kafka/client';
import { createSearchClient, type SearchClient } from './search/client';
import type { DependencyCheck } from './health/dependencies';
import { lazyTemporalClient } from './temporal/connection';

/** Every client a process may hold, by name. */
export interface Clients {
  /** One Prisma client per shard, indexed by shard number. */
  shards: ShardPrismaClient[];
  inventory: InventoryPrismaClient;
  /** Plain SQL pools on the same databases for the hot paths (saga activities, relay); they connect on first use. */
  sql: { shards: SqlPool[]; inventory: SqlPool; accounts: SqlPool };
  redis: Redis;
  etcd: Etcd3;
  kafka: Kafka;
  search: SearchClient;
  /** Lazily connected Temporal client (starting workflows, queries, updates). */
  temporal: TemporalClient;
}

export type ClientName = keyof Clients;

/** The clients a process asked for, its configuration, and one close for all of them. */
export type Opened<K extends ClientName> = Pick<Clients, K> & { config: Config; close(): Promise<void> };

export type Resources = Opened<ClientName>;

export const ALL_CLIENTS: readonly ClientName[] = [
  'shards',
  'inventory',
  'sql',
  'redis',
  'etcd',
  'kafka',
  'search',
  'temporal',
];

interface Built<T> {
  client: T;
  close(): Promise<unknown>;
}

/** How each client is built from the configuration, and how it is closed. */
const FACTORIES: { [K in ClientName]: (config: Config, processName: string) => Built<Clients[K]> } = {
  shards: (config) => {
    const clients = config.shards.dsns.map((dsn) => createShardPrisma(dsn, config.shards.poolSize));
    return { client: clients, close: () => Promise.allSettled(clients.map((c) => c.$disconnect())) };
  },
  inventory: (config) => {
    const client = createInventoryPrisma(config.inventory.dsn, config.inventory.poolSize);
    return { client, close: () => client.$disconnect() };
  },
  sql: (config) => {
    const client = {
      shards: config.shards.dsns.map((dsn) => createSqlPool(dsn, config.shards.poolSize)),
      inventory: createSqlPool(config.inventory.dsn, config.inventory.poolSize),
      accounts: createSqlPool(config.accounts.dsn, config.accounts.poolSize),
    };
    return {
      client,
      close: () =>
        Promise.allSettled([...client.shards, client.inventory, client.accounts].map((pool) => pool.close())),
    };
  },
  redis: (config) => {
    const client = createRedis(config);
    return { client, close: () => client.quit() };
  },
  etcd: (config) => {
    const client = createEtcd(config);
    return { client, close: () => Promise.resolve(client.close()) };
  },
  kafka: (config, processName) => ({ client: createKafka(config, processName), close: () => Promise.resolve() }),
  search: (config) => {
    const client = createSearchClient(config);
    return { client, close: () => client.close() };
  },
  temporal: (config) => {
    const client = lazyTemporalClient(config);
    return { client, close: () => client.connection.close() };
  },
};

/**
 * Builds the named clients (all of them when none are named). Connections open lazily, so a process starts even
 * while a dependency is down.
 */
export function openResources(config: Config, processName: string): Resources;
export function openResources<K extends ClientName>(
  config: Config,
  processName: string,
  needs: readonly K[],
): Opened<K>;
export function openResources(
  config: Config,
  processName: string,
  needs: readonly ClientName[] = ALL_CLIENTS,
): Opened<ClientName> {
  const built = new Map<ClientName, Built<unknown>>();
  for (const name of new Set(needs)) built.set(name, FACTORIES[name](config, processName));
  const clients = Object.fromEntries([...built].map(([name, b]) => [name, b.client])) as unknown as Clients;
  return {
    ...clients,
    config,
    async close() {
      await Promise.allSettled([...built.values()].map((b) => b.close()));
    },
  };
}

/**
 * One readiness check per dependency, named as an operator would look for it. The API needs Temporal (every order and
 * transition goes through a saga) and the inventory DB (every order reserves); without the accounts DB no one can log
 * in, but signed-in requests go on with their tokens (api/services/auth-service.ts); without a shard only that shard's
 * users are refused (503 at once), without Redis the fast paths are off, without etcd ids go on while the lease
 * lasts (then orders and registrations answer 503 until a new one is leased), without Kafka or Elasticsearch events
 * wait in the outbox and search is stale.
 */
export function dependencyChecks(r: Resources): DependencyCheck[] {
  return [
    ...r.shards.map((shard, i) => ({
      name: `mariadb-shard${i}`,
      required: false,
      check: () => shard.$queryRaw`SELECT 1`,
    })),
    { name: 'mariadb-inventory', required: true, check: () => r.inventory.$queryRaw`SELECT 1` },
    { name: 'mariadb-accounts', required: false, check: () => r.sql.accounts.rows('SELECT 1') },
    { name: 'redis', required: false, check: () => r.redis.ping() },
    { name: 'etcd', required: false, check: () => r.etcd.maintenance.status() },
    {
      name: 'kafka',
      required: false,
      check: async () => {
        const admin = r.kafka.admin({ retry: { retries: 0 } });
        await admin.connect();
        try {
          return await admin.describeCluster();
        } finally {
          await admin.disconnect();
        }
      },
    },
    { name: 'elasticsearch', required: false, check: () => r.search.cluster.health({ timeout: '1s' }) },
    {
      name: 'temporal',
      required: true,
      // With a gRPC deadline inside the check's own time limit: the client's retries end before it (see
      // lib/temporal/connection.ts), and none is left to fire on a connection closed after the check.
      check: () =>
        r.temporal.connection.withDeadline(Date.now() + 1500, () => r.temporal.workflowService.getSystemInfo({})),
    },
  ];
}
