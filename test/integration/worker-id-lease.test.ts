import assert from 'node:assert/strict';
import { testConfig, uniqueName } from '../support/config';
import { createEtcd } from '../../lib/etcd/client';
import { leaseWorkerId, LeasedIdGenerator, type WorkerIdLease } from '../../lib/ids/worker-id-lease';
import { decodeSnowflake } from '../../lib/ids/snowflake';

describe('Snowflake worker ids leased from etcd', function () {
  this.timeout(30_000);
  const config = testConfig();
  const etcd = createEtcd(config);
  const prefix = `/doos-test/${uniqueName('workers')}/`;
  const held: WorkerIdLease[] = [];

  after(async () => {
    await Promise.all(held.map((l) => l.release()));
    await etcd.delete().prefix(prefix);
    etcd.close();
  });

  it('twenty processes leasing at once all get different worker ids, each recorded with its owner', async () => {
    const leases = await Promise.all(
      Array.from({ length: 20 }, (_, i) => leaseWorkerId(etcd, { prefix, ttlSeconds: 10, owner: `proc-${i}` })),
    );
    held.push(...leases);
    assert.equal(new Set(leases.map((l) => l.workerId)).size, 20);
    for (const [i, lease] of leases.entries()) assert.equal(await etcd.get(lease.key).string(), `proc-${i}`);
    const ids = leases.map((l) => new LeasedIdGenerator(l).next());
    assert.deepEqual(
      ids.map((id) => decodeSnowflake(id).workerId),
      leases.map((l) => l.workerId),
    );
  });

  it('a released id is free again at once', async () => {
    const lease = await leaseWorkerId(etcd, { prefix, ttlSeconds: 10, owner: 'short-lived' });
    await lease.release();
    assert.equal(await etcd.get(lease.key).string(), null);
  });

  it('when the lease is lost (revoked behind its back), the generator refuses to issue ids', async () => {
    const lease = await leaseWorkerId(etcd, { prefix, ttlSeconds: 2, owner: 'doomed' });
    const generator = new LeasedIdGenerator(lease);
    assert.equal(typeof generator.next(), 'bigint');
    const leaseId = (await etcd.get(lease.key).exec()).kvs[0]?.lease;
    assert.ok(leaseId, 'the key is attached to a lease');
    await etcd.leaseClient.leaseRevoke({ ID: leaseId });
    const deadline = Date.now() + 10_000;
    while (!lease.lost && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(lease.lost, true);
    assert.throws(() => generator.next(), /lease was lost/);
  });
});
