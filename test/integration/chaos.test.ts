import assert from 'node:assert/strict';
import { runChaos, summary } from '../../chaos/chaos';

// `make chaos` at a small size: 10 s outages of Redis, Kafka, Elasticsearch, shard 1 and the inventory DB in turn, a
// SIGKILL of a random application process about every 8 s, four shoppers retrying as real clients do.
describe('chaos (small): shoppers, SIGKILLed processes and stopped servers; every invariant holds afterwards', function () {
  this.timeout(15 * 60_000);

  it('no order, unit of stock or event is lost or doubled', async () => {
    const result = await runChaos({
      shoppers: 4,
      skus: 3,
      stockPerSku: 300,
      outageSeconds: 10,
      gapSeconds: 5,
      killEverySeconds: 8,
      paymentTimeoutSeconds: 10,
      settleSeconds: 150,
      log: () => undefined,
    });
    const table = summary(result);
    console.log(table.replace(/^/gm, '      '));
    assert.ok(result.orders.filter((o) => o.orderId !== undefined).length > 10, 'orders were created meanwhile');
    assert.ok(Object.values(result.kills).reduce((a, b) => a + b, 0) > 0, 'processes were killed');
    assert.equal(result.outages.length, 5);
    assert.deepEqual(
      result.checks.filter((c) => !c.ok),
      [],
      table,
    );
  });
});
