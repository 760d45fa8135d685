/**
 * Brings every order's shipping address under the current privacy key: plain rows written before encryption, and
 * rows sealed with a key being rotated out. Each row is rewritten only if it still holds what was read (a concurrent
 * change wins); the order's version and times are left alone — its facts did not change.
 */
import type { SqlPool } from '../db/sql-pool';
import type { PersonalData } from './personal-data';

export interface ResealReport {
  shard: number;
  resealed: number;
}

export async function resealShard(
  db: SqlPool,
  shard: number,
  personal: PersonalData,
  currentKeyId: string,
  batchSize = 500,
): Promise<ResealReport> {
  const current = `enc:v1:${currentKeyId}:%`;
  let resealed = 0;
  let after = 0n;
  for (;;) {
    const rows = await db.rows<{ id: bigint; shipping_address: string }>(
      `SELECT id, shipping_address FROM t_order WHERE id > ? AND shipping_address NOT LIKE ? ORDER BY id LIMIT ?`,
      [after, current, batchSize],
    );
    if (rows.length === 0) return { shard, resealed };
    for (const row of rows) {
      const sealed = personal.sealAddress(row.id, personal.openAddress(row.id, row.shipping_address));
      resealed += await db.write('UPDATE t_order SET shipping_address = ? WHERE id = ? AND shipping_address = ?', [
        sealed,
        row.id,
        row.shipping_address,
      ]);
      after = row.id;
    }
  }
}
