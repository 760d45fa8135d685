/**
 * Which shards answer, probed in the background (a `SELECT 1` per shard every second, at most half a second each), so
 * a request for a user whose shard is down is refused at once (503) instead of waiting out connection timeouts and
 * the saga's deadline — and starts no saga that would reserve stock for an order it cannot write. The other shards'
 * users go on. A shard counts as up until a probe has failed, and again as soon as one answers.
 */
import { withinMs } from '../time-limit';

export interface ShardProbe {
  /** Resolves when the shard answers. */
  (): Promise<unknown>;
}

export class ShardHealth {
  private readonly down = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly probes: readonly ShardProbe[],
    private readonly intervalMs = 1000,
    private readonly timeoutMs = 500,
  ) {}

  start(): this {
    this.timer ??= setInterval(() => void this.probeAll(), this.intervalMs);
    this.timer.unref();
    void this.probeAll();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Why the shard is down (its last probe's error), or undefined while it answers. */
  downReason(shard: number): string | undefined {
    return this.down.get(shard);
  }

  async probeAll(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await Promise.all(
        this.probes.map(async (probe, shard) => {
          try {
            await withinMs(probe(), this.timeoutMs);
            this.down.delete(shard);
          } catch (err) {
            this.down.set(shard, (err as Error).message.split('\n')[0] ?? 'no answer');
          }
        }),
      );
    } finally {
      this.probing = false;
    }
  }
}
