import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import type { AnyBinlogEvent, WriteRowsEvent, UpdateRowsEvent } from '@vlasky/zongji';
import { testConfig } from '../../support/config';
import { parseMysqlDsn } from '../../../lib/db/dsn';
import { createBinlogReader, type BinlogReader } from '../../../lib/cdc/binlog-reader';

describe('smoke: binlog row events from a shard', () => {
  const config = testConfig();

  it('insert, update and delete of an order on shard 1 arrive as row events with column names and values', async () => {
    const dsn = config.shards.dsns[1];
    assert.ok(dsn, 'shard 1 is configured');
    const { database, ...server } = parseMysqlDsn(dsn);
    const reader: BinlogReader = await createBinlogReader(dsn);
    const events: AnyBinlogEvent[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      reader.on('ready', () => resolve());
      reader.on('error', (err: Error) => reject(err));
    });
    reader.on('binlog', (evt) => {
      events.push(evt);
    });
    reader.start({
      serverId: 9000 + Math.floor(Math.random() * 1000),
      startAtEnd: true,
      includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows'],
      includeSchema: { [database]: ['t_order'] },
    });
    const db = await mysql.createConnection({ ...server, database });
    const id = BigInt(Date.now()) * 1000n + 7n;
    try {
      await ready;
      await db.query(
        `INSERT INTO t_order (id, user_id, order_no, total_amount, actual_amount, payment_method, shipping_address)
         VALUES (?, 1001, ?, 30.00, 30.00, 'wechat', '{}')`,
        [id.toString(), `CDC${id}`],
      );
      await db.query('UPDATE t_order SET status = 1 WHERE id = ?', [id.toString()]);
      await db.query('DELETE FROM t_order WHERE id = ?', [id.toString()]);

      const deadline = Date.now() + 15_000;
      while (events.filter((e) => e.getTypeName() !== 'TableMap').length < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const rowEvents = events.filter((e) => e.getTypeName() !== 'TableMap');
      assert.deepEqual(
        rowEvents.map((e) => e.getTypeName()),
        ['WriteRows', 'UpdateRows', 'DeleteRows'],
      );
      const [insert, update] = rowEvents as [WriteRowsEvent, UpdateRowsEvent];
      const written = insert.rows[0] ?? {};
      assert.equal(String(written.id), id.toString());
      assert.equal(written.order_no, `CDC${id}`);
      assert.equal(written.payment_method, 'wechat');
      assert.equal(update.rows[0]?.before.status, 0);
      assert.equal(update.rows[0]?.after.status, 1);
      assert.equal(insert.tableMap[insert.tableId]?.tableName, 't_order');
    } finally {
      await db.query('DELETE FROM t_order WHERE id = ?', [id.toString()]);
      await db.end();
      reader.stop();
    }
  });
});
