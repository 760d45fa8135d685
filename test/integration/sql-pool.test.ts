import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { uniqueId } from '../support/orders';
import { fromSqlDateTime, isDuplicateKey, placeholders, toSqlDateTime, type SqlRunner } from '../../lib/db/sql-pool';

describe('plain SQL pool of the saga activities (real shard)', function () {
  this.timeout(60_000);
  const h = withStack({ worker: false });
  const ids: bigint[] = [];

  h.onTeardown(async () => {
    if (h && ids.length > 0) {
      await h.resources.sql.shards[0]!.write(`DELETE FROM t_order WHERE id IN (${placeholders(ids.length)})`, ids);
    }
  });

  async function insertOrder(tx: SqlRunner, id: bigint, orderNo: string, at: Date): Promise<number> {
    return tx.write(
      `INSERT INTO t_order (id, user_id, order_no, total_amount, actual_amount, status, payment_method,
         shipping_address, created_at, updated_at)
       VALUES (?, 2, ?, '1.00', '1.00', 0, 'alipay', '{}', ?, ?)`,
      [id, orderNo, toSqlDateTime(at), toSqlDateTime(at)],
    );
  }

  it('commits a transaction that returns and rolls back one that throws', async () => {
    const pool = h.resources.sql.shards[0]!;
    const [kept, dropped] = [BigInt(uniqueId()), BigInt(uniqueId())];
    ids.push(kept, dropped);
    assert.equal(await pool.transaction((tx) => insertOrder(tx, kept, `SQLK${kept}`, new Date())), 1);
    await assert.rejects(
      pool.transaction(async (tx) => {
        await insertOrder(tx, dropped, `SQLD${dropped}`, new Date());
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    const found = await pool.rows<{ id: bigint }>('SELECT id FROM t_order WHERE id IN (?, ?)', [kept, dropped]);
    assert.deepEqual(
      found.map((r) => r.id),
      [kept],
    );
  });

  it('names the unique index a duplicate hit, counts changed rows only, and keeps times as Prisma reads them', async () => {
    const pool = h.resources.sql.shards[0]!;
    const [first, second] = [BigInt(uniqueId()), BigInt(uniqueId())];
    ids.push(first, second);
    const at = new Date('2026-11-25T08:09:10.123Z');
    await insertOrder(pool, first, `SQLU${first}`, at);
    const duplicate = await insertOrder(pool, second, `SQLU${first}`, at).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(isDuplicateKey(duplicate, 'uk_order_no'), String(duplicate));
    assert.equal(isDuplicateKey(duplicate, 'uk_user_idempotency_key'), false);
    assert.equal(isDuplicateKey(new Error('uk_order_no'), 'uk_order_no'), false, 'only a duplicate-key error');

    assert.equal(await pool.write('UPDATE t_order SET status = 0 WHERE id = ?', [first]), 0, 'matched, not changed');
    assert.equal(await pool.write('UPDATE t_order SET status = 1 WHERE id = ?', [first]), 1);

    const [row] = await pool.rows<{ created_at: string; actual_amount: string }>(
      'SELECT created_at, actual_amount FROM t_order WHERE id = ?',
      [first],
    );
    assert.equal(row!.actual_amount, '1.00', 'DECIMAL as the text the server holds');
    assert.equal(fromSqlDateTime(row!.created_at).toISOString(), at.toISOString());
    const viaPrisma = await h.resources.shards[0]!.order.findUnique({ where: { id: first } });
    assert.equal(viaPrisma!.createdAt.toISOString(), at.toISOString(), 'both layers agree on the instant');
  });
});
