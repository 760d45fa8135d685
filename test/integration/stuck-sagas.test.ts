import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { NativeConnection, Worker } from '@temporalio/worker';
import { withStack } from '../support/stack';
import { runDoos } from '../support/cli';
import { eventually, newBuyer, orderBody, outboxOf, payOrder, seedSku, stockOf } from '../support/orders';
import { stuckQueries } from '../../lib/sagas/stuck-sagas';
import type { Config } from '../../lib/config';
import { temporalDataConverter } from '../../lib/privacy/payload-codec';
import { retryCompensationSignal, statusQuery } from '../../workflows/order-saga-definitions';

const temporalCli = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'temporal');

/** The order ids a visibility query lists, as an operator runs it (`temporal workflow list --query …`). */
async function listedBy(config: Config, query: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(temporalCli, [
    'workflow',
    'list',
    '--address',
    config.temporal.address,
    '--namespace',
    config.temporal.namespace,
    '--query',
    query,
    '--output',
    'json',
  ]);
  const rows = JSON.parse(stdout || '[]') as { execution: { workflowId: string } }[];
  return rows.map((r) => r.execution.workflowId.slice('order:'.length));
}

describe('stuck sagas: found by doos saga list --stuck and their Web UI queries, repaired by doos saga (real stack)', function () {
  this.timeout(360_000);
  const h = withStack({
    isolatedData: 'stuck',
    sagaAnswerTimeoutSeconds: 2,
    configure: (c) => ({
      ...c,
      order: { ...c.order, compensationAttempts: 6, stuck: { creatingSeconds: 2, attempts: 2 } },
      reconcile: { ...c.reconcile, graceSeconds: 1 },
    }),
  });
  const stuckRow = async (orderId: string, kind: string): Promise<string | undefined> => {
    const listed = await runDoos(h, 'saga', 'list', '--stuck');
    assert.equal(listed.code, 0, listed.err);
    return listed.out.split('\n').find((l) => l.startsWith(`${orderId} `) && l.includes(` ${kind} `));
  };

  it('a compensation that keeps failing: activity-retrying, then compensation-parked; retry after the fix settles it', async () => {
    const sku = await seedSku(h, '2.50', 5);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]));
    assert.equal(placed.status, 201);
    const orderId: string = placed.body.orderId;
    // Someone corrects the stock by hand and gets it wrong: releasing the order's 2 locked units is impossible.
    await h.resources.sql.inventory.write(
      'UPDATE t_inventory SET locked_stock = 0 WHERE product_id = ? AND sku_id = ?',
      [BigInt(sku.productId), BigInt(sku.skuId)],
    );
    assert.equal((await buyer.call('POST', `/v1/orders/${orderId}/cancel`, {})).status, 200);

    const retrying = await eventually(
      () => stuckRow(orderId, 'activity-retrying'),
      (row) => row !== undefined,
      15_000,
    );
    assert.match(retrying ?? '', /locked stock too low/, `the last error names the cause: ${retrying}`);
    const queries = stuckQueries(h.config.order.stuck, new Date());
    assert.ok((await listedBy(h.config, queries['activity-retrying'])).includes(orderId), 'its Web UI query lists it');

    const parked = await eventually(
      () => stuckRow(orderId, 'compensation-parked'),
      (row) => row !== undefined,
      40_000,
    );
    assert.ok(parked, 'parked once its attempts are spent');
    assert.match(parked, /COMPENSATION_FAILED/);
    assert.ok((await listedBy(h.config, queries['compensation-parked'])).includes(orderId));
    const shown = await runDoos(h, 'saga', 'show', orderId);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /STUCK \(compensation-parked\)/);
    assert.match(shown.out, /order: CANCELLED/);
    assert.match(shown.out, /releaseStock failed/);

    // The operator fixes the stock, then retries: the release goes through and the saga ends.
    await h.resources.sql.inventory.write(
      'UPDATE t_inventory SET locked_stock = 2 WHERE product_id = ? AND sku_id = ?',
      [BigInt(sku.productId), BigInt(sku.skuId)],
    );
    const retried = await runDoos(h, 'saga', 'retry', orderId);
    assert.equal(retried.code, 0, retried.err);
    assert.match(retried.out, /retried the parked compensation/);
    const stock = await eventually(
      () => stockOf(h, sku),
      (s) => s.locked === 0,
      20_000,
    );
    assert.deepEqual(stock, { available: 5, locked: 0, total: 5 }, 'released once, not twice');
    await eventually(
      () => stuckRow(orderId, 'compensation-parked'),
      (row) => row === undefined,
      20_000,
    );
    const again = await runDoos(h, 'saga', 'retry', orderId);
    assert.equal(again.code, 1);
    assert.match(again.err, /409 40005/, 'a saga that is not stuck has nothing to retry');
  });

  it('a saga that cannot create (no worker): creating-too-long; doos saga cancel compensates once a worker runs', async () => {
    const sku = await seedSku(h, '1.00', 3);
    const buyer = await newBuyer(h);
    await h.stopWorker();
    const waiting = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    assert.equal(waiting.status, 503);
    const orderId: string = waiting.body.details.orderId;
    const row = await eventually(
      () => stuckRow(orderId, 'creating-too-long'),
      (r) => r !== undefined,
      15_000,
    );
    assert.match(row ?? '', /RESERVING/);

    const noReason = await runDoos(h, 'saga', 'cancel', orderId);
    assert.equal(noReason.code, 2, 'a cancel says why');
    const cancelled = await runDoos(h, 'saga', 'cancel', orderId, '--reason', 'the buyer called: cancel it');
    assert.equal(cancelled.code, 0, cancelled.err);
    await h.startWorker();
    const order = await eventually(
      async () => (await h.ops.call('GET', `/v1/admin/orders/${orderId}`)).body,
      (o) => o?.status === 'CANCELLED',
      30_000,
    );
    assert.equal(order.status, 'CANCELLED');
    assert.deepEqual(
      await eventually(
        () => stockOf(h, sku),
        (s) => s.locked === 0,
      ),
      { available: 3, locked: 0, total: 3 },
    );
    const events = (await outboxOf(h, orderId, order.shard)).map((r) => r.eventType);
    assert.deepEqual(events, ['order.created', 'order.cancelled']);
  });

  it('a terminated saga of an unpaid order: closed-not-final; repair --stuck settles it through the reconciler', async () => {
    const sku = await seedSku(h, '1.20', 2);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    assert.equal(placed.status, 201);
    const orderId: string = placed.body.orderId;
    await h.resources.temporal.workflow.getHandle(`order:${orderId}`).terminate('an operator’s mistake');
    const queries = stuckQueries(h.config.order.stuck, new Date());
    await eventually(
      () => listedBy(h.config, queries['closed-not-final']),
      (ids) => ids.includes(orderId),
    );
    assert.ok(await stuckRow(orderId, 'closed-not-final'));
    await new Promise((r) => setTimeout(r, 1500)); // past reconcile.graceSeconds
    const dry = await runDoos(h, 'saga', 'repair', '--stuck', '--dry-run');
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, new RegExp(`^${orderId} +closed-not-final`, 'm'));
    assert.match(dry.out, /stuck saga\(s\) would be retried; nothing was changed/);
    assert.equal((await h.ops.call('GET', `/v1/admin/orders/${orderId}`)).body.status, 'PENDING_PAYMENT');
    const repaired = await runDoos(h, 'saga', 'repair', '--stuck');
    assert.equal(repaired.code, 0, repaired.err);
    assert.match(repaired.out, new RegExp(`order ${orderId} \\(closed-not-final\\): settled by reconciler run`));
    assert.equal((await h.ops.call('GET', `/v1/admin/orders/${orderId}`)).body.status, 'CANCELLED');
    assert.deepEqual(await stockOf(h, sku), { available: 2, locked: 0, total: 2 });
    assert.equal(await stuckRow(orderId, 'closed-not-final'), undefined, 'no longer stuck once its order is final');
  });

  it('cancel refuses a paid order (no terminate, no refund here); bad and unknown references are refused', async () => {
    const sku = await seedSku(h, '4.00', 2);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    await payOrder(buyer, placed.body.orderId);
    const refused = await runDoos(h, 'saga', 'cancel', placed.body.orderId, '--reason', 'test');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /409 20003/);
    assert.equal((await buyer.call('GET', `/v1/orders/${placed.body.orderId}`)).body.status, 'PAID');

    const bad = await h.ops.call('GET', "/v1/admin/sagas/1' OR 1=1");
    assert.equal(bad.status, 400);
    const unknown = await runDoos(h, 'saga', 'show', '123456789');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /404 40004/);
    const buyerTries = await buyer.call('POST', `/v1/admin/sagas/${placed.body.orderId}/retry`, {});
    assert.equal(buyerTries.status, 403);
  });

  it("a bad deploy fails a saga's workflow task: workflow-task-failing; retry resets it, the fixed worker carries it on", async () => {
    const sku = await seedSku(h, '3.30', 4);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    assert.equal(placed.status, 201);
    const orderId: string = placed.body.orderId;

    // The bad deploy: the order worker is replaced by one whose orderSaga no longer matches the histories.
    await h.stopWorker();
    const connection = await NativeConnection.connect({ address: h.config.temporal.address });
    const broken = await Worker.create({
      connection,
      namespace: h.config.temporal.namespace,
      taskQueue: h.config.temporal.taskQueues.orders,
      dataConverter: temporalDataConverter(h.config),
      workflowsPath: require.resolve('../fixtures/broken-order-workflows'),
    });
    const brokenRun = broken.run();
    try {
      const handle = h.resources.temporal.workflow.getHandle(`order:${orderId}`);
      await handle.signal(retryCompensationSignal); // any new event: its workflow task replays the history
      const row = await eventually(
        () => stuckRow(orderId, 'workflow-task-failing'),
        (r) => r !== undefined,
        30_000,
      );
      assert.match(row ?? '', /[Nn]ondeterminism|does not match/, `the last error names the cause: ${row}`);
      const shown = await runDoos(h, 'saga', 'show', orderId);
      assert.match(shown.out, /STUCK \(workflow-task-failing\)/);
      assert.match(shown.out, /workflow task at attempt \d+/);
    } finally {
      // The bad code is rolled back before anything is reset: a reset run it polled would be run by it, from scratch,
      // writing its own commands into the new history.
      broken.shutdown();
      await brokenRun;
      await connection.close();
    }

    const handle = h.resources.temporal.workflow.getHandle(`order:${orderId}`);
    const before = (await handle.describe()).runId;
    const retried = await runDoos(h, 'saga', 'retry', orderId);
    assert.equal(retried.code, 0, retried.err);
    assert.match(retried.out, /reset to event \d+ \(new run /);
    assert.notEqual((await handle.describe()).runId, before, 'a new run from the last good workflow task');

    // The fixed worker runs the new run: its steps run again and find their work done (reservation, row, outbox).
    await h.startWorker();
    const status = await eventually(
      () => handle.query(statusQuery).catch(() => undefined),
      (s) => s?.phase === 'PENDING_PAYMENT',
      60_000,
    );
    assert.equal(status?.phase, 'PENDING_PAYMENT', 'the new run replayed its steps and waits for the payment');
    assert.equal(await stuckRow(orderId, 'workflow-task-failing'), undefined);
    await payOrder(buyer, orderId, 60_000);
    assert.deepEqual(
      await stockOf(h, sku),
      { available: 3, locked: 1, total: 4 },
      'reserved once, held for the deduction',
    );
    const events = (await outboxOf(h, orderId, placed.body.shard)).map((r) => r.eventType);
    assert.deepEqual(events, ['order.created', 'order.paid', 'stock.deduct'], 'each event written once');
  });
});
