/**
 * GET /v1/stats/orders/stream: the dashboard's live stream of the latest orders, as server-sent events — `order`
 * (an order created or changed, as search returns it), `unavailable` / `available` (the index went away / came back)
 * — fed by the API process's one poller of the index (lib/search/order-feed.ts). A bearer token like every staff
 * route (a browser reads it with fetch, not EventSource, so the token stays out of URLs). Each connection holds a slot:
 * a user may hold 3 (429 / 10006 beyond that, Retry-After 10 s) and the process 200 (503 / 10004 beyond that).
 */
import { AppError } from '../../lib/errors';
import type { OrderFeed } from '../../lib/search/order-feed';
import { openEventStream } from '../event-stream';
import { route, signedIn, type RouteSpec } from '../route';
import type { OrderSearchItem } from '../services/search-service';
import { z } from '../zod';

export const STREAMS_PER_USER = 3;
export const STREAMS_PER_PROCESS = 200;

/** Open streams, per user and in all. */
class StreamSlots {
  private readonly perUser = new Map<string, number>();
  private total = 0;

  take(userId: string): () => void {
    const held = this.perUser.get(userId) ?? 0;
    if (held >= STREAMS_PER_USER) {
      throw new AppError('RATE_LIMITED', `you have ${held} live streams open already; close one first`, {
        retryAfterSeconds: 10,
      });
    }
    if (this.total >= STREAMS_PER_PROCESS) {
      throw new AppError('SERVICE_UNAVAILABLE', 'this API process serves as many live streams as it can; try again');
    }
    this.perUser.set(userId, held + 1);
    this.total++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.total--;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }
}

export function orderStreamRoutes(feed: OrderFeed<OrderSearchItem>): RouteSpec[] {
  const slots = new StreamSlots();
  return [
    route({
      method: 'get',
      path: '/v1/stats/orders/stream',
      tag: 'search',
      summary:
        'server-sent events of orders as they are created or change (seconds behind the shards, via the index): ' +
        '`order` with the order as search returns it, `unavailable` / `available` when the index goes away / is back',
      description:
        `open until the client leaves or the API stops; at most ${STREAMS_PER_USER} per user (429 / 10006) and ` +
        `${STREAMS_PER_PROCESS} per API process (503 / 10004); a comment line every 15 s keeps it open`,
      query: z.object({}).strict(),
      responses: { 200: { description: 'the stream', contentType: 'text/event-stream' } },
      errors: ['RATE_LIMITED', 'SERVICE_UNAVAILABLE'],
      handle: ({ caller }) => {
        const giveBack = slots.take(signedIn(caller).userId.toString());
        return {
          stream(res, req) {
            let stopListening = () => {};
            const events = openEventStream(req, res, () => {
              stopListening();
              giveBack();
            });
            events.send('ready', {});
            stopListening = feed.listen((e) => {
              if (e.kind === 'order') events.send('order', e.order);
              else if (e.kind === 'unavailable') events.send('unavailable', { error: e.error });
              else if (e.kind === 'available') events.send('available', {});
              else events.end();
            });
          },
        };
      },
    }),
  ];
}
