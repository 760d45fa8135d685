/**
 * `doos saga` behind the API (role ops/admin; acts audited): list sagas (all, or the stuck ones — lib/sagas/
 * stuck-sagas.ts), show one with everything that belongs to it, and repair one — retry what holds it the way its
 * situation needs, or cancel it with compensation (never a bare terminate).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { resolveOrderRef } from '../../lib/ids/order-id';
import type { OrderView } from '../../lib/orders/order-view';
import {
  FINAL_ORDER_STATUSES,
  RUNNING_SAGAS,
  sagaListQuery,
  stuckQueries,
  type StuckKind,
} from '../../lib/sagas/stuck-sagas';
import { OrderStatusKey, RetryingActivityKey, RetryingAttemptKey } from '../../lib/temporal/search-attributes';
import { orderSagaWorkflow, retryCompensationSignal } from '../../workflows/order-saga-definitions';
import type { OrderService } from './order-service';
import type { OrderTrace, TraceService } from './trace-service';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

export interface SagaSummary {
  orderId: string;
  workflowId: string;
  runId: string;
  /** Running, Completed, Failed, Canceled, Terminated, TimedOut. */
  execution: string;
  /** The saga's OrderStatus search attribute: its phase as Temporal's visibility knows it. */
  phase: string | null;
  stuck: StuckKind | null;
  startedAt: string;
  closedAt: string | null;
  ageSeconds: number;
  attempt: number | null;
  lastError: string | null;
  webUiUrl: string;
}

export interface SagaDetail {
  saga: SagaSummary & {
    pendingActivities: { activityType: string; attempt: number; lastFailure: string | null; state: string }[];
    workflowTaskAttempt: number | null;
    retryingActivity: string | null;
  };
  order: OrderView | null;
  trace: OrderTrace | null;
  /** Zipkin's search for the traces of the request that placed the order (null: tracing off or no request id). */
  traceUrl: string | null;
}

export interface SagaRepair {
  orderId: string;
  action: string;
}

export interface SagaFilter {
  stuck?: boolean;
  status?: string;
  userId?: string;
  since?: Date;
  limit: number;
}

export interface SagaServiceDeps {
  temporal: Client;
  config: Pick<Config, 'temporal' | 'order' | 'tracing'>;
  orders: Pick<OrderService, 'findByRef'>;
  traces: Pick<TraceService, 'traceOrder'>;
  /** Settles closed sagas' unfinished orders (the reconciler's run). */
  reconcile: () => Promise<{ workflowId: string }>;
}

/** Running sagas described when looking for a failing workflow task (newest first). */
const WORKFLOW_TASK_SCAN = 500;
const DESCRIBE_CONCURRENCY = 8;

export class SagaService {
  constructor(private readonly deps: SagaServiceDeps) {}

  private get temporal(): Client {
    return this.deps.temporal;
  }

  /** Zipkin's UI searching the spans of a request id (the API's route span carries it as doos.correlation_id). */
  private traceUrl(correlationId: string | null): string | null {
    const { enabled, zipkinUrl } = this.deps.config.tracing;
    if (!enabled || !correlationId) return null;
    const query = new URLSearchParams({
      annotationQuery: `doos.correlation_id=${correlationId}`,
      lookback: '604800000',
    });
    return `${new URL('/zipkin/', zipkinUrl).toString()}?${query.toString()}`;
  }

  private webUiUrl(workflowId: string, runId: string): string {
    const { webUiUrl, namespace } = this.deps.config.temporal;
    return `${webUiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
  }

  private summary(w: Omit<WorkflowExecutionInfo, 'raw'>, stuck: StuckKind | null, now: number): SagaSummary {
    const attempt = w.typedSearchAttributes.get(RetryingAttemptKey);
    return {
      orderId: w.workflowId.slice('order:'.length),
      workflowId: w.workflowId,
      runId: w.runId,
      execution: w.status.name,
      phase: w.typedSearchAttributes.get(OrderStatusKey) ?? null,
      stuck,
      startedAt: w.startTime.toISOString(),
      closedAt: w.closeTime?.toISOString() ?? null,
      ageSeconds: Math.round((now - w.startTime.getTime()) / 1000),
      attempt: attempt ?? null,
      lastError: null,
      webUiUrl: this.webUiUrl(w.workflowId, w.runId),
    };
  }

  private async listQuery(query: string, limit: number): Promise<WorkflowExecutionInfo[]> {
    const found: WorkflowExecutionInfo[] = [];
    for await (const w of this.temporal.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
      found.push(w);
      if (found.length >= limit) break;
    }
    return found;
  }

  /** Sagas newest first, filtered; with `stuck`, only the stuck ones, each with its kind, attempt and last error. */
  async list(filter: SagaFilter): Promise<SagaSummary[]> {
    const now = Date.now();
    if (!filter.stuck) {
      const found = await this.listQuery(sagaListQuery(filter), filter.limit);
      return found.map((w) => this.summary(w, null, now));
    }
    const stuck = new Map<string, SagaSummary>();
    const queries = stuckQueries(this.deps.config.order.stuck, new Date(now));
    for (const [kind, query] of Object.entries(queries) as [StuckKind, string][]) {
      const narrowed = [query, ...sagaListQuery(filter).split(' AND ').slice(1)].join(' AND ');
      for (const w of await this.listQuery(narrowed, filter.limit)) {
        if (!stuck.has(w.workflowId)) stuck.set(w.workflowId, this.summary(w, kind, now));
      }
    }
    for (const w of await this.failingWorkflowTasks(filter)) {
      if (!stuck.has(w.workflowId)) stuck.set(w.workflowId, this.summary(w, 'workflow-task-failing', now));
    }
    const rows = await mapLimited([...stuck.values()], DESCRIBE_CONCURRENCY, (s) => this.withDetails(s));
    return rows
      .filter((s): s is SagaSummary => s !== undefined)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, filter.limit);
  }

  /** Running sagas whose workflow task keeps failing (found by describing them: visibility cannot say). */
  private async failingWorkflowTasks(filter: SagaFilter): Promise<WorkflowExecutionInfo[]> {
    const query = [RUNNING_SAGAS, ...sagaListQuery(filter).split(' AND ').slice(1)].join(' AND ');
    const running = await this.listQuery(query, WORKFLOW_TASK_SCAN);
    const failing = await mapLimited(running, DESCRIBE_CONCURRENCY, async (w) => {
      const attempt = await this.workflowTaskAttempt(w.workflowId, w.runId).catch(() => 0);
      return attempt >= 2 ? w : undefined;
    });
    return failing.filter((w): w is WorkflowExecutionInfo => w !== undefined);
  }

  private async workflowTaskAttempt(workflowId: string, runId: string): Promise<number> {
    const described = await this.temporal.workflow.getHandle(workflowId, runId).describe();
    return described.raw.pendingWorkflowTask?.attempt ?? 0;
  }

  /**
   * The attempt and last error of a stuck saga (its pending activity, its failing workflow task, or the last failure
   * in its history); a closed saga whose order row is final after all is not stuck (undefined).
   */
  private async withDetails(s: SagaSummary): Promise<SagaSummary | undefined> {
    if (s.stuck === 'closed-not-final') {
      const order = await this.deps.orders.findByRef(s.orderId).catch(() => null);
      if (!order || FINAL_ORDER_STATUSES.includes(order.status)) return undefined;
      return { ...s, lastError: `saga ${s.execution.toLowerCase()} while the order is ${order.status}` };
    }
    const handle = this.temporal.workflow.getHandle(s.workflowId, s.runId);
    const described = await handle.describe();
    const pending = described.raw.pendingActivities?.[0];
    const workflowTask = described.raw.pendingWorkflowTask;
    const history = await handle.fetchHistory();
    return {
      ...s,
      attempt: pending?.attempt ?? ((workflowTask?.attempt ?? 0) > 1 ? (workflowTask?.attempt ?? null) : s.attempt),
      lastError: pending?.lastFailure?.message ?? lastFailureOf(history.events ?? []) ?? null,
    };
  }

  private async describeSaga(orderId: string) {
    const handle = this.temporal.workflow.getHandle(orderSagaWorkflow.workflowId(orderId));
    try {
      return { handle, described: await handle.describe() };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw new AppError('SAGA_NOT_FOUND', `order ${orderId} has no saga (never started, or past retention)`);
      }
      throw err;
    }
  }

  private orderIdOf(ref: string): string {
    const resolved = resolveOrderRef(ref);
    if (!resolved) throw new AppError('ORDER_NOT_FOUND', `order ${ref} not found`);
    return resolved.orderId.toString();
  }

  /** One saga with its pending work, the order row, and the order's records (steps, outbox, search document). */
  async show(ref: string): Promise<SagaDetail> {
    const orderId = this.orderIdOf(ref);
    const { described } = await this.describeSaga(orderId);
    const order = await this.deps.orders.findByRef(orderId).catch((err: unknown) => {
      if (err instanceof AppError && err.kind === 'ORDER_NOT_FOUND') return null;
      throw err;
    });
    const summary = this.summary(described, null, Date.now());
    const kind = await this.stuckKindOf(summary, described.raw, order);
    const history = await this.temporal.workflow.getHandle(described.workflowId, described.runId).fetchHistory();
    const pending = described.raw.pendingActivities ?? [];
    return {
      saga: {
        ...summary,
        stuck: kind,
        attempt: pending[0]?.attempt ?? summary.attempt,
        lastError: pending[0]?.lastFailure?.message ?? lastFailureOf(history.events ?? []) ?? null,
        pendingActivities: pending.map((a) => ({
          activityType: a.activityType?.name ?? '?',
          attempt: a.attempt ?? 0,
          lastFailure: a.lastFailure?.message ?? null,
          state: temporal.api.enums.v1.PendingActivityState[a.state ?? 0] ?? 'UNKNOWN',
        })),
        workflowTaskAttempt: described.raw.pendingWorkflowTask?.attempt ?? null,
        retryingActivity: described.typedSearchAttributes.get(RetryingActivityKey) ?? null,
      },
      order,
      trace: order ? await this.deps.traces.traceOrder(order) : null,
      traceUrl: this.traceUrl(order?.correlationId ?? null),
    };
  }

  private async stuckKindOf(
    s: SagaSummary,
    raw: temporal.api.workflowservice.v1.IDescribeWorkflowExecutionResponse,
    order: OrderView | null,
  ): Promise<StuckKind | null> {
    const { creatingSeconds, attempts } = this.deps.config.order.stuck;
    if (s.execution !== 'RUNNING') {
      return order && !FINAL_ORDER_STATUSES.includes(order.status) ? 'closed-not-final' : null;
    }
    if (s.phase === 'COMPENSATION_FAILED') return 'compensation-parked';
    if ((raw.pendingWorkflowTask?.attempt ?? 0) >= 2) return 'workflow-task-failing';
    if ((s.attempt ?? 0) >= attempts || (raw.pendingActivities ?? []).some((a) => (a.attempt ?? 0) >= attempts)) {
      return 'activity-retrying';
    }
    if (s.phase === 'RESERVING' && s.ageSeconds > creatingSeconds) return 'creating-too-long';
    return Promise.resolve(null);
  }

  /**
   * The repair a stuck saga needs: a parked compensation is retried (the retryCompensation signal); a failing remote
   * activity is reset (attempt 1, now); a failing workflow task is reset to the last workflow task that completed
   * (after a fixed deploy: the events after it are replayed on the new code, signals and updates reapplied); a closed
   * saga's unfinished order is settled by a reconciler run. Anything else is not stuck: 409 / 40005.
   */
  async retry(ref: string, actor: string): Promise<SagaRepair> {
    const orderId = this.orderIdOf(ref);
    const { handle, described } = await this.describeSaga(orderId);
    const order = await this.deps.orders.findByRef(orderId).catch(() => null);
    const summary = this.summary(described, null, Date.now());
    const kind = await this.stuckKindOf(summary, described.raw, order);
    const { namespace } = this.deps.config.temporal;
    const execution = { workflowId: described.workflowId, runId: described.runId };
    switch (kind) {
      case 'compensation-parked':
        await handle.signal(retryCompensationSignal);
        return { orderId, action: 'retried the parked compensation (retryCompensation signal)' };
      case 'workflow-task-failing': {
        const history = await handle.fetchHistory();
        const lastGood = [...(history.events ?? [])]
          .reverse()
          .find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
        if (!lastGood) {
          throw new AppError(
            'SAGA_NOT_STUCK',
            'its first workflow task fails: there is no earlier point to reset to; deploy code that runs it and it retries by itself',
          );
        }
        const { runId } = await this.temporal.workflowService.resetWorkflowExecution({
          namespace,
          workflowExecution: execution,
          reason: `doos saga retry by ${actor}`,
          workflowTaskFinishEventId: lastGood.eventId ?? null,
          requestId: randomUUID(),
        });
        return { orderId, action: `reset to event ${String(lastGood.eventId)} (new run ${runId})` };
      }
      case 'activity-retrying': {
        const pending = described.raw.pendingActivities?.[0];
        if (!pending) {
          // A local activity: it retries inside the worker's workflow task; the reset of the task runs it at once.
          return {
            orderId,
            action: 'the failing step is a local activity: it retries by itself once its cause is fixed',
          };
        }
        await this.temporal.workflowService.resetActivity({
          namespace,
          execution,
          identity: actor,
          id: pending.activityId ?? null,
          resetHeartbeat: false,
          keepPaused: false,
        });
        return { orderId, action: `reset activity ${pending.activityType?.name ?? '?'} to attempt 1` };
      }
      case 'closed-not-final': {
        const run = await this.deps.reconcile();
        return { orderId, action: `settled by reconciler run ${run.workflowId}` };
      }
      case 'creating-too-long':
        return {
          orderId,
          action: 'still creating: it goes on once a worker polls `orders` and its dependencies answer',
        };
      default:
        throw new AppError('SAGA_NOT_STUCK', `the saga of order ${orderId} is not stuck: nothing to retry`);
    }
  }

  /**
   * Cancels the order through its saga, compensating: a workflow cancel request (with the reason), which the saga
   * turns into the order's cancel and the release of its stock. A paid, shipped or finished order is refused, as a
   * closed saga is: its order is the reconciler's (retry).
   */
  async cancel(ref: string, actor: string, reason: string): Promise<SagaRepair> {
    const orderId = this.orderIdOf(ref);
    const { described } = await this.describeSaga(orderId);
    const order = await this.deps.orders.findByRef(orderId).catch(() => null);
    if (order && order.status !== 'PENDING_PAYMENT') {
      const kind =
        order.status === 'CANCELLED'
          ? 'ORDER_CANCELLED'
          : order.status === 'PAID'
            ? 'ORDER_PAID'
            : 'ORDER_STATE_CONFLICT';
      throw new AppError(kind, `order ${orderId} is ${order.status}: only an unpaid order is cancelled`);
    }
    if (described.status.name !== 'RUNNING') {
      throw new AppError(
        'ORDER_STATE_CONFLICT',
        `the saga of order ${orderId} is closed (${described.status.name}); doos saga retry settles its order`,
      );
    }
    await this.temporal.workflowService.requestCancelWorkflowExecution({
      namespace: this.deps.config.temporal.namespace,
      workflowExecution: { workflowId: described.workflowId, runId: described.runId },
      identity: actor,
      requestId: randomUUID(),
      reason: reason.slice(0, 1000),
    });
    return { orderId, action: 'cancel requested: the saga cancels the order and releases its stock' };
  }
}

/** The message of the last failure in a history: an activity, a local activity's marker, or a workflow task. */
export function lastFailureOf(events: readonly HistoryEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const failure =
      e.activityTaskFailedEventAttributes?.failure ??
      e.markerRecordedEventAttributes?.failure ??
      e.workflowTaskFailedEventAttributes?.failure ??
      e.workflowExecutionFailedEventAttributes?.failure;
    if (failure?.message)
      return failure.cause?.message ? `${failure.message}: ${failure.cause.message}` : failure.message;
  }
  return undefined;
}

/** Maps with at most `limit` calls in flight. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
