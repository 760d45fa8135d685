import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import { eventually, newBuyer, orderBody, seedSku, stockOf } from '../support/orders';
import type { ReadinessReport } from '../../lib/health/dependencies';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');

describe('one shard stopped (real instance stopped and started again): the other shard goes on', function () {
  this.timeout(240_000);
  const h = withStack();

  h.onTeardown(async () => {
    await run('bash', [stack, 'up', 'mariadb-shard0']).catch(() => undefined);
  });

  it("the down shard's users get 503 at once and hold nothing; the other shard's users order as usual", async () => {
    const sku = await seedSku(h, '6.00', 20);
    // Buyers on each shard (users are placed by user_id % 2).
    const downUser = await newBuyer(h, 0);
    const otherUser = await newBuyer(h, 1);
    await run('bash', [stack, 'down', 'mariadb-shard0']);
    const ready = await eventually(
      async () => (await (await fetch(`${h.baseUrl}/ready`)).json()) as ReadinessReport,
      (r) => r.degraded.includes('mariadb-shard0'),
    );
    assert.equal(ready.ready, true, 'one shard down leaves the API ready, degraded');

    const other = await otherUser.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 2 }]));
    assert.equal(other.status, 201, JSON.stringify(other.body));
    assert.equal(other.body.shard, 1);

    // The API's own probe (every second) has seen it too once a read of that shard is refused.
    const list = await eventually(
      () => downUser.call('GET', '/v1/orders'),
      (r) => r.status === 503,
    );
    assert.equal(list.body.details.shard, 0);
    const startedAt = Date.now();
    const refused = await downUser.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }]));
    const tookMs = Date.now() - startedAt;
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 10004);
    assert.deepEqual(refused.body.details.shard, 0);
    assert.ok(tookMs < 2_000, `refused at once, not after the saga's 20 s (${tookMs} ms)`);
    assert.deepEqual(await stockOf(h, sku), { available: 18, locked: 2, total: 20 }, 'nothing reserved for it');

    await run('bash', [stack, 'up', 'mariadb-shard0']);
    const back = await eventually(
      () => downUser.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 3 }])),
      (r) => r.status === 201,
      30_000,
    );
    assert.equal(back.body.shard, 0);
    assert.deepEqual(await stockOf(h, sku), { available: 15, locked: 5, total: 20 });
  });
});
