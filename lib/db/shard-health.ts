/**
 * Which shards answer, probed in the background (a `SELECT 1` per shard every second, at most half a second each), so
 * a request for a user whose shard is down is refused at once (503) instead of waiting out connection timeouts and
 * the saga's deadline — and starts no saga that would reserve stock for an order it cannot write. The other shards'
 * users go on. A shard counts as down once a probe is refused (the server is gone: connection refused or reset), or
 * once `slowProbesToMarkDown` probes in a row got no answer in time (it hangs); a busy machine answers a probe late
 * now and then — under full load the probe waits for a pooled connection too — and one late answer must not turn a
 * whole shard's users away (make bench saw 57 of 1,000 orders refused so). It counts as up again as soon as one
 * probe answers.
 */
import { withDeadline } from '../time-limit';

/** Thrown by a probe that got no answer in time (as opposed to one the server refused). */
class ProbeTimeout extends Error {}

export interface ShardProbe {
  /** Resolves when the shard answers. */
  (): Promise<unknown>;
}

export class ShardHealth {
  private readonly down = new Map<number, string>();
  /** Probes in a row that got no answer in time, by shard. */
  private readonly slow = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly probes: readonly ShardProbe[],
    private readonly intervalMs = 1000,
    private readonly timeoutMs = 500,
    private readonly slowProbesToMarkDown = 3,
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
            await withDeadline(
              probe(),
              this.timeoutMs,
              () => new ProbeTimeout(`no answer within ${this.timeoutMs} ms`),
            );
            this.down.delete(shard);
            this.slow.delete(shard);
          } catch (err) {
            const slowInARow = err instanceof ProbeTimeout ? (this.slow.get(shard) ?? 0) + 1 : 0;
            this.slow.set(shard, slowInARow);
            const reason = (err as Error).message.split('\n')[0] ?? 'no answer';
            if (slowInARow === 0 || slowInARow >= this.slowProbesToMarkDown) this.down.set(shard, reason);
          }
        }),
      );
    } finally {
      this.probing = false;
    }
  }
}
