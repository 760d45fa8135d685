/** Prisma clients for a shard and for the inventory DB, through the engine-free MariaDB driver adapter. */
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient as ShardPrismaClient } from '../../generated/shard/client';
import { PrismaClient as InventoryPrismaClient } from '../../generated/inventory/client';
import { parseMysqlDsn } from './dsn';

export { ShardPrismaClient, InventoryPrismaClient };

function adapterFor(dsn: string, poolSize: number): PrismaMariaDb {
  const { host, port, user, password, database } = parseMysqlDsn(dsn);
  // foundRows: false makes the affected-row count of a write the rows it changed, which the idempotency checks rely
  // on: `INSERT … ON DUPLICATE KEY UPDATE id = id` counts 1 when it inserted and 0 when the row already existed.
  return new PrismaMariaDb({ host, port, user, password, database, connectionLimit: poolSize, foundRows: false });
}

/** A Prisma client on one order shard (its own connection pool). */
export function createShardPrisma(dsn: string, poolSize: number): ShardPrismaClient {
  return new ShardPrismaClient({ adapter: adapterFor(dsn, poolSize) });
}

/** A Prisma client on the inventory DB (its own connection pool). */
export function createInventoryPrisma(dsn: string, poolSize: number): InventoryPrismaClient {
  return new InventoryPrismaClient({ adapter: adapterFor(dsn, poolSize) });
}
