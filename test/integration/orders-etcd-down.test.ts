import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import { newBuyer, orderBody, seedSku, type Json, type JsonResponse } from '../support/orders';
import { decodeSnowflake } from '../../lib/ids/snowflake';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('etcd stopped for longer than the Snowflake lease (real server stopped and started again)', function () {
  this.timeout(180_000);
  const h = withStack();

  h.onTeardown(async () => {
    await run('bash', [stack, 'up', 'etcd']).catch(() => undefined); // whatever happened, leave etcd running
  });

  it('orders are refused 503 / 10004 once the lease lapses, and placed again on a new worker id once etcd is back, without a restart', async () => {
    const sku = await seedSku(h, '2.00', 100);
    const buyer = await newBuyer(h);
    // Each its own remark: the same body twice within 10 s is a double submit (409).
    const place = (remark: string): Promise<JsonResponse<Json>> =>
      buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }], { remark }));
    const before = await place('before');
    assert.equal(before.status, 201, JSON.stringify(before.body));

    await run('bash', [stack, 'down', 'etcd']);
    const stoppedAt = Date.now();
    const whileDown: JsonResponse<Json>[] = [];
    // The lease outlives etcd by up to its TTL; orders go on meanwhile, then stop.
    while (Date.now() - stoppedAt < (h.config.etcd.leaseTtlSeconds + 3) * 1000) {
      whileDown.push(await place(`while down ${whileDown.length}`));
      await sleep(250);
    }
    const last = whileDown[whileDown.length - 1]!;
    assert.equal(last.status, 503, JSON.stringify(last.body));
    assert.equal(last.body.code, 10004);
    for (const r of whileDown) assert.ok(r.status === 201 || r.status === 503, `${r.status} ${JSON.stringify(r.body)}`);
    const placedWhileDown = whileDown.filter((r) => r.status === 201);
    const stillHeld = placedWhileDown.map((r) => decodeSnowflake(BigInt(r.body.orderId)).workerId);
    assert.deepEqual(new Set(stillHeld).size <= 1, true, 'only on the id held when etcd went away');

    await run('bash', [stack, 'up', 'etcd']);
    let after: JsonResponse<Json> | undefined;
    // The refused request itself, repeated: a 503 submitted nothing, so its repeat is no double submit.
    const refusedRemark = `while down ${whileDown.length - 1}`;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
      after = await place(refusedRemark);
      if (after.status !== 503) break;
    }
    assert.equal(after?.status, 201, JSON.stringify(after?.body));
    assert.equal(decodeSnowflake(BigInt(after.body.orderId)).workerId, h.workerId.workerId);
    assert.ok(BigInt(after.body.orderId) > BigInt(before.body.orderId));
    const refused = whileDown.length - placedWhileDown.length;
    assert.ok(refused > 0, 'refused while no lease was held');
    assert.equal((await h.resources.etcd.get(h.workerId.current()!.key).string())?.startsWith('test@'), true);
  });
});
