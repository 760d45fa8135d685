/** Opens a binlog stream on a shard with @vlasky/zongji (an ES module, hence the dynamic import). */
import type ZongJiType from '@vlasky/zongji';
import { parseMysqlDsn } from '../db/dsn';

export type BinlogReader = ZongJiType;

/** A zongji instance connected to the database server of a DSN (not started: call start with its filters). */
export async function createBinlogReader(dsn: string): Promise<BinlogReader> {
  const { default: ZongJi } = await import('@vlasky/zongji');
  const { host, port, user, password } = parseMysqlDsn(dsn);
  return new ZongJi({ host, port, user, password });
}
