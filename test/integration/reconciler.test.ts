import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { withStack } from '../support/stack';
import { runDoos } from '../support/cli';
import { eventually, newBuyer, orderBody, outboxOf, payOrder, seedSku, stockOf, uniqueId } from '../support/orders';
import { expectedDocument, orderDocuments } from '../support/search';
import { createInventoryActivities } from '../../activities/inventory-activities';
import { ReservationStatus } from '../../lib/inventory/reservation-status';
import { ensureOrdersIndex } from '../../lib/search/orders-index';
import { workflowHandle } from '../../lib/temporal/workflows';
import { orderSagaWorkflow } from '../../workflows/order-saga-definitions';
import { RECONCILE_SCHEDULE_ID } from '../../workflows/reconcile-definitions';

interface AuditItem {
  kind: string;
  orderId: string | null;
  outcome: string;
  action: string;
}

// Databases, index and namespace of its own: the reconciler looks at whole shards.
describe('the reconciler (a Temporal Schedule) repairs what nothing else will (isolated data, real stack)', function () {
  this.timeout(180_000);
  const graceSeconds = 2;
  const h = withStack({ isolatedData: 'reconcile', reconcile: { enabled: true, graceSeconds, intervalSeconds: 300 } });

  it('a terminated saga, an orphan reservation, a paid order never deducted and a lost document: found, then repaired and audited', async () => {
    await ensureOrdersIndex(h.resources.search, h.config.elasticsearch.ordersIndex, h.config.elasticsearch);
    const sku = await seedSku(h, '3.00', 50);

    // 1. An unpaid order whose saga an operator terminated from the CLI: nothing will cancel it or release its stock.
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }]));
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const terminated: string = placed.body.orderId;
    await workflowHandle(h.resources.temporal, orderSagaWorkflow, terminated).terminate(
      'operator: temporal workflow terminate',
    );

    // 2. Stock reserved for an order that never came to exist (its saga ended while reserving).
    const orphan = uniqueId();
    const inventory = createInventoryActivities({
      inventory: h.resources.sql.inventory,
      limits: h.config.order.limits,
    });
    await new MockActivityEnvironment().run(inventory.reserveStock, {
      orderId: orphan,
      items: [{ ...sku, quantity: 4 }],
    });

    // 3. A paid order whose stock.deduct never applied (no relay or consumer runs here).
    const payer = await newBuyer(h);
    const paidOrder = await payer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]));
    const paid: string = paidOrder.body.orderId;
    await payOrder(payer, paid);

    assert.deepEqual(await stockOf(h, sku), { available: 41, locked: 9, total: 50 });
    await new Promise((r) => setTimeout(r, (graceSeconds + 1) * 1000));

    // Dry run from the CLI: every finding listed, nothing changed. (4. No CDC worker runs: no order has a document.)
    const dry = await runDoos(h, 'reconcile');
    assert.equal(dry.code, 0, dry.err);
    for (const [kind, id] of [
      ['abandoned-order', terminated],
      ['orphan-reservation', orphan],
      ['deduction-missing', paid],
      ['search-missing', terminated],
      ['search-missing', paid],
    ]) {
      assert.match(dry.out, new RegExp(`^${kind}\\s+\\S+\\s+${id}\\b`, 'm'), `${kind} ${id} in:\n${dry.out}`);
    }
    assert.match(dry.out, /nothing was changed/);
    assert.deepEqual(await stockOf(h, sku), { available: 41, locked: 9, total: 50 }, 'the dry run changed nothing');

    // The schedule is there (Web UI → Schedules); triggered now instead of waiting for its interval.
    const schedule = h.resources.temporal.schedule.getHandle(RECONCILE_SCHEDULE_ID);
    const described = await schedule.describe();
    assert.equal(described.action.type, 'startWorkflow');
    await schedule.trigger();

    const repairedIn = (items: AuditItem[], kind: string, id: string) =>
      items.some((i) => i.kind === kind && i.orderId === id && i.outcome === 'repaired');
    const expected: [string, string][] = [
      ['abandoned-order', terminated],
      ['orphan-reservation', orphan],
      ['deduction-missing', paid],
      ['search-missing', terminated],
    ];
    const audit = await eventually(
      async () => (await h.ops.call('GET', '/v1/admin/reconcile/audit?limit=200')).body.items as AuditItem[],
      (items) => expected.every(([kind, id]) => repairedIn(items, kind, id)),
      60_000,
    );
    const repaired = (kind: string, id: string) => repairedIn(audit, kind, id);
    assert.ok(repaired('abandoned-order', terminated), JSON.stringify(audit));
    assert.ok(repaired('orphan-reservation', orphan), JSON.stringify(audit));
    assert.ok(repaired('deduction-missing', paid), JSON.stringify(audit));
    assert.ok(repaired('search-missing', terminated), JSON.stringify(audit));

    // The terminated saga's order is cancelled with its event, and its stock and the orphan's are back; the paid
    // order's 2 units stay locked until its re-queued stock.deduct is consumed.
    const order = await buyer.call('GET', `/v1/orders/${terminated}`);
    assert.equal(order.body.status, 'CANCELLED');
    const events = await outboxOf(h, terminated, placed.body.shard as number);
    assert.ok(
      events.some((e) => e.eventType === 'order.cancelled'),
      'order.cancelled written',
    );
    assert.deepEqual(await stockOf(h, sku), { available: 48, locked: 2, total: 50 });
    const open = await h.resources.inventory.stockReservation.count({
      where: { orderId: { in: [BigInt(terminated), BigInt(orphan)] }, status: ReservationStatus.RESERVED },
    });
    assert.equal(open, 0);
    const paidEvents = await outboxOf(h, paid, paidOrder.body.shard as number);
    assert.ok(
      paidEvents.some((e) => e.eventType === 'stock.deduct' && e.status === 0),
      'stock.deduct due again',
    );

    // The lost documents are indexed from their rows (a document written before the cancel is re-indexed by the
    // next run, whose audit also says so).
    const docs = await orderDocuments(h, [paid]);
    const paidView = (await payer.call('GET', `/v1/orders/${paid}`)).body;
    assert.deepEqual(docs.get(paid), expectedDocument(paidView));

    // A second pass finds none of these again: they are settled.
    await new Promise((r) => setTimeout(r, (graceSeconds + 1) * 1000));
    const again = await runDoos(h, 'reconcile', '--apply');
    assert.equal(again.code, 0, again.err);
    const second = await runDoos(h, 'reconcile');
    for (const id of [terminated, orphan]) {
      assert.doesNotMatch(second.out, new RegExp(`^(abandoned-order|orphan-reservation)\\s+\\S+\\s+${id}\\b`, 'm'));
    }
    const searched = await orderDocuments(h, [terminated]);
    assert.equal(searched.get(terminated)?.status, 'CANCELLED');
  });
});
