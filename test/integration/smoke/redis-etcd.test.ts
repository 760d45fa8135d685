import assert from 'node:assert/strict';
import { testConfig, uniqueName } from '../../support/config';
import { createRedis } from '../../../lib/redis/client';
import { createEtcd } from '../../../lib/etcd/client';

describe('smoke: Redis and etcd', () => {
  const config = testConfig();

  it('Redis: SET NX with a TTL holds the key once, under the configured prefix', async () => {
    const redis = createRedis(config);
    const key = uniqueName('smoke');
    try {
      assert.equal(await redis.set(key, 'first', 'EX', 10, 'NX'), 'OK');
      assert.equal(await redis.set(key, 'second', 'EX', 10, 'NX'), null, 'a second SET NX must not win');
      assert.equal(await redis.get(key), 'first');
      const ttl = await redis.ttl(key);
      assert.ok(ttl > 0 && ttl <= 10, `ttl ${ttl}`);
      const raw = createRedis({ redis: { ...config.redis, keyPrefix: '' } });
      assert.equal(await raw.get(`${config.redis.keyPrefix}${key}`), 'first');
      raw.disconnect();
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });

  it('etcd: a key put under a lease disappears when the lease is revoked', async () => {
    const etcd = createEtcd(config);
    const key = `${config.etcd.snowflakePrefix}${uniqueName('smoke')}`;
    try {
      const lease = etcd.lease(config.etcd.leaseTtlSeconds, { autoKeepAlive: true });
      await lease.put(key).value('worker-smoke');
      assert.equal(await etcd.get(key).string(), 'worker-smoke');
      // A competing create-if-absent must fail while the lease lives.
      const txn = await etcd.if(key, 'Create', '==', 0).then(etcd.put(key).value('intruder')).commit();
      assert.equal(txn.succeeded, false);
      await lease.revoke();
      assert.equal(await etcd.get(key).string(), null);
    } finally {
      await etcd.delete().key(key);
      etcd.close();
    }
  });
});
