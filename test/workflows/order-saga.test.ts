import assert from 'node:assert/strict';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { InventoryActivities } from '../../activities/inventory-activities';
import type { OrderActivities, ApplyTransitionInput } from '../../activities/order-activities';
import type { SagaActivities } from '../../activities/saga-activities';
import { OrderStatusKey, ShardKey, UserIdKey } from '../../lib/temporal/search-attributes';
import {
  cancelUpdate,
  completeUpdate,
  createdUpdate,
  payUpdate,
  retryCompensationSignal,
  shipUpdate,
  statusQuery,
  type OrderSagaInput,
} from '../../workflows/order-saga-definitions';
import { orderSaga } from '../../workflows/order-saga';

type Activities = InventoryActivities & OrderActivities & SagaActivities;

/** Activities that record their calls; each test overrides the ones it makes fail. */
function fakeActivities(overrides: Partial<Activities> = {}): { activities: Activities; calls: string[] } {
  const calls: string[] = [];
  const activities: Activities = {
    reserveStock: (input) => {
      calls.push('reserveStock');
      return Promise.resolve({
        items: input.items.map((i) => ({
          ...i,
          productName: 'Tea',
          productImage: '',
          priceCents: 500,
          subtotalCents: 500 * i.quantity,
        })),
      });
    },
    releaseStock: () => {
      calls.push('releaseStock');
      return Promise.resolve({ released: 1 });
    },
    createOrder: () => {
      calls.push('createOrder');
      return Promise.resolve({ created: true, createdAt: '2026-11-25T12:00:00.000Z' });
    },
    applyTransition: (input: ApplyTransitionInput) => {
      calls.push(`applyTransition:${input.action}:${input.request.actor}`);
      return Promise.resolve({ status: 'PAID', applied: true });
    },
    recordCompensationParked: () => {
      calls.push('recordCompensationParked');
      return Promise.resolve();
    },
    ...overrides,
  };
  return { activities, calls };
}

/** Polls `check` until it holds (the saga reacts to a cancel request in its own time). */
async function assertEventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail('the condition did not hold in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let seq = 0;
function sagaInput(paymentTimeoutSeconds = 1800): OrderSagaInput {
  seq++;
  return {
    orderId: `${1000 + seq}`,
    orderNo: `20261125001${1000 + seq}`,
    userId: '1001',
    shard: 1,
    items: [{ productId: '1', skuId: '101', quantity: 2 }],
    shippingAddress: { name: 'Li Lei', phone: '13800000000', detail: '1 West Lake Road' },
    paymentMethod: 'alipay',
    remark: '',
    paymentTimeoutSeconds,
  };
}

describe('orderSaga workflow (local Temporal dev server from the bundled CLI)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;

  before(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: path.resolve(__dirname, '../../deployments/native/temporal') },
        ip: '127.0.0.1',
        searchAttributes: [OrderStatusKey, UserIdKey, ShardKey],
      },
    });
  });

  after(async () => {
    await env?.teardown();
  });

  async function run<T>(activities: Activities, body: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `saga-${seq}-${Date.now()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows/order-saga'),
      activities,
    });
    return worker.runUntil(body(taskQueue));
  }

  async function start(taskQueue: string, input: OrderSagaInput) {
    return env.client.workflow.start(orderSaga, {
      taskQueue,
      workflowId: `order:${input.orderId}`,
      args: [input],
      typedSearchAttributes: [{ key: OrderStatusKey, value: 'RESERVING' }],
    });
  }

  /** Starts the saga and asks for `created` in one call, as the API does (update-with-start). */
  function startAndAwaitCreated(taskQueue: string, input: OrderSagaInput) {
    const op = new WithStartWorkflowOperation(orderSaga, {
      taskQueue,
      workflowId: `order:${input.orderId}`,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const created = env.client.workflow.executeUpdateWithStart(createdUpdate, { startWorkflowOperation: op });
    return { created, handle: () => op.workflowHandle() };
  }

  it('runs reserve → create → pay → ship → complete, with history and the search attribute kept current', async () => {
    const { activities, calls } = fakeActivities();
    await run(activities, async (taskQueue) => {
      const input = sagaInput();
      const handle = await start(taskQueue, input);
      assert.deepEqual(await handle.executeUpdate(createdUpdate), {
        orderId: input.orderId,
        orderNo: input.orderNo,
        items: [
          {
            productId: '1',
            skuId: '101',
            quantity: 2,
            productName: 'Tea',
            productImage: '',
            priceCents: 500,
            subtotalCents: 1000,
          },
        ],
        createdAt: '2026-11-25T12:00:00.000Z',
      });
      assert.equal(await handle.executeUpdate(payUpdate, { args: [{ actor: 'user:1001' }] }), 'PAID');
      assert.equal((await handle.describe()).typedSearchAttributes.get(OrderStatusKey), 'PAID');
      assert.equal(await handle.executeUpdate(shipUpdate, { args: [{ actor: 'ops' }] }), 'SHIPPED');
      assert.equal(await handle.executeUpdate(completeUpdate, { args: [{ actor: 'ops' }] }), 'COMPLETED');
      assert.deepEqual(await handle.result(), { orderId: input.orderId, phase: 'COMPLETED' });
      const status = await handle.query(statusQuery);
      assert.deepEqual(
        status.history.filter((s) => s.outcome === 'completed').map((s) => s.step),
        ['reserve', 'create-order', 'pay', 'ship', 'complete'],
      );
    });
    assert.deepEqual(calls, [
      'reserveStock',
      'createOrder',
      'applyTransition:pay:user:1001',
      'applyTransition:ship:ops',
      'applyTransition:complete:ops',
    ]);
  });

  it('a shipped order the buyer does not confirm is completed by the saga after autoConfirmSeconds; one they confirm is not', async () => {
    const { activities, calls } = fakeActivities();
    await run(activities, async (taskQueue) => {
      const silent = await start(taskQueue, { ...sagaInput(), autoConfirmSeconds: 2 });
      await silent.executeUpdate(createdUpdate);
      await silent.executeUpdate(payUpdate, { args: [{ actor: 'user:1001' }] });
      await silent.executeUpdate(shipUpdate, { args: [{ actor: 'admin:shop' }] });
      assert.equal((await silent.result()).phase, 'COMPLETED');
      const steps = (await silent.query(statusQuery)).history.filter((h) => h.step === 'complete');
      assert.match(steps[0]?.detail ?? '', /receipt confirmed automatically 2 s after shipping/);

      const prompt = await start(taskQueue, { ...sagaInput(), autoConfirmSeconds: 2 });
      await prompt.executeUpdate(createdUpdate);
      await prompt.executeUpdate(payUpdate, { args: [{ actor: 'user:1001' }] });
      await prompt.executeUpdate(shipUpdate, { args: [{ actor: 'admin:shop' }] });
      assert.equal(await prompt.executeUpdate(completeUpdate, { args: [{ actor: 'user:1001' }] }), 'COMPLETED');
      assert.equal((await prompt.result()).phase, 'COMPLETED');
    });
    assert.deepEqual(
      calls.filter((c) => c.startsWith('applyTransition:complete')),
      ['applyTransition:complete:system', 'applyTransition:complete:user:1001'],
      'one confirmation each: the timer did not fire for the order its buyer confirmed',
    );
  });

  it('when stock is short, the created update fails with STOCK_INSUFFICIENT, nothing is created, release runs', async () => {
    const { activities, calls } = fakeActivities({
      reserveStock: () => {
        throw ApplicationFailure.create({ type: 'STOCK_INSUFFICIENT', message: 'short', nonRetryable: true });
      },
    });
    await run(activities, async (taskQueue) => {
      const saga = startAndAwaitCreated(taskQueue, sagaInput());
      await assert.rejects(
        saga.created,
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError && (err.cause as ApplicationFailure).type === 'STOCK_INSUFFICIENT',
      );
      const result = await (await saga.handle()).result();
      assert.equal(result.phase, 'REJECTED');
      assert.equal(result.reason, 'STOCK_INSUFFICIENT');
    });
    // Released anyway: an earlier attempt of the step may have committed before this one was refused.
    assert.deepEqual(calls, ['releaseStock']);
  });

  it('when the order cannot be created (duplicate key), the reservation is compensated', async () => {
    const { activities, calls } = fakeActivities({
      createOrder: () => {
        throw ApplicationFailure.create({
          type: 'DUPLICATE_SUBMIT',
          message: 'dup',
          nonRetryable: true,
          details: [{ existingOrderId: '7' }],
        });
      },
    });
    await run(activities, async (taskQueue) => {
      const saga = startAndAwaitCreated(taskQueue, sagaInput());
      await assert.rejects(
        saga.created,
        (err: unknown) => (err as { cause?: ApplicationFailure }).cause?.type === 'DUPLICATE_SUBMIT',
      );
      assert.equal((await (await saga.handle()).result()).phase, 'REJECTED');
    });
    assert.deepEqual(calls, ['reserveStock', 'releaseStock']);
  });

  it('a step failing past the create deadline: ORDER_NOT_CREATED, a row that committed anyway is voided, stock released', async () => {
    let attempts = 0;
    const { activities, calls } = fakeActivities({
      createOrder: () => {
        attempts++;
        throw new Error('connect ECONNREFUSED 127.0.0.1:3307');
      },
    });
    await run(activities, async (taskQueue) => {
      const startedAt = Date.now();
      const saga = startAndAwaitCreated(taskQueue, { ...sagaInput(), createDeadlineSeconds: 5 });
      await assert.rejects(saga.created, (err: unknown) => {
        const cause = (err as { cause?: ApplicationFailure }).cause;
        assert.equal(cause?.type, 'ORDER_NOT_CREATED');
        assert.match(cause?.message ?? '', /create-order: .*ECONNREFUSED/);
        return true;
      });
      const tookMs = Date.now() - startedAt;
      assert.ok(tookMs >= 2_500 && tookMs < 5_000, `gave up within the deadline (${tookMs} ms)`);
      const handle = await saga.handle();
      assert.equal((await handle.result()).reason, 'ORDER_NOT_CREATED');
    });
    assert.equal(attempts, 5, 'waits of 0.2 + 0.4 + 0.8 + 1.6 s fit in 5 s, the next 3.2 s would not');
    assert.deepEqual(calls, ['reserveStock', 'applyTransition:cancel:system', 'releaseStock']);
  });

  it('a database refusal no retry fixes (DATA_REJECTED) refuses the order at its first attempt and releases', async () => {
    let attempts = 0;
    const { activities, calls } = fakeActivities({
      reserveStock: () => {
        attempts++;
        throw ApplicationFailure.create({ type: 'DATA_REJECTED', message: 'too long', nonRetryable: true });
      },
    });
    await run(activities, async (taskQueue) => {
      const saga = startAndAwaitCreated(taskQueue, sagaInput());
      await assert.rejects(
        saga.created,
        (err: unknown) => (err as { cause?: ApplicationFailure }).cause?.type === 'ORDER_NOT_CREATED',
      );
      assert.equal((await (await saga.handle()).result()).phase, 'REJECTED');
    });
    assert.equal(attempts, 1);
    assert.deepEqual(calls, ['releaseStock']);
  });

  it('a failure of the saga after the order exists cancels it and releases its stock before the run fails', async () => {
    let cancels = 0;
    const { activities, calls } = fakeActivities({
      applyTransition: (input: ApplyTransitionInput) => {
        calls.push(`applyTransition:${input.action}:${input.request.actor}`);
        // The payment timeout's cancel is refused for good the first time; the compensating cancel goes through.
        if (cancels++ === 0) {
          throw ApplicationFailure.create({ type: 'DATA_REJECTED', message: 'refused once', nonRetryable: true });
        }
        return Promise.resolve({ status: 'CANCELLED', applied: true });
      },
    });
    await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue, sagaInput(1));
      await handle.executeUpdate(createdUpdate);
      await assert.rejects(handle.result(), (err: unknown) => {
        assert.match((err as { cause?: Error }).cause?.message ?? '', /refused once/);
        return true;
      });
      const status = await handle.query(statusQuery);
      assert.equal(status.phase, 'CANCELLED');
      const steps = status.history.map((s) => `${s.step}:${s.outcome}`);
      assert.ok(steps.includes('saga:failed') && steps.includes('cancel-order:compensated'), steps.join(', '));
    });
    assert.deepEqual(calls, [
      'reserveStock',
      'createOrder',
      'applyTransition:cancel:system',
      'applyTransition:cancel:system',
      'releaseStock',
    ]);
  });

  it('when payment does not come in time, the order is cancelled by the system and its stock released', async () => {
    const { activities, calls } = fakeActivities();
    await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue, sagaInput(1));
      await handle.executeUpdate(createdUpdate);
      assert.equal((await handle.result()).phase, 'CANCELLED');
      const status = await handle.query(statusQuery);
      assert.ok(status.history.some((s) => s.step === 'cancel' && s.detail === 'payment timeout after 1 s'));
    });
    assert.deepEqual(calls, ['reserveStock', 'createOrder', 'applyTransition:cancel:system', 'releaseStock']);
  });

  it('a workflow cancel (temporal CLI or Web UI) of an unpaid order cancels it and releases its stock', async () => {
    const { activities, calls } = fakeActivities();
    await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue, sagaInput());
      await handle.executeUpdate(createdUpdate);
      await handle.cancel();
      const result = await handle.result();
      assert.equal(result.phase, 'CANCELLED');
      const status = await handle.query(statusQuery);
      assert.ok(status.history.some((s) => s.step === 'cancel' && s.outcome === 'completed'));
      assert.ok(status.history.some((s) => s.step === 'release-stock' && s.outcome === 'compensated'));
    });
    assert.deepEqual(calls, ['reserveStock', 'createOrder', 'applyTransition:cancel:operator', 'releaseStock']);
  });

  it('a workflow cancel of a paid order is refused and recorded: nothing is released, and the saga goes on', async () => {
    const { activities, calls } = fakeActivities();
    await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue, sagaInput());
      await handle.executeUpdate(createdUpdate);
      await handle.executeUpdate(payUpdate, { args: [{ actor: 'user:1001' }] });
      await handle.cancel();
      await assertEventually(async () =>
        (await handle.query(statusQuery)).history.some((s) => s.step === 'workflow-cancel' && s.outcome === 'failed'),
      );
      await handle.executeUpdate(shipUpdate, { args: [{ actor: 'admin' }] });
      await handle.executeUpdate(completeUpdate, { args: [{ actor: 'user:1001' }] });
      assert.equal((await handle.result()).phase, 'COMPLETED');
    });
    assert.deepEqual(calls, [
      'reserveStock',
      'createOrder',
      'applyTransition:pay:user:1001',
      'applyTransition:ship:admin',
      'applyTransition:complete:user:1001',
    ]);
  });

  it('pay and cancel sent at once: exactly one wins, the other is refused with the code of the winner', async () => {
    const { activities, calls } = fakeActivities();
    await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue, sagaInput());
      await handle.executeUpdate(createdUpdate);
      const outcomes = await Promise.allSettled([
        handle.executeUpdate(payUpdate, { args: [{ actor: 'user' }] }),
        handle.executeUpdate(cancelUpdate, { args: [{ actor: 'user' }] }),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      const type = (lost[0]?.reason as { cause?: ApplicationFailure }).cause?.type;
      assert.equal(
        type,
        (won[0] as PromiseFulfilledResult<string>).value === 'PAID' ? 'ORDER_PAID' : 'ORDER_CANCELLED',
      );
      await handle.terminate('test over');
    });
    assert.equal(calls.filter((c) => c.startsWith('applyTransition')).length, 1);
  });

  it('a compensation that keeps failing parks the saga visibly until an operator signals a retry', async () => {
    let releaseWorks = false;
    const { activities, calls } = fakeActivities({
      releaseStock: () => {
        calls.push('releaseStock');
        if (!releaseWorks) throw ApplicationFailure.create({ message: 'inventory DB refuses', nonRetryable: true });
        return Promise.resolve({ released: 1 });
      },
    });
    await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue, sagaInput());
      await handle.executeUpdate(createdUpdate);
      assert.equal(await handle.executeUpdate(cancelUpdate, { args: [{ actor: 'user' }] }), 'CANCELLED');
      let status = await handle.query(statusQuery);
      for (let i = 0; i < 50 && !status.compensationParked; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await handle.query(statusQuery);
      }
      assert.equal(status.compensationParked, true);
      assert.match(status.lastError ?? '', /release-stock: .*inventory DB refuses/);
      assert.equal((await handle.describe()).typedSearchAttributes.get(OrderStatusKey), 'COMPENSATION_FAILED');
      releaseWorks = true;
      await handle.signal(retryCompensationSignal);
      assert.equal((await handle.result()).phase, 'CANCELLED');
      assert.equal((await handle.query(statusQuery)).compensationParked, false);
    });
    assert.deepEqual(
      calls.filter((c) => c !== 'reserveStock' && c !== 'createOrder'),
      ['applyTransition:cancel:user', 'releaseStock', 'recordCompensationParked', 'releaseStock'],
    );
  });

  it('updates before the order exists and invalid transitions are refused by the validators', async () => {
    const { activities } = fakeActivities();
    await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue, sagaInput());
      await handle.executeUpdate(createdUpdate);
      await assert.rejects(
        handle.executeUpdate(shipUpdate, { args: [{ actor: 'ops' }] }),
        (err: unknown) => (err as { cause?: ApplicationFailure }).cause?.type === 'ORDER_STATE_CONFLICT',
      );
      await assert.rejects(
        handle.executeUpdate(completeUpdate, { args: [{ actor: 'ops' }] }),
        (err: unknown) => (err as { cause?: ApplicationFailure }).cause?.type === 'ORDER_STATE_CONFLICT',
      );
      await handle.terminate('test over');
    });
  });
});
