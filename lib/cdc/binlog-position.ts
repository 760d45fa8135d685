/** A position in a MariaDB server's binary log, and where the log ends now. */

export interface BinlogPosition {
  file: string;
  pos: number;
}

/** The file's sequence number (`doos-bin.000012` -> 12), for metrics and ordering. */
export function binlogFileIndex(file: string): number {
  const m = /\.(\d+)$/.exec(file);
  return m ? Number(m[1]) : 0;
}

/** Negative when a is earlier than b. */
export function compareBinlogPositions(a: BinlogPosition, b: BinlogPosition): number {
  return binlogFileIndex(a.file) - binlogFileIndex(b.file) || a.pos - b.pos;
}

export function formatBinlogPosition(p: BinlogPosition): string {
  return `${p.file}:${p.pos}`;
}

/** Anything that runs a raw query (a Prisma client). */
export interface RawQuerier {
  $queryRawUnsafe<T>(query: string): Promise<T>;
}

/** The end of the binary log now (SHOW MASTER STATUS): every change committed so far lies before it. */
export async function currentBinlogPosition(db: RawQuerier): Promise<BinlogPosition> {
  const rows = await db.$queryRawUnsafe<{ File: string; Position: bigint | number }[]>('SHOW MASTER STATUS');
  const row = rows[0];
  if (!row) throw new Error('binary logging is off on this server (SHOW MASTER STATUS is empty)');
  return { file: row.File, pos: Number(row.Position) };
}

/** The binlog files the server still has (SHOW BINARY LOGS), oldest first. */
export async function binlogFiles(db: RawQuerier): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ Log_name: string }[]>('SHOW BINARY LOGS');
  return rows.map((r) => r.Log_name);
}
