/** Routes a user to its order shard: shard = user_id % shardCount, one client (pool) per shard. */

export class ShardRouter<Client> {
  constructor(private readonly clients: readonly Client[]) {
    if (clients.length === 0) throw new RangeError('a shard router needs at least one shard');
  }

  get count(): number {
    return this.clients.length;
  }

  /** The shard index of a user. */
  shardOf(userId: bigint): number {
    if (userId < 0n) throw new RangeError(`user id must not be negative, got ${userId}`);
    return Number(userId % BigInt(this.clients.length));
  }

  /** The client of the shard at an index. */
  at(shard: number): Client {
    const client = this.clients[shard];
    if (client === undefined) throw new RangeError(`no shard ${shard} (there are ${this.clients.length})`);
    return client;
  }

  /** The shard index and client of a user. */
  forUser(userId: bigint): { shard: number; client: Client } {
    const shard = this.shardOf(userId);
    return { shard, client: this.at(shard) };
  }

  /** Every shard with its index, for fan-out reads. */
  all(): { shard: number; client: Client }[] {
    return this.clients.map((client, shard) => ({ shard, client }));
  }
}
