/** `doos outbox list|retry|retry-failed`: the outbox rows of every shard, and putting failed ones back to pending. */
import { api, table, UsageError, type ApiBase } from './output';

export const OUTBOX_USAGE = `  doos outbox list [--status PENDING|SENT|CONFIRMED|FAILED] [--shard N] [--order ID] [--limit N]
  doos outbox retry <messageId>
  doos outbox retry-failed [--shard N]`;

interface OutboxRow {
  messageId: string;
  shard: number;
  orderId: string;
  eventType: string;
  status: string;
  retryCount: number;
  maxRetry: number;
  nextRetryAt: string | null;
  errorMsg: string | null;
}

export interface OutboxOptions {
  status?: string;
  shard?: string;
  order?: string;
  limit?: string;
}

export async function outboxCommand(
  base: ApiBase,
  command: string | undefined,
  arg: string | undefined,
  values: OutboxOptions,
): Promise<void> {
  if (command === 'list') {
    const q = new URLSearchParams();
    if (values.status) q.set('status', values.status.toUpperCase());
    if (values.shard) q.set('shard', values.shard);
    if (values.order) q.set('orderId', values.order);
    if (values.limit) q.set('limit', values.limit);
    const { items } = (await api(base, 'GET', `/v1/admin/outbox?${q.toString()}`)) as { items: OutboxRow[] };
    console.log(
      table([
        ['MESSAGE ID', 'SHARD', 'ORDER', 'EVENT', 'STATUS', 'RETRIES', 'NEXT RETRY', 'ERROR'],
        ...items.map((r) => [
          r.messageId,
          String(r.shard),
          r.orderId,
          r.eventType,
          r.status,
          `${r.retryCount}/${r.maxRetry}`,
          r.nextRetryAt ?? '-',
          (r.errorMsg ?? '').slice(0, 60),
        ]),
      ]),
    );
    console.log(`${items.length} message(s)`);
  } else if (command === 'retry') {
    if (!arg) throw new UsageError('doos outbox retry needs a message id');
    const row = (await api(base, 'POST', `/v1/admin/outbox/${encodeURIComponent(arg)}/retry`)) as OutboxRow;
    console.log(`message ${row.messageId} (order ${row.orderId}, shard ${row.shard}) is ${row.status} again`);
  } else if (command === 'retry-failed') {
    const q = values.shard ? `?shard=${encodeURIComponent(values.shard)}` : '';
    const { shards } = (await api(base, 'POST', `/v1/admin/outbox/retry-failed${q}`)) as {
      shards: { shard: number; retried: number }[];
    };
    console.log(table([['SHARD', 'RETRIED'], ...shards.map((s) => [String(s.shard), String(s.retried)])]));
  } else {
    throw new UsageError(`unknown command: outbox ${command ?? ''}`.trim());
  }
}
