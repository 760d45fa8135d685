import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { testConfig } from '../support/config';
import { parseMysqlDsn } from '../../lib/db/dsn';
import { migrateTarget, MigrationError, type MigrationTarget } from '../../lib/db/migrate';

describe('migrations on a real MariaDB server', () => {
  const server = parseMysqlDsn(testConfig().shards.dsns[0] ?? '');
  const database = `doos_migrate_test_${Date.now().toString(36)}`;
  const dsn = `mysql://${server.user}:${server.password}@${server.host}:${server.port}/${database}`;
  let dir: string;
  let target: MigrationTarget;
  let admin: mysql.Connection;

  const writeMigration = (name: string, sql: string): void => {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'doos-migrations-'));
    target = { label: 'test', dsn, migrationsDir: dir };
    admin = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
  });

  after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the database, applies pending migrations in name order and records them as Prisma does', async () => {
    writeMigration('001_a', 'CREATE TABLE a (id INT PRIMARY KEY);');
    writeMigration('002_b', 'CREATE TABLE b (id INT PRIMARY KEY);\nINSERT INTO a VALUES (1);');
    const first = await migrateTarget(target);
    assert.deepEqual(first.applied, ['001_a', '002_b']);
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS done, applied_steps_count FROM \`${database}\`._prisma_migrations ORDER BY migration_name`,
    );
    const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
    assert.deepEqual(
      rows.map((r): unknown[] => [r.migration_name, r.checksum, Number(r.done), r.applied_steps_count]),
      [
        ['001_a', sha('CREATE TABLE a (id INT PRIMARY KEY);'), 1, 1],
        ['002_b', sha('CREATE TABLE b (id INT PRIMARY KEY);\nINSERT INTO a VALUES (1);'), 1, 1],
      ],
    );
  });

  it('a second run applies nothing and changes nothing', async () => {
    const again = await migrateTarget(target);
    assert.deepEqual(again.applied, []);
    assert.deepEqual(again.alreadyApplied, ['001_a', '002_b']);
    const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${database}\`.a`);
    assert.equal(Number(rows[0]?.n), 1);
  });

  it('a migration edited after it was applied stops the run with its name', async () => {
    writeMigration('001_a', 'CREATE TABLE a (id BIGINT PRIMARY KEY);');
    await assert.rejects(
      migrateTarget(target),
      (err: unknown) => err instanceof MigrationError && /001_a was edited/.test(err.message),
    );
    writeMigration('001_a', 'CREATE TABLE a (id INT PRIMARY KEY);');
  });

  it('a failing migration is reported with its error, and the next run refuses to continue past it', async () => {
    writeMigration('003_broken', 'CREATE TABLE c (id INT PRIMARY KEY);\nINSERT INTO missing_table VALUES (1);');
    await assert.rejects(migrateTarget(target), /migration 003_broken failed: .*missing_table/);
    await assert.rejects(migrateTarget(target), /003_broken started earlier and did not finish/);
  });

  it('a server that does not answer is named with its redacted DSN', async () => {
    await assert.rejects(
      migrateTarget({ label: 'nowhere', dsn: 'mysql://doos:secret@127.0.0.1:1/x', migrationsDir: dir }),
      (err: unknown) =>
        err instanceof MigrationError &&
        /cannot connect to nowhere .*mysql:\/\/doos:\*\*\*@127\.0\.0\.1:1\/x/.test(err.message),
    );
  });
});
