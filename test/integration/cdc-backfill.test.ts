import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { withStack } from '../support/stack';
import type { ApiClient } from '../support/accounts';
import { runDoos } from '../support/cli';
import { eventually, newBuyer, orderBody, payOrder, seedSku, type Json } from '../support/orders';
import { expectedDocument, orderDocuments } from '../support/search';
import { stopWorkerProcess } from '../support/worker-process';
import { compareBinlogPositions, currentBinlogPosition } from '../../lib/cdc/binlog-position';
import { cdcConsumerName, readCheckpoint, saveCheckpoint } from '../../lib/cdc/checkpoint-store';
import { workflowHandle } from '../../lib/temporal/workflows';
import { cdcBackfillWorkflow } from '../../workflows/cdc-backfill-definitions';

interface Placed {
  orderId: string;
  buyer: ApiClient;
}

describe('CDC backfill (real binlogs, Elasticsearch, Temporal; started from the doos CLI)', function () {
  this.timeout(300_000);
  const h = withStack();
  let cdc: ChildProcess | undefined;

  async function place(buyer: ApiClient, pay: boolean): Promise<Placed> {
    const sku = await seedSku(h, '4.40', 10);
    const res = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    assert.equal(res.status, 201);
    if (pay) await payOrder(buyer, res.body.orderId);
    return { orderId: res.body.orderId, buyer };
  }

  async function expectedOf(orders: Placed[]): Promise<Map<string, Json>> {
    const expected = new Map<string, Json>();
    for (const o of orders) {
      expected.set(o.orderId, expectedDocument((await o.buyer.call('GET', `/v1/orders/${o.orderId}`)).body));
    }
    return expected;
  }

  it('indexes rows written while the indexer was off and that its tail will never replay, then hands over to the tail', async () => {
    // Written while no CDC worker runs…
    // Buyers on both shards.
    const buyers = [await newBuyer(h, 0), await newBuyer(h, 1)];
    const missed: Placed[] = [];
    for (let i = 0; i < 6; i++) missed.push(await place(buyers[i % 2]!, i % 3 === 0));
    // …and out of the tail's reach: both checkpoints moved past them (as after a purged binlog or a new index).
    const skippedTo = await Promise.all(
      h.resources.shards.map(async (db, shard) => {
        const end = await currentBinlogPosition(db);
        await saveCheckpoint(db, cdcConsumerName(shard), end);
        return end;
      }),
    );
    cdc = await h.workers.start('workers/cdc-worker.ts', { DOOS_METRICS_CDC_WORKER_PORT: '19556' });
    const probe = await place(buyers[0]!, false);
    await eventually(
      () => orderDocuments(h, [probe.orderId]),
      (d) => d.has(probe.orderId),
      30_000,
    );
    const before = await orderDocuments(
      h,
      missed.map((o) => o.orderId),
    );
    assert.equal(before.size, 0, 'the tail alone does not index them');

    for (const shard of ['0', '1']) {
      const r = await runDoos(h, 'cdc', 'backfill', '--shard', shard);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /started: workflow cdc-backfill:shard-/);
      assert.match(r.out, new RegExp(`shard ${shard}: done; \\d+ orders read`));
    }
    const expected = await expectedOf(missed);
    const docs = await orderDocuments(
      h,
      missed.map((o) => o.orderId),
    );
    for (const o of missed) assert.deepEqual(docs.get(o.orderId), expected.get(o.orderId), `order ${o.orderId}`);

    for (const [shard, db] of h.resources.shards.entries()) {
      const progress = await h.ops.call('GET', `/v1/admin/cdc/backfill/${shard}`);
      assert.equal(progress.status, 200);
      const p = progress.body;
      assert.equal(p.phase, 'done');
      assert.ok(Date.now() - Date.parse(p.startedAt) < 300_000, `the run started just now: ${p.startedAt}`);
      assert.ok(p.done >= p.total && p.total > 0, JSON.stringify(p));
      assert.equal(p.indexed + p.stale + p.deadLettered, p.done, 'every order read is accounted for');
      const checkpoint = (await readCheckpoint(db, cdcConsumerName(shard)))!;
      assert.ok(compareBinlogPositions(checkpoint, skippedTo[shard]!) >= 0, 'the tail never goes back before it');
      const shown = await runDoos(h, 'cdc', 'progress', '--shard', String(shard));
      assert.equal(shown.code, 0);
      assert.match(shown.out, /\[#+\] 100 % \d+\/\d+ orders, done/);
    }

    // The tail goes on after the hand-over: a new change and a change of a backfilled order both show.
    const after = await place(buyers[1]!, false);
    const changed = missed[1]!;
    await payOrder(changed.buyer, changed.orderId);
    const want = await expectedOf([after, changed]);
    await eventually(
      () => orderDocuments(h, [after.orderId, changed.orderId]),
      (d) => [...want].every(([id, doc]) => isDeepStrictEqual(d.get(id), doc)),
      30_000,
    );
    const status = await runDoos(h, 'cdc', 'status');
    assert.equal(status.code, 0);
    assert.match(status.out, /SHARD\s+CHECKPOINT\s+SAVED AT\s+BINLOG END\s+DEAD LETTERS/);
  });

  it("a checkpoint whose binlog the server purged is recovered by the indexer's own backfill; nothing is lost", async () => {
    await stopWorkerProcess(cdc!); // its last flush saves the checkpoint; the gone file is set after that
    const db = h.resources.shards[1]!;
    const onShard1 = await newBuyer(h, 1);
    const whileOff = await place(onShard1, true);
    await saveCheckpoint(db, cdcConsumerName(1), { file: 'binlog.000000', pos: 4 }); // a file the server never had
    cdc = await h.workers.start('workers/cdc-worker.ts', { DOOS_METRICS_CDC_WORKER_PORT: '19556' });

    const want = await expectedOf([whileOff]);
    await eventually(
      () => orderDocuments(h, [whileOff.orderId]),
      (d) => isDeepStrictEqual(d.get(whileOff.orderId), want.get(whileOff.orderId)),
      120_000,
    );
    const handle = workflowHandle(h.resources.temporal, cdcBackfillWorkflow, 1);
    assert.equal(handle.workflowId, 'cdc-backfill:shard-1');
    const backfill = await handle.describe();
    assert.equal(backfill.parentExecution?.workflowId, 'cdc:shard-1', 'the indexer started the backfill itself');
    // The order's document comes from the backfill's pages; the hand-over to the tail follows them.
    assert.equal((await handle.result()).phase, 'done');
    const checkpoint = (await readCheckpoint(db, cdcConsumerName(1)))!;
    const files = await db.$queryRawUnsafe<{ Log_name: string }[]>('SHOW BINARY LOGS');
    assert.ok(
      files.some((f) => f.Log_name === checkpoint.file),
      `the checkpoint ${checkpoint.file} is a binlog the server has`,
    );
    const next = await place(onShard1, false);
    await eventually(
      () => orderDocuments(h, [next.orderId]),
      (d) => d.has(next.orderId),
      30_000,
    );
  });

  it('a second backfill of a running one joins it; bad shards are refused with 10001', async () => {
    const first = await h.ops.call('POST', '/v1/admin/cdc/backfill', { shard: 0 });
    const second = await h.ops.call('POST', '/v1/admin/cdc/backfill', { shard: 0 });
    assert.equal(first.status, 202);
    assert.ok(second.status === 200 || second.status === 202, `${second.status}`);
    if (second.status === 200) assert.equal(second.body.started, false);
    await eventually(
      async () => (await h.ops.call('GET', '/v1/admin/cdc/backfill/0')).body.phase,
      (phase) => phase === 'done',
      120_000,
    );
    for (const [body, what] of [
      [{ shard: 7 }, 'no such shard'],
      [{ shard: -1 }, 'negative'],
      [{ shard: '0' }, 'a string'],
      [{}, 'missing'],
    ] as const) {
      const res = await h.ops.call('POST', '/v1/admin/cdc/backfill', body);
      assert.equal(res.status, 400, what);
      assert.equal(res.body.code, 10001, what);
    }
    assert.equal((await h.ops.call('GET', '/v1/admin/cdc/backfill/x')).status, 400);
    const usage = await runDoos(h, 'cdc', 'backfill');
    assert.equal(usage.code, 2, 'no --shard is wrong usage');
  });
});
