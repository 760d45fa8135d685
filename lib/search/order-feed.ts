/**
 * The live stream of order changes behind GET /v1/stats/orders/stream. One poller per API process, running only while
 * someone listens, asks the orders index every `pollMs` for the orders changed in the last `windowSeconds` (newest
 * first, at most `batch`) and hands each change — an order seen for the first time, or with another status or update
 * time — to every listener once, oldest first. The window is wider than the CDC lag, so an order indexed late is still
 * found; under a load of more than `batch` changes per window the stream shows the newest (it is a view of what is
 * happening, not a log: the dashboard's figures come from GET /v1/stats/dashboard).
 */

/** What the feed needs of an order; the API streams the order as search returns it. */
export interface FeedOrder {
  orderId: string;
  status: string;
  /** ISO instant of the order's last change. */
  updatedAt: string;
}

export interface OrderFeedSource<T extends FeedOrder> {
  /** Orders changed at or after `since`, newest first, at most `limit`. */
  changedSince(since: Date, limit: number): Promise<T[]>;
}

export type FeedEvent<T extends FeedOrder> =
  | { kind: 'order'; order: T }
  /** The index cannot be asked; the stream goes on once it can (`available`). */
  | { kind: 'unavailable'; error: string }
  | { kind: 'available' }
  /** The process is shutting down: the listener should end its stream (the client reconnects elsewhere). */
  | { kind: 'closed' };

export type FeedListener<T extends FeedOrder> = (event: FeedEvent<T>) => void;

export interface OrderFeedOptions {
  pollMs: number;
  windowSeconds: number;
  batch: number;
}

export const ORDER_FEED_DEFAULTS: OrderFeedOptions = { pollMs: 1000, windowSeconds: 30, batch: 500 };

export class OrderFeed<T extends FeedOrder> {
  private readonly listeners = new Set<FeedListener<T>>();
  /** Order id → the version last handed out (status and update time) and that update time in ms. */
  private readonly seen = new Map<string, { version: string; at: number }>();
  private timer: NodeJS.Timeout | undefined;
  /** Bumped at each start, so a poll of an earlier run that is still under way ends without scheduling another. */
  private run = 0;
  private primed = false;
  private failing = false;

  constructor(
    private readonly source: OrderFeedSource<T>,
    private readonly options: OrderFeedOptions = ORDER_FEED_DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a listener (polling starts with the first); returns its removal (polling stops with the last). */
  listen(listener: FeedListener<T>): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  }

  /** Stops polling and tells every listener the stream is closed. */
  close(): void {
    this.stop();
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l({ kind: 'closed' });
  }

  private start(): void {
    this.run++;
    this.primed = false;
    this.failing = false;
    this.seen.clear();
    this.schedule(this.run, 0);
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.run++;
  }

  private schedule(run: number, ms: number): void {
    this.timer = setTimeout(() => void this.poll(run), ms);
    this.timer.unref();
  }

  private emit(event: FeedEvent<T>): void {
    for (const l of this.listeners) l(event);
  }

  private async poll(run: number): Promise<void> {
    const since = this.now() - this.options.windowSeconds * 1000;
    try {
      const orders = await this.source.changedSince(new Date(since), this.options.batch);
      if (run !== this.run) return;
      if (this.failing) this.emit({ kind: 'available' });
      this.failing = false;
      for (const order of [...orders].reverse()) {
        const version = `${order.status}|${order.updatedAt}`;
        if (this.seen.get(order.orderId)?.version === version) continue;
        this.seen.set(order.orderId, { version, at: Date.parse(order.updatedAt) });
        // The first answer is what happened before anyone listened: remembered, not sent.
        if (this.primed) this.emit({ kind: 'order', order });
      }
      this.primed = true;
      for (const [id, s] of this.seen) if (s.at < since) this.seen.delete(id);
    } catch (err) {
      if (run !== this.run) return;
      if (!this.failing) this.emit({ kind: 'unavailable', error: err instanceof Error ? err.message : String(err) });
      this.failing = true;
    }
    if (run === this.run) this.schedule(run, this.options.pollMs);
  }
}
