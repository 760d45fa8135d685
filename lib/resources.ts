/**
 * The clients a DOOS process holds, built once from the configuration and closed together on shutdown; plus the
 * readiness checks that ask each of them for a cheap answer.
 */
import type { Client as TemporalClient } from '@temporalio/client';
import type { Etcd3 } from 'etcd3';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { Client, Connection } from '@temporalio/client';
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

export interface Resources {
  config: Config;
  /** One Prisma client per shard, indexed by shard number. */
  shards: ShardPrismaClient[];
  inventory: InventoryPrismaClient;
  /** Plain SQL pools on the same databases for the saga's hot activities; they connect on first use. */
  sql: { shards: SqlPool[]; inventory: SqlPool };
  redis: Redis;
  etcd: Etcd3;
  kafka: Kafka;
  search: SearchClient;
  temporal: TemporalClient;
  close(): Promise<void>;
}

/** Builds every client. Connections open lazily, so a process starts even while a dependency is down. */
export function openResources(config: Config, processName: string): Resources {
  const shards = config.shards.dsns.map((dsn) => createShardPrisma(dsn, config.shards.poolSize));
  const inventory = createInventoryPrisma(config.inventory.dsn, config.inventory.poolSize);
  const sql = {
    shards: config.shards.dsns.map((dsn) => createSqlPool(dsn, config.shards.poolSize)),
    inventory: createSqlPool(config.inventory.dsn, config.inventory.poolSize),
  };
  const redis = createRedis(config);
  const etcd = createEtcd(config);
  const kafka = createKafka(config, processName);
  const search = createSearchClient(config);
  const connection = Connection.lazy({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  return {
    config,
    shards,
    inventory,
    sql,
    redis,
    etcd,
    kafka,
    search,
    temporal,
    async close() {
      await Promise.allSettled([
        ...shards.map((s) => s.$disconnect()),
        inventory.$disconnect(),
        ...[...sql.shards, sql.inventory].map((pool) => pool.close()),
        redis.quit(),
        search.close(),
        connection.close(),
      ]);
      etcd.close();
    },
  };
}

/** One readiness check per dependency, named as an operator would look for it. */
export function dependencyChecks(r: Resources): DependencyCheck[] {
  return [
    ...r.shards.map((shard, i) => ({ name: `mariadb-shard${i}`, check: () => shard.$queryRaw`SELECT 1` })),
    { name: 'mariadb-inventory', check: () => r.inventory.$queryRaw`SELECT 1` },
    { name: 'redis', check: () => r.redis.ping() },
    { name: 'etcd', check: () => r.etcd.maintenance.status() },
    {
      name: 'kafka',
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
    { name: 'elasticsearch', check: () => r.search.cluster.health({ timeout: '1s' }) },
    { name: 'temporal', check: () => r.temporal.workflowService.getSystemInfo({}) },
  ];
}
