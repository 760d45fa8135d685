/**
 * `doos saga list|show|retry|cancel|repair`: find stuck order sagas and repair them (docs/operations.md "Stuck
 * sagas"), over /v1/admin/sagas.
 */
import type { SagaDetail, SagaRepair, SagaSummary } from '../api/services/saga-service';
import { api, progressBar, table, UsageError, type ApiBase } from './output';
import { traceTable } from './trace-commands';

export const SAGA_USAGE = `  doos saga list [--stuck] [--status S] [--user ID] [--since ISO-TIME] [--limit N]
                                        sagas newest first (ORDER, STUCK, PHASE, EXECUTION, AGE, ATTEMPT, LAST ERROR, WEB UI)
  doos saga show <orderId|orderNo>      the saga, its pending work, the order row, its steps, outbox rows and search document
  doos saga retry <orderId|orderNo>     the repair its situation needs (parked compensation, failing activity or workflow task, closed saga)
  doos saga cancel <orderId|orderNo> --reason TEXT
                                        cancel an unpaid order through its saga, compensating (never a terminate)
  doos saga repair --stuck [--dry-run]  retry every stuck saga, with a progress bar; exit 1 if any repair failed`;

export interface SagaOptions {
  stuck?: boolean;
  status?: string;
  user?: string;
  since?: string;
  limit?: string;
  reason?: string;
  'dry-run'?: boolean;
}

const age = (seconds: number): string =>
  seconds < 120 ? `${seconds}s` : seconds < 7200 ? `${Math.round(seconds / 60)}m` : `${Math.round(seconds / 3600)}h`;

function sagaTable(items: SagaSummary[]): string {
  return table([
    ['ORDER', 'STUCK', 'PHASE', 'EXECUTION', 'AGE', 'ATTEMPT', 'LAST ERROR', 'WEB UI'],
    ...items.map((s) => [
      s.orderId,
      s.stuck ?? '-',
      s.phase ?? '-',
      s.execution,
      age(s.ageSeconds),
      s.attempt === null ? '-' : String(s.attempt),
      (s.lastError ?? '').replace(/\s+/g, ' ').slice(0, 80),
      s.webUiUrl,
    ]),
  ]);
}

async function listSagas(base: ApiBase, values: SagaOptions): Promise<SagaSummary[]> {
  const q = new URLSearchParams();
  if (values.stuck) q.set('stuck', 'true');
  if (values.status) q.set('status', values.status);
  if (values.user) q.set('userId', values.user);
  if (values.since) q.set('since', values.since);
  if (values.limit) q.set('limit', values.limit);
  const { items } = (await api(base, 'GET', `/v1/admin/sagas?${q.toString()}`)) as { items: SagaSummary[] };
  return items;
}

function printShow(d: SagaDetail): void {
  const s = d.saga;
  console.log(
    `saga ${s.workflowId} run ${s.runId}: ${s.execution}, phase ${s.phase ?? '-'}, ${s.stuck ? `STUCK (${s.stuck})` : 'not stuck'}`,
  );
  console.log(`started ${s.startedAt}${s.closedAt ? `, closed ${s.closedAt}` : ''}; ${s.webUiUrl}`);
  if (s.lastError) console.log(`last error: ${s.lastError}`);
  if (s.workflowTaskAttempt && s.workflowTaskAttempt > 1)
    console.log(`workflow task at attempt ${s.workflowTaskAttempt}`);
  for (const a of s.pendingActivities) {
    console.log(
      `pending activity ${a.activityType}: ${a.state}, attempt ${a.attempt}${a.lastFailure ? `, last failure: ${a.lastFailure}` : ''}`,
    );
  }
  if (s.retryingActivity) console.log(`reported failing: ${s.retryingActivity} (attempt ${s.attempt ?? '?'})`);
  const o = d.order as { status?: string; actualAmount?: string; userId?: string } | null;
  console.log(o ? `order: ${o.status}, ${o.actualAmount}, user ${o.userId}` : 'order: no row');
  if (d.trace) {
    console.log(traceTable(d.trace));
    const { search } = d.trace;
    console.log(
      search.indexed
        ? `search document: ${search.status ?? '?'}, ${search.matchesRow ? 'matches the row' : 'DIFFERS from the row'}`
        : 'search document: not indexed',
    );
  }
}

function refOf(arg: string | undefined, command: string): string {
  if (!arg) throw new UsageError(`doos saga ${command} needs an order id or order number`);
  return arg;
}

export async function sagaCommand(
  base: ApiBase,
  command: string | undefined,
  arg: string | undefined,
  values: SagaOptions,
): Promise<void> {
  switch (command) {
    case 'list': {
      const items = await listSagas(base, values);
      if (items.length > 0) console.log(sagaTable(items));
      console.log(`${items.length} saga(s)${values.stuck ? ' stuck' : ''}`);
      return;
    }
    case 'show':
      printShow((await api(base, 'GET', `/v1/admin/sagas/${refOf(arg, 'show')}`)) as SagaDetail);
      return;
    case 'retry': {
      const done = (await api(base, 'POST', `/v1/admin/sagas/${refOf(arg, 'retry')}/retry`, {})) as SagaRepair;
      console.log(`order ${done.orderId}: ${done.action}`);
      return;
    }
    case 'cancel': {
      if (!values.reason) throw new UsageError('doos saga cancel needs --reason');
      const done = (await api(base, 'POST', `/v1/admin/sagas/${refOf(arg, 'cancel')}/cancel`, {
        reason: values.reason,
      })) as SagaRepair;
      console.log(`order ${done.orderId}: ${done.action}`);
      return;
    }
    case 'repair': {
      if (!values.stuck) throw new UsageError('doos saga repair needs --stuck (it repairs the stuck sagas)');
      const stuck = await listSagas(base, { ...values, limit: values.limit ?? '1000' });
      if (values['dry-run']) {
        if (stuck.length > 0) console.log(sagaTable(stuck));
        console.log(`${stuck.length} stuck saga(s) would be retried; nothing was changed`);
        return;
      }
      const failed: string[] = [];
      const tty = process.stdout.isTTY;
      for (const [i, s] of stuck.entries()) {
        try {
          const done = (await api(base, 'POST', `/v1/admin/sagas/${s.orderId}/retry`, {})) as SagaRepair;
          if (!tty) console.log(`order ${s.orderId} (${s.stuck ?? '-'}): ${done.action}`);
        } catch (err) {
          failed.push(`order ${s.orderId} (${s.stuck ?? '-'}): ${(err as Error).message}`);
        }
        if (tty) process.stdout.write(`\r${progressBar(i + 1, stuck.length)} ${i + 1}/${stuck.length} sagas`);
      }
      if (tty && stuck.length > 0) process.stdout.write('\n');
      for (const f of failed) console.error(`failed: ${f}`);
      console.log(`${stuck.length - failed.length} of ${stuck.length} stuck saga(s) retried`);
      if (failed.length > 0) process.exitCode = 1;
      return;
    }
    default:
      throw new UsageError(`unknown saga command '${command ?? ''}' (list, show, retry, cancel, repair)`);
  }
}
