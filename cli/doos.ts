/**
 * `doos`: the operators' command line, over the API (DOOS_API_URL, default http://127.0.0.1:<api.port>).
 *   doos outbox list [--status PENDING|SENT|CONFIRMED|FAILED] [--shard N] [--order ID] [--limit N]
 *   doos outbox retry <messageId>
 *   doos outbox retry-failed [--shard N]
 * Exit codes: 0 done, 1 the API refused or could not be reached, 2 wrong usage.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';

const USAGE = `usage:
  doos outbox list [--status PENDING|SENT|CONFIRMED|FAILED] [--shard N] [--order ID] [--limit N]
  doos outbox retry <messageId>
  doos outbox retry-failed [--shard N]`;

class UsageError extends Error {}

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

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function api(base: string, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { method });
  const body = (await res.json().catch(() => ({}))) as { code?: number; message?: string };
  if (!res.ok) throw new Error(`${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim());
  return body;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      shard: { type: 'string' },
      order: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [area, command, arg] = positionals;
  if (area !== 'outbox' || !command) throw new UsageError('expected: doos outbox <list|retry|retry-failed>');
  const base = process.env.DOOS_API_URL ?? `http://127.0.0.1:${loadConfig().api.port}`;
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
    throw new UsageError(`unknown command: outbox ${command}`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`doos: ${(err as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`doos: ${(err as Error).message}`);
    process.exit(1);
  },
);
