import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { OrderFeed, type FeedEvent, type FeedOrder } from '../../lib/search/order-feed';

/** An index the test writes: what changed since an instant, newest first. */
class FakeIndex {
  orders = new Map<string, FeedOrder>();
  polls = 0;
  down = false;
  async changedSince(since: Date, limit: number): Promise<FeedOrder[]> {
    this.polls++;
    if (this.down) throw new Error('search is unavailable');
    return Promise.resolve(
      [...this.orders.values()]
        .filter((o) => Date.parse(o.updatedAt) >= since.getTime())
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, limit),
    );
  }
  put(orderId: string, status: string, at: number): void {
    this.orders.set(orderId, { orderId, status, updatedAt: new Date(at).toISOString() });
  }
}

/** Waits until the feed has asked the index twice more: a change made before is then handed out. */
async function afterPolls(index: FakeIndex): Promise<void> {
  const target = index.polls + 2;
  while (index.polls < target) await sleep(2);
}

describe('the live order feed (one poller per API process)', () => {
  const options = { pollMs: 10, windowSeconds: 30, batch: 100 };

  function listenTo(feed: OrderFeed<FeedOrder>): { events: FeedEvent<FeedOrder>[]; stop: () => void } {
    const events: FeedEvent<FeedOrder>[] = [];
    const stop = feed.listen((e) => events.push(e));
    return { events, stop };
  }

  it('hands each new order and each status change to every listener once, not what came before they listened', async () => {
    const index = new FakeIndex();
    const now = Date.now();
    index.put('1', 'CREATED', now - 5000);
    const feed = new OrderFeed(index, options);
    const a = listenTo(feed);
    const b = listenTo(feed);
    await afterPolls(index);
    index.put('2', 'CREATED', now);
    await afterPolls(index);
    index.put('2', 'PAID', now + 1);
    await afterPolls(index);
    const orders = (events: FeedEvent<FeedOrder>[]) =>
      events.flatMap((e) => (e.kind === 'order' ? [`${e.order.orderId}:${e.order.status}`] : []));
    assert.deepEqual(orders(a.events), ['2:CREATED', '2:PAID']);
    assert.deepEqual(orders(b.events), ['2:CREATED', '2:PAID']);
    a.stop();
    b.stop();
  });

  it('an order indexed late (its change older than ones already sent) is still sent', async () => {
    const index = new FakeIndex();
    const now = Date.now();
    const feed = new OrderFeed(index, options);
    const l = listenTo(feed);
    await afterPolls(index);
    index.put('10', 'CREATED', now);
    await afterPolls(index);
    index.put('9', 'CREATED', now - 3000); // another shard's order, indexed seconds later
    await afterPolls(index);
    assert.deepEqual(
      l.events.flatMap((e) => (e.kind === 'order' ? [e.order.orderId] : [])),
      ['10', '9'],
    );
    l.stop();
  });

  it('polls only while someone listens', async () => {
    const index = new FakeIndex();
    const feed = new OrderFeed(index, options);
    await sleep(30);
    assert.equal(index.polls, 0);
    const l = listenTo(feed);
    await afterPolls(index);
    l.stop();
    await sleep(15);
    const after = index.polls;
    await sleep(40);
    assert.equal(index.polls, after);
    assert.equal(feed.listenerCount, 0);
  });

  it('says once that the index is unavailable and once that it is back, then goes on', async () => {
    const index = new FakeIndex();
    const feed = new OrderFeed(index, options);
    const l = listenTo(feed);
    await afterPolls(index);
    index.down = true;
    await afterPolls(index);
    index.down = false;
    index.put('5', 'CREATED', Date.now());
    await afterPolls(index);
    assert.deepEqual(
      l.events.map((e) => e.kind),
      ['unavailable', 'available', 'order'],
    );
    l.stop();
  });

  it('close() tells each listener the stream is closed and stops polling', async () => {
    const index = new FakeIndex();
    const feed = new OrderFeed(index, options);
    const l = listenTo(feed);
    await sleep(20);
    feed.close();
    const polls = index.polls;
    await sleep(40);
    assert.deepEqual(l.events.at(-1), { kind: 'closed' });
    assert.equal(index.polls, polls);
    assert.equal(feed.listenerCount, 0);
  });
});
