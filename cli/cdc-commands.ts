/** `doos cdc status|backfill|progress`: the CDC indexers' checkpoints, and backfills started and followed. */
import { api, progressBar, table, UsageError, type ApiBase } from './output';

export const CDC_USAGE = `  doos cdc status
  doos cdc backfill --shard N [--no-wait]
  doos cdc progress --shard N`;

interface ShardStatus {
  shard: number;
  checkpoint: string | null;
  checkpointSavedAt: string | null;
  binlogEnd: string;
  deadLetters: number;
}

interface Progress {
  shard: number;
  phase: 'snapshot' | 'handover' | 'done' | 'failed';
  total: number;
  done: number;
  indexed: number;
  stale: number;
  deadLettered: number;
  position: string;
  checkpoint?: string;
  error?: string;
}

export interface CdcOptions {
  shard?: string;
  'no-wait'?: boolean;
}

/** `[#######-----]  42 % 4,200/10,000 orders` — the done count may pass the total taken at the start. */
export function progressLine(p: Progress, width = 30): string {
  const [done, total] = p.total === 0 ? [p.phase === 'done' ? 1 : 0, 1] : [p.done, p.total];
  return `${progressBar(done, total, width)} ${p.done}/${p.total} orders, ${p.phase}`;
}

function summary(p: Progress): string {
  return (
    `shard ${p.shard}: ${p.phase}; ${p.done} orders read, ${p.indexed} indexed, ${p.stale} already current, ` +
    `${p.deadLettered} dead-lettered; snapshot from ${p.position}` +
    (p.checkpoint ? `; the tail goes on from ${p.checkpoint}` : '') +
    (p.error ? `; ${p.error}` : '')
  );
}

function shardOf(values: CdcOptions): string {
  if (!values.shard || !/^\d+$/.test(values.shard)) throw new UsageError('--shard N is required');
  return values.shard;
}

async function follow(base: ApiBase, shard: string): Promise<Progress> {
  const tty = process.stdout.isTTY;
  for (;;) {
    const p = (await api(base, 'GET', `/v1/admin/cdc/backfill/${shard}`)) as Progress;
    if (tty) process.stdout.write(`\r${progressLine(p)}`);
    if (p.phase === 'done' || p.phase === 'failed') {
      if (tty) process.stdout.write('\n');
      return p;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function cdcCommand(base: ApiBase, command: string | undefined, values: CdcOptions): Promise<void> {
  if (command === 'status') {
    const { shards } = (await api(base, 'GET', '/v1/admin/cdc')) as { shards: ShardStatus[] };
    console.log(
      table([
        ['SHARD', 'CHECKPOINT', 'SAVED AT', 'BINLOG END', 'DEAD LETTERS'],
        ...shards.map((s) => [
          String(s.shard),
          s.checkpoint ?? '-',
          s.checkpointSavedAt ?? '-',
          s.binlogEnd,
          String(s.deadLetters),
        ]),
      ]),
    );
  } else if (command === 'backfill') {
    const shard = shardOf(values);
    const started = (await api(base, 'POST', '/v1/admin/cdc/backfill', { shard: Number(shard) })) as {
      workflowId: string;
      started: boolean;
    };
    console.log(`${started.started ? 'started' : 'already running'}: workflow ${started.workflowId}`);
    if (values['no-wait']) return;
    const p = await follow(base, shard);
    console.log(summary(p));
    if (p.phase === 'failed') throw new Error(`backfill of shard ${shard} failed`);
  } else if (command === 'progress') {
    const p = (await api(base, 'GET', `/v1/admin/cdc/backfill/${shardOf(values)}`)) as Progress;
    console.log(progressLine(p));
    console.log(summary(p));
  } else {
    throw new UsageError(`unknown command: cdc ${command ?? ''}`.trim());
  }
}
