/**
 * Which orders of a shard changed, read from its binlog: row events of t_order and t_order_item become order ids,
 * and each commit (XID event) advances the position up to which every change seen is complete. Resuming at such a
 * position starts at a transaction boundary, so nothing is skipped and no table map is missing. For each order it
 * also keeps what the binlog says the row became — its highest `version`, or deleted — so the indexer can tell a row
 * read back too early (MariaDB sends an event before its commit is visible to other sessions) from the real one.
 */
import type { AnyBinlogEvent } from '@vlasky/zongji';
import { parseMysqlDsn } from '../db/dsn';
import { createBinlogReader, type BinlogReader } from './binlog-reader';
import type { BinlogPosition } from './binlog-position';

export const CDC_TABLES = ['t_order', 't_order_item'] as const;

/** What the binlog says an order's row became: at least this version, or deleted. */
export type RowState = { version: bigint } | 'deleted';

export interface OrderChanges {
  orderIds: bigint[];
  /** The state each t_order event left, by order id (orders changed only through their items have none). */
  states: Map<bigint, RowState>;
  /** Every change before this position is among the ids taken so far: a checkpoint may be saved here. */
  safe: BinlogPosition;
}

export interface OrderChangeStream {
  /** Order ids changed since the last take (each once), and the safe position now. */
  take(): OrderChanges;
  pending(): number;
  /** When the oldest id not yet taken was seen (ms), or null. */
  oldestPendingAt(): number | null;
  /** Rejects when the binlog connection fails. */
  readonly failed: Promise<never>;
  close(): void;
}

function orderIdOf(table: string, row: Record<string, unknown>): bigint {
  return BigInt(String(table === 't_order' ? row.id : row.order_id));
}

/** Opens the binlog of the shard at `from` (a transaction boundary); `serverId` must be unique among its readers. */
export async function openOrderChangeStream(
  dsn: string,
  from: BinlogPosition,
  serverId: number,
): Promise<OrderChangeStream> {
  const { database } = parseMysqlDsn(dsn);
  const reader: BinlogReader = await createBinlogReader(dsn);
  const pending = new Set<bigint>();
  const states = new Map<bigint, RowState>();
  let oldest: number | null = null;
  let file = from.file;
  let safe: BinlogPosition = { ...from };
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

  reader.on('binlog', (evt: AnyBinlogEvent) => {
    switch (evt.getEventName()) {
      case 'rotate':
        if ('binlogName' in evt) file = evt.binlogName;
        break;
      case 'xid':
        safe = { file, pos: evt.nextPosition };
        break;
      case 'writerows':
      case 'deleterows':
      case 'updaterows': {
        if (!('tableId' in evt) || !('rows' in evt)) break;
        const table = evt.tableMap[evt.tableId]?.tableName ?? '';
        const deleted = evt.getEventName() === 'deleterows';
        for (const row of evt.rows as Record<string, unknown>[]) {
          const image = (row.after as Record<string, unknown> | undefined) ?? row;
          const orderId = orderIdOf(table, image);
          pending.add(orderId);
          if (table !== 't_order') continue;
          if (deleted) {
            states.set(orderId, 'deleted');
          } else if (typeof image.version === 'number' || typeof image.version === 'string') {
            const version = BigInt(image.version);
            const known = states.get(orderId);
            if (known === undefined || known === 'deleted' || known.version < version) states.set(orderId, { version });
          }
        }
        oldest ??= Date.now();
        break;
      }
    }
  });
  const ready = new Promise<void>((resolve, reject) => {
    reader.once('ready', () => resolve());
    reader.once('error', reject);
  });
  reader.on('error', (err: Error) => fail(err));
  reader.start({
    serverId,
    filename: from.file,
    position: from.pos,
    includeEvents: ['rotate', 'xid', 'tablemap', 'writerows', 'updaterows', 'deleterows'],
    includeSchema: { [database]: [...CDC_TABLES] },
  });
  await ready;

  return {
    take() {
      const orderIds = [...pending];
      const taken = new Map(states);
      pending.clear();
      states.clear();
      oldest = null;
      return { orderIds, states: taken, safe };
    },
    pending: () => pending.size,
    oldestPendingAt: () => oldest,
    failed,
    close: () => reader.stop(),
  };
}
