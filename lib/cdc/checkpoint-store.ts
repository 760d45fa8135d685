/** The durable binlog position of a CDC consumer, in t_cdc_checkpoint of the shard it reads. */
import type { ShardPrismaClient } from '../db/prisma';
import { currentBinlogPosition, type BinlogPosition } from './binlog-position';

export function cdcConsumerName(shard: number): string {
  return `cdc:shard-${shard}`;
}

export async function readCheckpoint(db: ShardPrismaClient, consumer: string): Promise<BinlogPosition | null> {
  const row = await db.cdcCheckpoint.findUnique({ where: { consumer } });
  return row ? { file: row.binlogFile, pos: Number(row.binlogPos) } : null;
}

export async function saveCheckpoint(db: ShardPrismaClient, consumer: string, at: BinlogPosition): Promise<void> {
  await db.cdcCheckpoint.upsert({
    where: { consumer },
    create: { consumer, ...toColumns(at) },
    update: toColumns(at),
  });
}

/** The checkpoint, set to the end of the binlog first if there is none (`created`). */
export async function ensureCheckpoint(
  db: ShardPrismaClient,
  consumer: string,
): Promise<{ at: BinlogPosition; created: boolean }> {
  const existing = await readCheckpoint(db, consumer);
  if (existing) return { at: existing, created: false };
  const created = await db.cdcCheckpoint.createMany({
    data: [{ consumer, ...toColumns(await currentBinlogPosition(db)) }],
    skipDuplicates: true, // another worker set it first: keep theirs
  });
  const at = await readCheckpoint(db, consumer);
  if (!at) throw new Error(`checkpoint ${consumer} vanished while it was being set`);
  return { at, created: created.count > 0 };
}

function toColumns(at: BinlogPosition): { binlogFile: string; binlogPos: bigint } {
  return { binlogFile: at.file, binlogPos: BigInt(at.pos) };
}
