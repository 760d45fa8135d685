import assert from 'node:assert/strict';
import { Etcd3 } from 'etcd3';
import { testConfig, uniqueName } from '../support/config';
import { tcpProxy } from '../support/tcp-proxy';
import { createEtcd } from '../../lib/etcd/client';
import {
  HeldWorkerId,
  LeasedIdGenerator,
  WorkerIdUnavailableError,
  type WorkerIdEvent,
} from '../../lib/ids/worker-id-lease';
import { decodeSnowflake } from '../../lib/ids/snowflake';
import { unavailableDependency } from '../../lib/errors/unavailable';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The worker id an id was issued on, or the error's name. */
function issue(ids: LeasedIdGenerator): bigint | string {
  try {
    return ids.next();
  } catch (err) {
    return (err as Error).name;
  }
}

describe('Snowflake worker ids leased from etcd', function () {
  this.timeout(60_000);
  const config = testConfig();
  const etcd = createEtcd(config);
  const prefix = `/doos-test/${uniqueName('workers')}/`;
  const held: HeldWorkerId[] = [];

  async function hold(
    owner: string,
    ttlSeconds: number,
    { client = etcd, onEvent }: { client?: Etcd3; onEvent?: (event: WorkerIdEvent) => void } = {},
  ): Promise<{ id: HeldWorkerId; events: WorkerIdEvent[] }> {
    const events: WorkerIdEvent[] = [];
    const id = await HeldWorkerId.hold(client, {
      prefix,
      ttlSeconds,
      owner,
      retry: { firstMs: 200, maxMs: 1000 },
      onEvent: (event) => {
        events.push(event);
        onEvent?.(event);
      },
    });
    held.push(id);
    return { id, events };
  }

  after(async () => {
    await Promise.all(held.map((h) => h.release()));
    await etcd.delete().prefix(prefix);
    etcd.close();
  });

  it('twenty processes leasing at once all get different worker ids, each recorded with its owner', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => hold(`proc-${i}`, 10)));
    const leases = all.map(({ id }) => id.current()!);
    assert.equal(new Set(leases.map((l) => l.workerId)).size, 20);
    for (const [i, lease] of leases.entries()) assert.equal(await etcd.get(lease.key).string(), `proc-${i}`);
    const ids = all.map(({ id }) => new LeasedIdGenerator(id).next());
    assert.deepEqual(
      ids.map((id) => decodeSnowflake(id).workerId),
      leases.map((l) => l.workerId),
    );
  });

  it('a released id is free again at once, and its holder leases no other', async () => {
    const { id } = await hold('short-lived', 10);
    const key = id.current()!.key;
    await id.release();
    assert.equal(await etcd.get(key).string(), null);
    assert.equal(id.current(), undefined);
    assert.equal(issue(new LeasedIdGenerator(id)), 'WorkerIdUnavailableError');
  });

  it('when etcd drops the lease, ids stop at once and go on, in order, on a worker id leased anew', async () => {
    let issuedWhenLost: bigint | string | undefined;
    const { id, events } = await hold('revoked', 2, {
      onEvent: (event) => {
        if (event.kind === 'lost') issuedWhenLost = issue(ids);
      },
    });
    const ids = new LeasedIdGenerator(id);
    const before = ids.next();
    const first = id.current()!;
    const leaseId = (await etcd.get(first.key).exec()).kvs[0]?.lease;
    assert.ok(leaseId, 'the key is attached to a lease');
    await etcd.leaseClient.leaseRevoke({ ID: leaseId });

    await until('a new lease', () => events.some((e) => e.kind === 'leased'));
    assert.equal(issuedWhenLost, 'WorkerIdUnavailableError', 'no id between the loss and the new lease');
    assert.deepEqual(
      events.map((e) => e.kind),
      ['lost', 'leased'],
    );
    const now = id.current()!;
    assert.notEqual(now, first);
    assert.equal(await etcd.get(now.key).string(), 'revoked', 'the new id is recorded with its owner');
    const after = ids.next();
    assert.ok(after > before, 'ids keep rising across the change of lease');
    assert.equal(decodeSnowflake(after).workerId, now.workerId);
  });

  it('a process paused longer than the TTL issues no id on its lapsed lease, not even before etcd answers', async () => {
    const { id, events } = await hold('paused', 2);
    const ids = new LeasedIdGenerator(id);
    const workerId = id.current()!.workerId;
    assert.equal(typeof ids.next(), 'bigint');
    const pausedUntil = Date.now() + 3_000; // a long GC, a heap snapshot, SIGSTOP: nothing runs, no renewal is sent
    while (Date.now() < pausedUntil);
    // The first thing the process does on waking, before any timer or etcd answer has run:
    const woke = issue(ids);
    assert.equal(woke, 'WorkerIdUnavailableError');
    assert.equal(unavailableDependency(new WorkerIdUnavailableError('x')), 'WorkerIdUnavailableError', 'a 503');
    assert.deepEqual(events, [{ kind: 'lost', workerId }]);

    await until('a new lease', () => events.some((e) => e.kind === 'leased'));
    assert.equal(decodeSnowflake(ids.next()).workerId, id.current()!.workerId);
  });

  it('etcd unreachable for longer than the TTL: no ids while it is away, a new lease once it is back', async () => {
    const [host, port] = config.etcd.endpoints[0]!.replace(/^https?:\/\//, '').split(':') as [string, string];
    const proxy = await tcpProxy(host, Number(port));
    const client = new Etcd3({ hosts: `http://${proxy.address}`, dialTimeout: 1000 });
    try {
      const { id, events } = await hold('cut-off', 2, { client });
      const ids = new LeasedIdGenerator(id);
      assert.equal(typeof ids.next(), 'bigint');
      await proxy.cut();
      await until('the lease to lapse', () => events.some((e) => e.kind === 'lost'));
      assert.equal(issue(ids), 'WorkerIdUnavailableError');
      await until('a failed attempt to lease again', () => events.some((e) => e.kind === 'retrying'));
      await sleep(1_000);
      assert.equal(issue(ids), 'WorkerIdUnavailableError', 'still none while etcd is away');

      await proxy.restore();
      await until('a new lease', () => events.some((e) => e.kind === 'leased'), 40_000);
      const lease = id.current()!;
      assert.equal(await etcd.get(lease.key).string(), 'cut-off');
      assert.equal(decodeSnowflake(ids.next()).workerId, lease.workerId);
      await id.release();
      assert.equal(await etcd.get(lease.key).string(), null);
    } finally {
      client.close();
      await proxy.close();
    }
  });
});
