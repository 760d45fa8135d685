/**
 * Elasticsearch requests over the orders index: the cross-shard order search and the dashboard's figures. Pure
 * builders (a filter in, a request body out) so the API service stays a thin caller.
 */
import type { estypes } from '@elastic/elasticsearch';
import { ORDER_STATUSES, type OrderStatus } from '../orders/status';
import type { ShopDay } from '../time/shop-day';

export const ORDER_SORTS = [
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'actualAmount',
  '-actualAmount',
] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

export interface OrderSearchFilter {
  orderNo?: string;
  userId?: string;
  status?: OrderStatus;
  /** createdAt >= from, createdAt <= to (ISO instants). */
  from?: string;
  to?: string;
  minCents?: number;
  maxCents?: number;
  productId?: string;
  page: number;
  pageSize: number;
  sort: OrderSort;
}

/** Elasticsearch returns at most this many hits deep (index.max_result_window). */
export const MAX_RESULT_WINDOW = 10_000;

const SORT_FIELD: Record<string, string> = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  actualAmount: 'actualCents',
};

export function orderSearchRequest(index: string, f: OrderSearchFilter): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (f.orderNo) filter.push({ term: { orderNo: f.orderNo } });
  if (f.userId) filter.push({ term: { userId: f.userId } });
  if (f.status) filter.push({ term: { status: f.status } });
  if (f.from || f.to) {
    // As UTC instants: Elasticsearch parses offsets only up to ±18:00, ISO 8601 allows more.
    const utc = (instant: string): string => new Date(instant).toISOString();
    filter.push({ range: { createdAt: { ...(f.from && { gte: utc(f.from) }), ...(f.to && { lte: utc(f.to) }) } } });
  }
  if (f.minCents !== undefined || f.maxCents !== undefined) {
    filter.push({
      range: {
        actualCents: {
          ...(f.minCents !== undefined && { gte: f.minCents }),
          ...(f.maxCents !== undefined && { lte: f.maxCents }),
        },
      },
    });
  }
  if (f.productId) {
    filter.push({ nested: { path: 'items', query: { term: { 'items.productId': f.productId } } } });
  }
  const descending = f.sort.startsWith('-');
  const field = SORT_FIELD[f.sort.replace(/^-/, '')]!;
  return {
    index,
    query: { bool: { filter } },
    sort: [{ [field]: { order: descending ? 'desc' : 'asc' } }, { orderId: { order: descending ? 'desc' : 'asc' } }],
    from: (f.page - 1) * f.pageSize,
    size: f.pageSize,
    track_total_hits: true,
  };
}

/** Statuses that count as sold: paid, and not cancelled since (a paid order cannot be cancelled). */
const SOLD: OrderStatus[] = ['PAID', 'SHIPPED', 'COMPLETED'];

export const TOP_PRODUCTS = 10;
export const RECENT_ORDERS = 100;

/**
 * One request for the whole dashboard: the shop's day's orders (created since its midnight in the shop's time zone)
 * counted, split by status and by hour, the amount paid that day, the 10 products ordered most (by quantity, cancelled
 * orders left out), and the latest 100 orders.
 */
export function dashboardRequest(index: string, day: ShopDay, timeZone: string): estypes.SearchRequest {
  const today = day.start.toISOString();
  return {
    index,
    size: RECENT_ORDERS,
    sort: [{ createdAt: { order: 'desc' } }, { orderId: { order: 'desc' } }],
    query: { match_all: {} },
    track_total_hits: false,
    aggs: {
      today: {
        filter: { range: { createdAt: { gte: today } } },
        aggs: {
          perHour: {
            date_histogram: {
              field: 'createdAt',
              calendar_interval: '1h',
              time_zone: timeZone,
              min_doc_count: 0,
              extended_bounds: { min: today, max: new Date(day.end.getTime() - 1).toISOString() },
            },
          },
          byStatus: { terms: { field: 'status', size: ORDER_STATUSES.length } },
          notCancelled: {
            filter: { bool: { must_not: [{ term: { status: 'CANCELLED' } }] } },
            aggs: {
              items: {
                nested: { path: 'items' },
                aggs: {
                  products: {
                    terms: { field: 'items.productId', size: TOP_PRODUCTS, order: { quantity: 'desc' } },
                    aggs: {
                      quantity: { sum: { field: 'items.quantity' } },
                      name: { terms: { field: 'items.productName.raw', size: 1 } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      paidToday: {
        filter: { bool: { filter: [{ range: { paidAt: { gte: today } } }, { terms: { status: SOLD } }] } },
        aggs: { sales: { sum: { field: 'actualCents' } } },
      },
    },
  };
}

/** Orders whose last change (updatedAt) is at or after `since`, newest first: what the live stream polls for. */
export function changedSinceRequest(index: string, since: Date, limit: number): estypes.SearchRequest {
  return {
    index,
    size: limit,
    query: { bool: { filter: [{ range: { updatedAt: { gte: since.toISOString() } } }] } },
    sort: [{ updatedAt: { order: 'desc' } }, { orderId: { order: 'desc' } }],
    track_total_hits: false,
  };
}
