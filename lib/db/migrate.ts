/**
 * Applies Prisma's SQL migrations (prisma/<schema>/migrations/<name>/migration.sql) without Prisma's schema engine,
 * which cannot be downloaded here. Each applied migration is recorded in `_prisma_migrations` exactly as
 * `prisma migrate deploy` records it (sha256 checksum of the file), so both tools agree on what is applied.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { Config } from '../config';
import { parseMysqlDsn, redactDsn } from './dsn';

export const PRISMA_DIR = path.resolve(__dirname, '..', '..', 'prisma');

/** One database to migrate: a shard, the inventory DB or the accounts DB. */
export interface MigrationTarget {
  label: string;
  dsn: string;
  migrationsDir: string;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  target: MigrationTarget;
  applied: string[];
  alreadyApplied: string[];
}

/** Raised when a database's migration history cannot be continued safely. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Every shard, the inventory DB and the accounts DB of the configuration. */
export function migrationTargets(config: Config): MigrationTarget[] {
  const shardDir = path.join(PRISMA_DIR, 'shard', 'migrations');
  return [
    ...config.shards.dsns.map((dsn, i) => ({ label: `shard ${i}`, dsn, migrationsDir: shardDir })),
    { label: 'inventory', dsn: config.inventory.dsn, migrationsDir: path.join(PRISMA_DIR, 'inventory', 'migrations') },
    { label: 'accounts', dsn: config.accounts.dsn, migrationsDir: path.join(PRISMA_DIR, 'accounts', 'migrations') },
  ];
}

/** The migrations of a folder in name order, with Prisma's checksum (sha256 hex of migration.sql). */
export function readMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
  id VARCHAR(36) PRIMARY KEY NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  finished_at DATETIME(3),
  migration_name VARCHAR(255) NOT NULL,
  logs TEXT,
  rolled_back_at DATETIME(3),
  started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Creates the database if needed and applies its pending migrations, under a lock so concurrent runs are safe. */
export async function migrateTarget(target: MigrationTarget): Promise<MigrateResult> {
  const { host, port, user, password, database } = parseMysqlDsn(target.dsn);
  const where = `${target.label} (${database} at ${host}:${port})`;
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ host, port, user, password, multipleStatements: true });
  } catch (err) {
    throw new MigrationError(`cannot connect to ${where} using ${redactDsn(target.dsn)}: ${(err as Error).message}`);
  }
  const lockName = `doos_migrate_${database}`;
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${database}\``);
    const [lockRows] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 60) AS got', [lockName]);
    if (lockRows[0]?.got !== 1) throw new MigrationError(`${where}: another migration run holds the lock ${lockName}`);
    await conn.query(CREATE_MIGRATIONS_TABLE);
    const [rows] = await conn.query<(AppliedRow & mysql.RowDataPacket)[]>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
    const byName = new Map(rows.map((r) => [r.migration_name, r]));
    const result: MigrateResult = { target, applied: [], alreadyApplied: [] };
    for (const m of readMigrations(target.migrationsDir)) {
      const row = byName.get(m.name);
      if (row && row.finished_at === null) {
        throw new MigrationError(
          `${where}: migration ${m.name} started earlier and did not finish; repair the schema by hand, then set ` +
            `rolled_back_at on its _prisma_migrations row to retry it`,
        );
      }
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new MigrationError(`${where}: migration ${m.name} was edited after it was applied (checksum differs)`);
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      const id = randomUUID();
      await conn.query('INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (?, ?, ?)', [
        id,
        m.checksum,
        m.name,
      ]);
      try {
        await conn.query(m.sql);
      } catch (err) {
        const message = (err as Error).message;
        await conn.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [message, id]);
        throw new MigrationError(`${where}: migration ${m.name} failed: ${message}`);
      }
      await conn.query(
        'UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?',
        [id],
      );
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
    await conn.end();
  }
}

/** Migrates every shard, the inventory DB and the accounts DB, one after the other. */
export async function migrateAll(config: Config): Promise<MigrateResult[]> {
  const results: MigrateResult[] = [];
  for (const target of migrationTargets(config)) results.push(await migrateTarget(target));
  return results;
}
