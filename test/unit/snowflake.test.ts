import assert from 'node:assert/strict';
import {
  Snowflake,
  decodeSnowflake,
  ClockMovedBackwardsError,
  DOOS_EPOCH_MS,
  MAX_WORKER_ID,
} from '../../lib/ids/snowflake';
import { formatOrderNo } from '../../lib/ids/order-no';
import { ORDER_SHARD_BITS, parseOrderNo, shardOfOrderId } from '../../lib/ids/order-id';
import { ShardRouter } from '../../lib/db/shard-router';
import { UserIdGenerator } from '../../lib/ids/user-id';

/** A clock the test moves by hand. */
function manualClock(startMs: number): { now: () => number; set: (ms: number) => void } {
  let t = startMs;
  return { now: () => t, set: (ms) => (t = ms) };
}

describe('Snowflake ids', () => {
  const T0 = DOOS_EPOCH_MS + 1_000_000;

  it('keeps the low tag bits for a caller (an order id names its shard) and stays unique and increasing', () => {
    let calls = 0;
    // The clock moves on every 257 readings (256 ids, then the reading that finds the sequence used up).
    const sf = new Snowflake({ workerId: 7, clock: () => T0 + Math.floor(calls++ / 257), tagBits: ORDER_SHARD_BITS });
    const ids = Array.from({ length: 600 }, (_, i) => sf.nextTagged(i % 3));
    for (const [i, id] of ids.entries()) assert.equal(shardOfOrderId(id), i % 3);
    assert.equal(new Set(ids).size, ids.length);
    for (let i = 1; i < ids.length; i++) assert.ok((ids[i] as bigint) > (ids[i - 1] as bigint));
    // 2^(12 − 4) = 256 ids in the first millisecond, then the next ones wait for the clock.
    assert.equal(decodeSnowflake(ids[255] as bigint).timestampMs, T0);
    assert.equal(decodeSnowflake(ids[256] as bigint).timestampMs, T0 + 1);
    assert.throws(() => sf.nextTagged(16), RangeError);
    const parsed = parseOrderNo(formatOrderNo(ids[1] as bigint, 1));
    assert.deepEqual(parsed, { shard: 1, orderId: ids[1] });
    assert.equal(parseOrderNo('12345'), undefined);
  });

  it('user ids spread evenly over the shards, even when each is made in a millisecond of its own', () => {
    const users = new UserIdGenerator({ current: () => ({ workerId: 9 }) });
    const perShard = [0, 0];
    for (let i = 0; i < 64; i++) {
      perShard[new ShardRouter([0, 1]).shardOf(users.next())]! += 1;
      const ms = Date.now();
      while (Date.now() === ms); // the next id in another millisecond, as registrations come
    }
    assert.deepEqual(perShard, [32, 32]);
  });

  it('packs timestamp, worker id and sequence into the documented bit fields', () => {
    const clock = manualClock(T0);
    const sf = new Snowflake({ workerId: 513, clock: clock.now });
    const a = sf.next();
    const b = sf.next();
    assert.deepEqual(decodeSnowflake(a), { timestampMs: T0, workerId: 513, sequence: 0 });
    assert.deepEqual(decodeSnowflake(b), { timestampMs: T0, workerId: 513, sequence: 1 });
    assert.equal(a, (BigInt(T0 - DOOS_EPOCH_MS) << 22n) | (513n << 12n));
  });

  it('issues 200,000 strictly increasing, unique ids on the real clock', () => {
    const sf = new Snowflake({ workerId: 1 });
    let prev = -1n;
    const seen = new Set<bigint>();
    for (let i = 0; i < 200_000; i++) {
      const id = sf.next();
      assert.ok(id > prev, `id ${id} not above ${prev}`);
      prev = id;
      seen.add(id);
    }
    assert.equal(seen.size, 200_000);
  });

  it('after 4,096 ids in one millisecond it waits for the next millisecond instead of repeating', () => {
    let calls = 0;
    // The clock stays on T0 for the first 4,097 reads, then moves on.
    const sf = new Snowflake({ workerId: 2, clock: () => (++calls <= 4097 ? T0 : T0 + 1) });
    const ids = Array.from({ length: 4097 }, () => sf.next());
    assert.equal(new Set(ids).size, 4097);
    assert.deepEqual(decodeSnowflake(ids[4095] as bigint), { timestampMs: T0, workerId: 2, sequence: 4095 });
    assert.deepEqual(decodeSnowflake(ids[4096] as bigint), { timestampMs: T0 + 1, workerId: 2, sequence: 0 });
  });

  it('when the clock steps back a little, it waits until it has caught up and never repeats an id', () => {
    let t = T0 + 5;
    const clock = (): number => {
      const now = t;
      if (t < T0 + 5) t += 1; // the clock catches up one ms per read
      return now;
    };
    const sf = new Snowflake({ workerId: 3, clock });
    const before = sf.next();
    t = T0 + 2; // 3 ms backwards
    const after = sf.next();
    assert.ok(after > before);
    assert.ok(decodeSnowflake(after).timestampMs >= T0 + 5);
  });

  it('when the clock jumps back further than it may wait, it refuses with ClockMovedBackwardsError', () => {
    const clock = manualClock(T0 + 1000);
    const sf = new Snowflake({ workerId: 4, clock: clock.now, maxBackwardsWaitMs: 10 });
    sf.next();
    clock.set(T0);
    assert.throws(
      () => sf.next(),
      (err: unknown) => err instanceof ClockMovedBackwardsError && err.backwardsMs === 1000,
    );
  });

  it('rejects a worker id outside 0..1023', () => {
    assert.throws(() => new Snowflake({ workerId: MAX_WORKER_ID + 1 }), RangeError);
    assert.throws(() => new Snowflake({ workerId: -1 }), RangeError);
  });

  it('order numbers read as day + shard + id and fit the 32-character column', () => {
    const id = (BigInt(Date.UTC(2026, 10, 25, 14, 30) - DOOS_EPOCH_MS) << 22n) | (7n << 12n) | 9n;
    const no = formatOrderNo(id, 1);
    assert.equal(no, `2026112501${id}`);
    assert.ok(no.length <= 32);
  });
});

describe('shard routing', () => {
  it('routes user_id % shardCount, for bigint ids beyond 2^53 too', () => {
    const router = new ShardRouter(['s0', 's1', 's2']);
    assert.deepEqual(router.forUser(1001n), { shard: 2, client: 's2' });
    assert.equal(router.shardOf(9_007_199_254_740_993n), Number(9_007_199_254_740_993n % 3n));
    assert.deepEqual(
      router.all().map((s) => s.shard),
      [0, 1, 2],
    );
  });

  it('refuses a negative user id and a shard that does not exist', () => {
    const router = new ShardRouter(['s0', 's1']);
    assert.throws(() => router.shardOf(-1n), RangeError);
    assert.throws(() => router.at(2), /no shard 2/);
  });
});
