import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { withStack } from '../support/stack';
import { uniqueName } from '../support/config';
import { watchTopics } from '../support/kafka';
import { eventually, outboxOf, placePaidOrder, seedSku, stockOf, uniqueId } from '../support/orders';
import {
  applyStockDeduction,
  parseStockDeduct,
  PoisonMessageError,
  type StockDeductMessage,
} from '../../lib/inventory/stock-deduction';
import { ReservationStatus } from '../../lib/inventory/reservation-status';

describe('stock deduction and the inventory consumer (real stack)', function () {
  this.timeout(120_000);
  const h = withStack();

  async function paidOrder(price: string, stock: number, quantity: number) {
    const sku = await seedSku(h, price, stock);
    const { orderId, shard } = await placePaidOrder(h, sku, quantity);
    const deduct = (await outboxOf(h, orderId, shard)).find((m) => m.eventType === 'stock.deduct')!;
    return { sku, orderId, deduct };
  }

  it('a stock.deduct message moves locked to sold once; the same message again changes nothing', async () => {
    const { sku, orderId, deduct } = await paidOrder('2.00', 10, 3);
    assert.deepEqual(await stockOf(h, sku), { available: 7, locked: 3, total: 10 });
    const message = parseStockDeduct(deduct.messageId, Buffer.from(JSON.stringify(deduct.payload)));
    assert.equal(message.orderId, orderId);
    const group = uniqueName('group');
    assert.equal(await applyStockDeduction(h.resources.sql.inventory, message, group, 'doos.stock.deduct'), 'applied');
    assert.equal(
      await applyStockDeduction(h.resources.sql.inventory, message, group, 'doos.stock.deduct'),
      'duplicate',
    );
    assert.deepEqual(await stockOf(h, sku), { available: 7, locked: 0, total: 7 });
    const reservation = await h.resources.inventory.stockReservation.findFirst({ where: { orderId: BigInt(orderId) } });
    assert.equal(reservation?.status, ReservationStatus.CONFIRMED, 'the reservation is confirmed');
  });

  it('malformed messages and deductions of stock never reserved are poison, and change nothing', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, '{"orderId":"1","items":[]}'],
      [randomUUID(), 'not json'],
      [randomUUID(), '{"orderId":"x","items":[{"productId":"1","skuId":"1","quantity":1}]}'],
      [randomUUID(), '{"orderId":"1","items":[{"productId":"1","skuId":"1","quantity":0}]}'],
    ];
    for (const [id, value] of cases)
      assert.throws(() => parseStockDeduct(id, Buffer.from(value)), PoisonMessageError, value);
    const sku = await seedSku(h, '1.00', 5);
    const never: StockDeductMessage = {
      messageId: randomUUID(),
      orderId: uniqueId(),
      items: [{ ...sku, quantity: 1 }],
    };
    await assert.rejects(applyStockDeduction(h.resources.sql.inventory, never, 'g', 't'), PoisonMessageError);
    assert.deepEqual(await stockOf(h, sku), { available: 5, locked: 0, total: 5 });
    assert.equal(
      await h.resources.inventory.messageConsumeLog.count({ where: { messageId: never.messageId } }),
      0,
      'rolled back',
    );
  });

  it('with the relay and consumer running, paying deducts stock once; a poison message is dead-lettered and the partition moves on', async () => {
    for (const [entry, port] of [
      ['workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: '19485' }],
      ['workers/inventory-consumer.ts', { DOOS_METRICS_CONSUMER_PORT: '19487' }],
    ] as const) {
      await h.workers.start(entry, port);
    }
    const first = await paidOrder('5.00', 4, 2);
    assert.deepEqual(
      await eventually(
        () => stockOf(h, first.sku),
        (s) => s.locked === 0,
        60_000,
      ),
      { available: 2, locked: 0, total: 2 },
    );
    // The consumer's line for the deduction names the order and the request that paid it.
    const line = h.workers
      .output()
      .split('\n')
      .map((l) => (l.startsWith('{') ? (JSON.parse(l) as Record<string, unknown>) : {}))
      .find((l) => l.msg === 'stock deduction applied' && l.orderId === first.orderId);
    assert.ok(line, h.workers.output().slice(-2000));
    assert.equal(line.process, 'inventory-consumer');
    assert.equal(line.correlationId, first.deduct.correlationId);
    assert.ok(first.deduct.correlationId);

    const { stockDeduct, deadLetter } = h.config.kafka.topics;
    const poisonId = randomUUID();
    const dlq = await watchTopics(h, [deadLetter], (m) => m.messageId === poisonId);
    const producer = h.resources.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: stockDeduct,
      messages: [
        { key: 'poison', value: 'this is not an order', headers: { 'message-id': poisonId } },
        // The first order's deduction delivered once more: absorbed by the consume log.
        {
          key: first.orderId,
          value: JSON.stringify(first.deduct.payload),
          headers: { 'message-id': first.deduct.messageId },
        },
      ],
    });
    await producer.disconnect();

    const second = await paidOrder('5.00', 4, 1);
    assert.deepEqual(
      await eventually(
        () => stockOf(h, second.sku),
        (s) => s.locked === 0,
        60_000,
      ),
      { available: 3, locked: 0, total: 3 },
    );
    await eventually(
      () => Promise.resolve(dlq.seen.length),
      (n) => n > 0,
      30_000,
    );
    await dlq.stop();
    assert.equal(dlq.seen.length, 1);
    assert.equal(dlq.seen[0]!.headers['dlq-source-topic'], stockDeduct);
    assert.match(dlq.seen[0]!.headers['dlq-reason']!, /not JSON/);
    assert.deepEqual(await stockOf(h, first.sku), { available: 2, locked: 0, total: 2 }, 'no second deduction');
  });
});
