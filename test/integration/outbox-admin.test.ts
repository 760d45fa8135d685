import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withStack } from '../support/stack';
import { runDoos } from '../support/cli';
import { uniqueId } from '../support/orders';
import { OutboxStatus } from '../../lib/outbox/outbox-table';

describe('outbox operator tools: admin endpoints and the doos CLI (real shards)', function () {
  this.timeout(60_000);
  const h = withStack({ worker: false });
  const orderId = BigInt(uniqueId());
  const ids = { failed: randomUUID(), sent: randomUUID(), failedOther: randomUUID() };

  before(async () => {
    const db = h.resources.shards[1]!;
    await db.localMessage.createMany({
      data: [
        {
          messageId: ids.failed,
          txId: orderId,
          topic: 't',
          eventType: 'order.created',
          payload: {},
          status: OutboxStatus.FAILED,
          retryCount: 6,
          errorMsg: 'broker down',
        },
        {
          messageId: ids.sent,
          txId: orderId,
          topic: 't',
          eventType: 'order.paid',
          payload: {},
          status: OutboxStatus.SENT,
          sentAt: new Date(),
        },
        {
          messageId: ids.failedOther,
          txId: orderId + 1n,
          topic: 't',
          eventType: 'order.created',
          payload: {},
          status: OutboxStatus.FAILED,
          retryCount: 6,
          errorMsg: 'x',
        },
      ],
    });
  });

  h.onTeardown(async () => {
    await h.resources.shards[1]!.localMessage.deleteMany({ where: { messageId: { in: Object.values(ids) } } });
  });

  const cli = (...args: string[]) => runDoos(h, ...args);

  it("lists an order's rows with status, retries and error, filtered by status", async () => {
    const all = await h.ops.call('GET', `/v1/admin/outbox?orderId=${orderId}`);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.map((m: { messageId: string; status: string }) => [m.messageId, m.status]).sort(),
      [
        [ids.failed, 'FAILED'],
        [ids.sent, 'SENT'],
      ].sort(),
    );
    const failed = await h.ops.call('GET', `/v1/admin/outbox?orderId=${orderId}&status=FAILED&shard=1`);
    assert.deepEqual(
      failed.body.items.map((m: { messageId: string; retryCount: number; errorMsg: string }) => [
        m.messageId,
        m.retryCount,
        m.errorMsg,
      ]),
      [[ids.failed, 6, 'broker down']],
    );
    assert.equal((await h.ops.call('GET', '/v1/admin/outbox?status=LOST')).body.code, 10001);
  });

  it('the CLI shows the same rows as a table and exits 0; wrong usage exits 2', async () => {
    const listed = await cli('outbox', 'list', '--order', orderId.toString(), '--status', 'failed');
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /MESSAGE ID\s+SHARD\s+ORDER\s+EVENT\s+STATUS\s+RETRIES/);
    assert.match(listed.out, new RegExp(`${ids.failed}\\s+1\\s+${orderId}\\s+order\\.created\\s+FAILED\\s+6/5`));
    assert.match(listed.out, /1 message\(s\)/);
    assert.equal((await cli('outbox')).code, 2);
    assert.equal((await cli('outbox', 'retry')).code, 2);
  });

  it('retry puts a failed row back to pending with a fresh budget; a sent or unknown row is refused', async () => {
    const retried = await cli('outbox', 'retry', ids.failed);
    assert.equal(retried.code, 0, retried.err);
    assert.match(retried.out, /is PENDING again/);
    const row = await h.resources.shards[1]!.localMessage.findUnique({ where: { messageId: ids.failed } });
    assert.deepEqual([row?.status, row?.retryCount, row?.errorMsg, row?.nextRetryAt], [0, 0, null, null]);
    const sent = await h.ops.call('POST', `/v1/admin/outbox/${ids.sent}/retry`);
    assert.deepEqual([sent.status, sent.body.code], [409, 40002]);
    const unknown = await cli('outbox', 'retry', randomUUID());
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /404 40001/);
  });

  it('retry-failed puts every failed row of a shard back to pending', async () => {
    const res = await h.ops.call('POST', '/v1/admin/outbox/retry-failed?shard=1');
    assert.equal(res.status, 200);
    assert.equal(res.body.shards[0].shard, 1);
    assert.ok(res.body.shards[0].retried >= 1);
    const other = await h.resources.shards[1]!.localMessage.findUnique({ where: { messageId: ids.failedOther } });
    assert.equal(other?.status, OutboxStatus.PENDING);
  });
});
