import assert from 'node:assert/strict';
import { decodeEvent, encodeEvent, EventFormatError, EVENT_SCHEMAS } from '../../lib/events/order-events';
import { TRANSITION_EVENTS } from '../../lib/orders/events';

const at = new Date('2026-11-27T10:00:00.000Z');
const facts = { orderId: '123', orderNo: '20261127001000123', userId: '1001', actor: 'user:1001' };

describe('Kafka event schemas (one per event, used by the producer and every consumer)', () => {
  it('an event built by encodeEvent decodes to the same fields, with its type and time', () => {
    const text = encodeEvent(
      'stock.deduct',
      { ...facts, status: 'PAID', items: [{ productId: '1', skuId: '101', quantity: 2 }] },
      at,
    );
    assert.deepEqual(decodeEvent('stock.deduct', Buffer.from(text)), {
      eventType: 'stock.deduct',
      ...facts,
      status: 'PAID',
      items: [{ productId: '1', skuId: '101', quantity: 2 }],
      occurredAt: at.toISOString(),
    });
  });

  it('the producer refuses to build a malformed event', () => {
    assert.throws(
      () => encodeEvent('order.paid', { ...facts, status: 'PAID', actualAmount: '12.5' }, at),
      (err: Error) => err instanceof EventFormatError && /actualAmount/.test(err.message),
    );
  });

  it('a consumer refuses what is not JSON, another event type, or a field out of its type', () => {
    const paid = encodeEvent('order.paid', { ...facts, status: 'PAID', actualAmount: '12.50' }, at);
    const cases = ['not json', paid, paid.replace('"orderId":"123"', '"orderId":"x"'), '{}'];
    for (const value of cases) {
      assert.throws(() => decodeEvent('stock.deduct', value), EventFormatError, value);
    }
    assert.throws(() => decodeEvent('order.paid', paid.replace('"PAID"', '"LOST"')), EventFormatError);
  });

  it('every event a transition writes has a schema', () => {
    for (const specs of Object.values(TRANSITION_EVENTS)) {
      for (const spec of specs) assert.ok(spec.eventType in EVENT_SCHEMAS, spec.eventType);
    }
  });
});
