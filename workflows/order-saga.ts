/**
 * orderSaga: one order's whole life. Reserve stock → create the order with its outbox row → answer the API (the
 * `created` update) → wait for pay / cancel or the payment timeout → ship → complete. A cancelled or timed-out order
 * is marked cancelled (so no payment can land any more), then its reserved stock is released: a compensation that,
 * if it keeps failing, parks the saga for an operator instead of being swallowed. Transitions run one at a time;
 * update validators refuse invalid ones before they reach history.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { InventoryActivities } from '../activities/inventory-activities';
import type { OrderActivities } from '../activities/order-activities';
import type { SagaActivities } from '../activities/saga-activities';
import { ErrorCodes, refusal } from '../lib/errors';
import { TRANSITION_EVENTS } from '../lib/orders/events';
import { ACTION_TARGET, refuseTransition, type OrderAction, type OrderStatus } from '../lib/orders/status';
import { OrderStatusKey, RetryingActivityKey, RetryingAttemptKey } from '../lib/temporal/search-attributes';
import {
  ORDER_REFUSALS,
  activityRetryingSignal,
  cancelUpdate,
  completeUpdate,
  createdUpdate,
  payUpdate,
  retryCompensationSignal,
  shipUpdate,
  statusQuery,
  type ActivityRetrying,
  type OrderCreated,
  type OrderSagaInput,
  type OrderSagaResult,
  type SagaPhase,
  type SagaStatus,
  type SagaStep,
  type TransitionRequest,
} from './order-saga-definitions';

/**
 * Forward steps: short, idempotent database transactions, run as local activities (in the worker that runs the
 * workflow task, without a round trip through the server's task queues — on our machines that is the difference
 * between ~42 and ~63 sagas/s, see bench/). A business refusal or a database refusal no retry can fix
 * (DATA_REJECTED) is non-retryable and stops at once. Reserving and creating retry a failing dependency until the
 * create deadline (input.createDeadlineSeconds), then the saga gives up and releases what it holds; a transition of an
 * existing order retries until the database answers (a late commit of an abandoned attempt would leave the row ahead
 * of the saga), while the API answers 503 after its own deadline.
 */
const forwardRetry = { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' };
const transitions = proxyLocalActivities<OrderActivities>({ startToCloseTimeout: '15 seconds', retry: forwardRetry });
/** The create deadline when the input has none (sagas started before it was configurable). */
const DEFAULT_CREATE_DEADLINE_SECONDS = 60;

/**
 * The attempts of a forward step whose backoffs fit in `deadlineMs` (at least 2). The SDK does not end a local
 * activity's retries at its scheduleToCloseTimeout (measured with SDK 1.24: a step failing at once retried past a 6 s
 * deadline until it succeeded), so the deadline bounds the attempts instead: the step gives up once the waits between
 * its attempts would pass the deadline; each attempt itself is bounded by its startToCloseTimeout.
 */
function attemptsWithin(deadlineMs: number): number {
  let waited = 0;
  let wait = 200;
  let attempts = 1;
  while (waited + wait <= deadlineMs) {
    waited += wait;
    attempts++;
    wait = Math.min(wait * 2, 10_000);
  }
  return Math.max(attempts, 2);
}
/** Compensations: regular activities with bounded attempts, then the saga parks visibly and waits for an operator. */
const compensationOptions = (maximumAttempts: number) => ({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds', maximumAttempts },
});
/** Compensation attempts when the input has none (sagas started before it was configurable). */
const DEFAULT_COMPENSATION_ATTEMPTS = 8;
const saga = proxyActivities<SagaActivities>({ startToCloseTimeout: '5 seconds' });

/** What an activity threw (its ApplicationFailure's message, or its cause's), not the wrapper's "Activity task failed". */
function failureMessage(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return applicationFailure(err)?.message ?? e.cause?.message ?? e.message ?? String(err);
}

/** The ApplicationFailure an activity raised: the failure itself (local activities) or an ActivityFailure's cause. */
function applicationFailure(err: unknown): ApplicationFailure | undefined {
  for (const candidate of [err, (err as { cause?: unknown }).cause]) {
    if (candidate instanceof ApplicationFailure) return candidate;
  }
  return undefined;
}

function failureType(err: unknown): string | undefined {
  return applicationFailure(err)?.type ?? undefined;
}

/** A refusal of the order (one of ORDER_REFUSALS) raised by an activity. */
function businessFailure(err: unknown): ApplicationFailure | undefined {
  const failure = applicationFailure(err);
  return failure && ORDER_REFUSALS.includes(failure.type ?? '') ? failure : undefined;
}

export async function orderSaga(input: OrderSagaInput): Promise<OrderSagaResult> {
  const creating = {
    startToCloseTimeout: '15 seconds',
    retry: {
      ...forwardRetry,
      maximumAttempts: attemptsWithin((input.createDeadlineSeconds ?? DEFAULT_CREATE_DEADLINE_SECONDS) * 1000),
    },
  };
  const inventory = proxyLocalActivities<InventoryActivities>(creating);
  const orders = proxyLocalActivities<OrderActivities>(creating);
  const compensating = proxyActivities<InventoryActivities>(
    compensationOptions(input.compensationAttempts ?? DEFAULT_COMPENSATION_ATTEMPTS),
  );
  const compensatingOrders = proxyActivities<OrderActivities>(
    compensationOptions(input.compensationAttempts ?? DEFAULT_COMPENSATION_ATTEMPTS),
  );
  let phase: SagaPhase = 'RESERVING';
  let rejection: ApplicationFailure | undefined;
  let created: OrderCreated | undefined;
  let compensationParked = false;
  let retryRequested = false;
  let lastError: string | undefined;
  let busy = false;
  let retrying: ActivityRetrying | undefined;
  /** When the payment timeout cancels the order, once it awaits payment. */
  let payBefore: string | undefined;
  const history: SagaStep[] = [];
  /** Undo actions of completed steps, newest first. */
  const compensations: { step: string; run: () => Promise<unknown> }[] = [];

  const record = (step: string, outcome: SagaStep['outcome'], detail?: string): void => {
    history.push({ step, outcome, at: new Date().toISOString(), ...(detail ? { detail } : {}) });
    if (retrying && (outcome === 'completed' || outcome === 'compensated')) {
      // A step got through: whatever kept failing no longer holds the saga.
      retrying = undefined;
      upsertSearchAttributes([
        { key: RetryingActivityKey, value: null },
        { key: RetryingAttemptKey, value: null },
      ]);
    }
  };
  const enter = (next: SagaPhase): void => {
    phase = next;
    upsertSearchAttributes([{ key: OrderStatusKey, value: next }]);
  };
  /** Read through a function: TypeScript would otherwise narrow `phase` across the awaits that change it. */
  const currentPhase = (): SagaPhase => phase;
  const orderStatus = (): OrderStatus | undefined =>
    phase === 'RESERVING' || phase === 'CREATING' || phase === 'REJECTED' ? undefined : phase;

  /** Runs transitions one at a time, so pay, cancel and the timeout never interleave. */
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    // Several waiters wake in the same activation; the loop lets only the first one through. Waiting is not cancelled
    // by a workflow cancel: the transition in progress finishes first.
    while (busy) await CancellationScope.nonCancellable(() => condition(() => !busy));
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  function refusalOf(action: OrderAction): ApplicationFailure | undefined {
    const status = orderStatus();
    if (status === undefined) {
      return phase === 'REJECTED'
        ? refusal('ORDER_NOT_FOUND', 'the order was never created')
        : refusal('ORDER_STATE_CONFLICT', 'the order is still being created');
    }
    const r = refuseTransition(action, status);
    return r ? refusal(r.kind, r.message) : undefined;
  }

  /** Retries a compensation until it succeeds; while it cannot, the saga is parked and says so. */
  async function compensate(step: string, run: () => Promise<unknown>): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      for (;;) {
        try {
          await run();
          record(step, 'compensated');
          return;
        } catch (err) {
          lastError = `${step}: ${failureMessage(err)}`;
          record(step, 'parked', lastError);
          compensationParked = true;
          upsertSearchAttributes([{ key: OrderStatusKey, value: 'COMPENSATION_FAILED' }]);
          await saga.recordCompensationParked({ orderId: input.orderId, step, error: lastError });
          await condition(() => retryRequested);
          retryRequested = false;
          compensationParked = false;
          upsertSearchAttributes([{ key: OrderStatusKey, value: phase }]);
        }
      }
    });
  }

  /** Cancels the order if its row exists unpaid (writing order.cancelled); no row or already cancelled: nothing to do. */
  async function cancelIfCreated(reason: string): Promise<void> {
    try {
      await compensatingOrders.applyTransition({
        orderId: input.orderId,
        shard: input.shard,
        action: 'cancel',
        messageIds: TRANSITION_EVENTS.cancel.map(() => uuid4()),
        request: { actor: 'system', reason, ...(input.correlationId ? { correlationId: input.correlationId } : {}) },
      });
    } catch (err) {
      if (failureType(err) !== ErrorCodes.ORDER_NOT_FOUND.type) throw err;
    }
  }

  async function compensateAll(): Promise<void> {
    for (const c of compensations.splice(0)) await compensate(c.step, c.run);
  }

  async function transition(action: OrderAction, request: TransitionRequest): Promise<OrderStatus> {
    const refused = refusalOf(action);
    if (refused) throw refused;
    record(action, 'started', request.reason ?? `by ${request.actor}`);
    // Once started, a transition runs to its end even if the workflow is cancelled meanwhile: its transaction may
    // already have committed, and the saga must know the status it left.
    // A transition no request asked for (the payment timer, receipt confirmed by the saga) carries the order's id.
    const correlated = request.correlationId ?? input.correlationId;
    await CancellationScope.nonCancellable(() =>
      transitions.applyTransition({
        orderId: input.orderId,
        shard: input.shard,
        action,
        messageIds: TRANSITION_EVENTS[action].map(() => uuid4()),
        request: correlated ? { ...request, correlationId: correlated } : request,
      }),
    );
    record(action, 'completed');
    enter(ACTION_TARGET[action]);
    return ACTION_TARGET[action];
  }

  const transitionHandler = (action: OrderAction) => (request: TransitionRequest) =>
    exclusive(() => transition(action, request));
  const validator = (action: OrderAction) => (_request: TransitionRequest) => {
    const refused = refusalOf(action);
    if (refused) throw refused;
  };

  setHandler(createdUpdate, async (): Promise<OrderCreated> => {
    await condition(() => phase !== 'RESERVING' && phase !== 'CREATING');
    if (rejection) throw rejection;
    return created as OrderCreated;
  });
  setHandler(payUpdate, transitionHandler('pay'), { validator: validator('pay') });
  setHandler(cancelUpdate, transitionHandler('cancel'), { validator: validator('cancel') });
  setHandler(shipUpdate, transitionHandler('ship'), { validator: validator('ship') });
  setHandler(completeUpdate, transitionHandler('complete'), { validator: validator('complete') });
  setHandler(statusQuery, (): SagaStatus => ({
    orderId: input.orderId,
    phase,
    compensationParked,
    history,
    ...(lastError ? { lastError } : {}),
    ...(retrying ? { retrying } : {}),
    ...(payBefore && phase === 'PENDING_PAYMENT' ? { payBefore } : {}),
  }));
  setHandler(activityRetryingSignal, (report) => {
    retrying = report;
    lastError = `${report.activityType} (attempt ${report.attempt}): ${report.error}`;
    upsertSearchAttributes([
      { key: RetryingActivityKey, value: report.activityType },
      { key: RetryingAttemptKey, value: report.attempt },
    ]);
  });
  setHandler(retryCompensationSignal, () => {
    retryRequested = true;
  });

  async function reject(err: ApplicationFailure, step: string): Promise<OrderSagaResult> {
    lastError = `${step}: ${err.message}`;
    record(step, 'failed', err.message);
    // A refusal is answered at once and its stock released right after (its transaction rolled back: nothing was
    // reserved or written). A step given up on may have committed, so the client hears "nothing is held" only once
    // the compensations have run.
    const answerFirst = err.type !== ErrorCodes.ORDER_NOT_CREATED.type;
    if (!answerFirst) await compensateAll();
    rejection = err;
    enter('REJECTED');
    await compensateAll();
    await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
    return { orderId: input.orderId, phase, reason: err.type ?? err.message };
  }

  /**
   * A forward step that failed: a business refusal is the client's answer as it is; anything else (a database refusal
   * no retry fixes, or a dependency still failing at the create deadline) is ORDER_NOT_CREATED. Either way what the
   * saga holds is released before the run closes.
   */
  function refusalFromStep(step: string, err: unknown): ApplicationFailure {
    return (
      businessFailure(err) ??
      refusal(
        'ORDER_NOT_CREATED',
        `the order could not be created (${step}: ${failureMessage(err)}); nothing is held`,
        {
          step,
          cause: failureMessage(err),
        },
      )
    );
  }

  // 1. Reserve stock (all items or none). The release is registered first: a reservation that committed while its
  // step timed out is released too (releasing an order that reserved nothing changes nothing).
  //
  // Changing a workflow (docs/architecture.md "Changing a workflow"): sagas live for days, and a change to the
  // commands they issue must not break those already running (or the queries of closed ones, which replay them).
  // Sagas started before this change registered the release only after a reservation succeeded, so a refused one
  // ran no release: `patched` keeps that path for their histories (no marker) and records the marker for new ones.
  const release = { step: 'release-stock', run: () => compensating.releaseStock({ orderId: input.orderId }) };
  const releaseFirst = patched('release-stock-before-reserving');
  if (releaseFirst) compensations.unshift(release);
  record('reserve', 'started');
  let reserved;
  try {
    // Forward steps are not cancelled half-way by a workflow cancel (a reservation or an order row committed by a
    // step the saga never heard back from would be lost); the cancel takes effect once the order exists.
    reserved = await CancellationScope.nonCancellable(() =>
      inventory.reserveStock({ orderId: input.orderId, items: input.items }),
    );
  } catch (err) {
    return reject(refusalFromStep('reserve', err), 'reserve');
  }
  record('reserve', 'completed');
  if (!releaseFirst) compensations.unshift(release);

  // 2. Create the order, its items and the order.created outbox row in one shard transaction.
  phase = 'CREATING';
  record('create-order', 'started');
  try {
    const { orderId, shard, userId, orderNo, shippingAddress, paymentMethod, remark, idempotencyKey, correlationId } =
      input;
    const messageId = uuid4();
    const result = await CancellationScope.nonCancellable(() =>
      orders.createOrder({
        order: {
          orderId,
          shard,
          userId,
          orderNo,
          shippingAddress,
          paymentMethod,
          remark,
          ...(idempotencyKey ? { idempotencyKey } : {}),
          ...(correlationId ? { correlationId } : {}),
        },
        items: reserved.items,
        messageId,
      }),
    );
    created = { orderId, orderNo, items: reserved.items, createdAt: result.createdAt };
  } catch (err) {
    // A refusal comes from a transaction that rolled back (a retry finds a committed row and succeeds); given up for
    // any other reason, a row that committed anyway is cancelled (order.cancelled) before the stock is released.
    if (!businessFailure(err)) {
      compensations.unshift({ step: 'void-order', run: () => cancelIfCreated('the order could not be confirmed') });
    }
    return reject(refusalFromStep('create-order', err), 'create-order');
  }
  record('create-order', 'completed');
  // 3. The `created` update now answers the API.
  enter('PENDING_PAYMENT');

  /**
   * Ship and complete come by later updates (the shop ships, the buyer confirms receipt); a shipped order whose buyer
   * does not confirm within input.autoConfirmSeconds is confirmed by the saga (a durable timer). The saga ends at
   * completed or cancelled (stock released first).
   */
  async function untilTheEnd(): Promise<void> {
    const autoConfirmSeconds = input.autoConfirmSeconds;
    if (autoConfirmSeconds !== undefined) {
      await condition(() => phase === 'SHIPPED' || phase === 'COMPLETED' || phase === 'CANCELLED');
      const shipped = currentPhase() === 'SHIPPED';
      if (shipped && !(await condition(() => phase !== 'SHIPPED', autoConfirmSeconds * 1000))) {
        await exclusive(async () => {
          if (currentPhase() === 'SHIPPED') {
            await transition('complete', {
              actor: 'system',
              reason: `receipt confirmed automatically ${autoConfirmSeconds} s after shipping`,
            });
          }
        });
      }
    }
    await condition(() => phase === 'COMPLETED' || phase === 'CANCELLED');
    if (currentPhase() === 'CANCELLED') await compensateAll();
    await condition(() => !busy && allHandlersFinished());
  }

  /**
   * A cancel of the workflow itself (temporal CLI or Web UI) is the operator cancelling the order: an unpaid order is
   * cancelled as by the cancel update (status, `order.cancelled`) and its stock released; a paid one is not (there is
   * no refund step), so the request is recorded as refused and the saga goes on to its end.
   */
  async function onWorkflowCancel(): Promise<void> {
    await exclusive(async () => {
      if (currentPhase() === 'PENDING_PAYMENT') {
        await transition('cancel', { actor: 'operator', reason: 'the workflow was cancelled' });
      }
    });
    if (currentPhase() !== 'CANCELLED' && currentPhase() !== 'COMPLETED') {
      record('workflow-cancel', 'failed', `the order is ${currentPhase()}: a paid order is not cancelled this way`);
    }
    await untilTheEnd();
  }

  /**
   * An unexpected failure of the saga's own steps after the order exists (a transition the database refuses for
   * good): an unpaid order is cancelled and its stock released (each parks for an operator while it cannot be done),
   * a paid one keeps its stock (it is sold); then the run fails with the error, visible in the Web UI.
   */
  async function onFailure(err: unknown): Promise<never> {
    lastError = `saga: ${failureMessage(err)}`;
    record('saga', 'failed', lastError);
    await CancellationScope.nonCancellable(async () => {
      await exclusive(async () => {
        if (currentPhase() !== 'PENDING_PAYMENT') return;
        await compensate('cancel-order', () => cancelIfCreated(`the saga failed: ${failureMessage(err)}`));
        enter('CANCELLED');
      });
      if (currentPhase() === 'CANCELLED') await compensateAll();
    });
    throw err;
  }

  try {
    // 4. Payment, cancellation or the payment timeout (workflow time: the same on every replay; no command).
    payBefore = new Date(Date.now() + input.paymentTimeoutSeconds * 1000).toISOString();
    const decided = await condition(() => phase !== 'PENDING_PAYMENT', input.paymentTimeoutSeconds * 1000);
    if (!decided) {
      await exclusive(async () => {
        if (currentPhase() === 'PENDING_PAYMENT') {
          await transition('cancel', {
            actor: 'system',
            reason: `payment timeout after ${input.paymentTimeoutSeconds} s`,
          });
        }
      });
    }
    // 5. To completed or cancelled.
    await untilTheEnd();
  } catch (err) {
    if (!isCancellation(err)) return onFailure(err);
    await CancellationScope.nonCancellable(onWorkflowCancel);
  }
  return { orderId: input.orderId, phase: currentPhase() };
}
