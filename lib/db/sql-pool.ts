/**
 * Plain SQL on a MariaDB connection pool, for the statements that run all day: the saga's activities (reserve,
 * create, transition, release), the outbox relay and the inventory consumer, through the modules that own their
 * tables (lib/outbox/outbox-table.ts, lib/inventory/stock-table.ts). The same statements Prisma would send, without
 * its query pipeline, which took half of the order worker's JavaScript time. Prisma stays the way to the schema
 * everywhere else (migrations, API reads, catalog admin, CDC).
 *
 * Statements go through the binary protocol (prepared once per connection and cached). Values come back as the
 * server wrote them: BIGINT as bigint; DECIMAL, DATETIME and JSON as strings (times in UTC, as everything here writes
 * them).
 */
import { createPool, type Pool, type PoolConnection, type SqlError, type UpsertResult } from 'mariadb';
import { parseMysqlDsn } from './dsn';
import { inSqlSpan, statementName } from '../telemetry/sql-spans';

/** A value a statement takes. Dates are written as UTC DATETIME(3) text, as Prisma writes them. */
export type SqlValue = string | number | bigint | null;

/** What a statement can run on: the pool (autocommit) or a transaction's connection. */
export interface SqlRunner {
  /** Rows of a SELECT. */
  rows<Row>(sql: string, values?: readonly SqlValue[]): Promise<Row[]>;
  /** Rows changed by an INSERT / UPDATE / DELETE (changed, not matched: foundRows is off). */
  write(sql: string, values?: readonly SqlValue[]): Promise<number>;
}

export interface TransactionOptions {
  /** The isolation level of this transaction; the server's (REPEATABLE READ) when absent. */
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ';
}

export interface SqlPool extends SqlRunner {
  /** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** A pool on a mysql:// DSN. It opens connections when they are first needed, so a process starts with the DB down. */
export function createSqlPool(dsn: string, poolSize: number): SqlPool {
  const { host, port, user, password, database } = parseMysqlDsn(dsn);
  const pool: Pool = createPool({
    host,
    port,
    user,
    password,
    database,
    connectionLimit: poolSize,
    minimumIdle: 0,
    acquireTimeout: 10_000,
    // The affected-row count of a write is the rows it changed, which the idempotency checks rely on:
    // `INSERT … ON DUPLICATE KEY UPDATE id = id` counts 1 when it inserted and 0 when the row already existed.
    foundRows: false,
    dateStrings: true,
    autoJsonMap: false, // JSON columns come back as the text that was written
    bigIntAsNumber: false,
    decimalAsNumber: false,
    insertIdAsNumber: false,
  });
  const dbAttributes = { 'db.system': 'mariadb', 'db.name': database, 'server.address': host, 'server.port': port };
  const statement = <T>(sql: string, run: () => Promise<T>): Promise<T> =>
    inSqlSpan(statementName(sql), { ...dbAttributes, 'db.statement': sql }, run);
  const runnerOf = (conn: Pool | PoolConnection): SqlRunner => ({
    rows<Row>(sql: string, values: readonly SqlValue[] = []): Promise<Row[]> {
      return statement(sql, () => conn.execute<Row[]>(sql, values));
    },
    write(sql: string, values: readonly SqlValue[] = []): Promise<number> {
      return statement(sql, async () => (await conn.execute<UpsertResult>(sql, values)).affectedRows);
    },
  });
  return {
    ...runnerOf(pool),
    transaction<T>(work: (tx: SqlRunner) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return inSqlSpan('transaction', dbAttributes, () => inTransaction(work, options));
    },
    close: () => pool.end(),
  };

  async function inTransaction<T>(work: (tx: SqlRunner) => Promise<T>, options: TransactionOptions): Promise<T> {
    const conn = await pool.getConnection();
    try {
      // Without GLOBAL or SESSION, the level applies to the next transaction of this connection only.
      if (options.isolation) await conn.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolation}`);
      await conn.beginTransaction();
      try {
        const result = await work(runnerOf(conn));
        await conn.commit();
        return result;
      } catch (err) {
        await conn.rollback().catch(() => undefined); // the error that made us roll back is the one to report
        throw err;
      }
    } finally {
      await conn.release();
    }
  }
}

/** Placeholders for `count` values — `?,?,?` — or, with `perRow`, for rows of values — `(?, ?), (?, ?)`. */
export function placeholders(count: number, perRow?: number): string {
  if (perRow === undefined) return Array.from({ length: count }, () => '?').join(',');
  const row = `(${Array.from({ length: perRow }, () => '?').join(', ')})`;
  return Array.from({ length: count }, () => row).join(', ');
}

/** True when `err` is a duplicate-key error (ER_DUP_ENTRY) on the named unique index. */
export function isDuplicateKey(err: unknown, index: string): boolean {
  const e = err as Partial<SqlError>;
  return e.errno === 1062 && (e.sqlMessage ?? e.message ?? '').includes(index);
}

/** A Date as DATETIME(3) text in UTC (`2026-11-25 19:05:01.123`). */
export function toSqlDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** DATETIME text read back (UTC) as a Date. */
export function fromSqlDateTime(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}
