/**
 * User ids: Snowflake ids whose lowest 4 bits take turns over 0–15. A user's shard is user_id % shards; a plain
 * Snowflake id made one per millisecond has sequence 0 and so is even — every user would land on shard 0. Taking turns
 * spreads users evenly over 2, 4, 8 or 16 shards (and nearly so over other counts up to 16).
 */
import { ORDER_SHARD_BITS } from './order-id';
import { LeasedIdGenerator, type WorkerIdSource } from './worker-id-lease';

export class UserIdGenerator {
  private readonly ids: LeasedIdGenerator;
  private turn = 0;

  constructor(source: WorkerIdSource) {
    this.ids = new LeasedIdGenerator(source, { tagBits: ORDER_SHARD_BITS });
  }

  next(): bigint {
    this.turn = (this.turn + 1) % (1 << ORDER_SHARD_BITS);
    return this.ids.nextTagged(this.turn);
  }
}
