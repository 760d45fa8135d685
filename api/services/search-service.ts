/** Cross-shard order search and the dashboard, answered by the orders index the CDC indexer keeps. */
import { errors as esErrors, type estypes } from '@elastic/elasticsearch';
import { AppError } from '../../lib/errors';
import type { OrderDocument } from '../../lib/cdc/order-document';
import { formatCents } from '../../lib/orders/money';
import type { OrderItemView } from '../../lib/orders/order-view';
import { ORDER_STATUSES, type OrderStatus } from '../../lib/orders/status';
import type { SearchClient } from '../../lib/search/client';
import {
  changedSinceRequest,
  dashboardRequest,
  orderSearchRequest,
  type OrderSearchFilter,
} from '../../lib/search/order-queries';
import { shopDay, type ShopDay } from '../../lib/time/shop-day';

/** An order as search returns it: the order view without the shipping address. */
export type OrderSearchItem = Omit<OrderDocument, 'totalCents' | 'discountCents' | 'actualCents' | 'items'> & {
  items: OrderItemView[];
};

export interface OrderSearchPage {
  items: OrderSearchItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Dashboard {
  /** The shop's day the figures are of (YYYY-MM-DD in its time zone) and that time zone. */
  day: string;
  timeZone: string;
  /** Amount of the orders paid today (the shop's day), as "12.50". */
  todaySales: string;
  todayOrders: number;
  statusDistribution: Record<OrderStatus, number>;
  /** Orders created in each hour of the shop's day so far and to come (hour: the instant it starts). */
  ordersPerHour: { hour: string; orders: number }[];
  topProducts: { productId: string; productName: string; quantity: number }[];
  recentOrders: OrderSearchItem[];
}

function toItem(doc: OrderDocument): OrderSearchItem {
  const { totalCents: _t, discountCents: _d, actualCents: _a, items, ...order } = doc;
  return { ...order, items: items.map(({ subtotalCents: _s, ...item }) => item) };
}

function isMissingIndex(err: unknown): boolean {
  return err instanceof esErrors.ResponseError && err.statusCode === 404;
}

interface Bucket {
  key: string;
  doc_count: number;
}

interface DashboardAggs {
  today: {
    doc_count: number;
    perHour: { buckets: { key: number; doc_count: number }[] };
    byStatus: { buckets: Bucket[] };
    notCancelled: {
      items: { products: { buckets: (Bucket & { quantity: { value: number }; name: { buckets: Bucket[] } })[] } };
    };
  };
  paidToday: { sales: { value: number } };
}

/** Every hour of the day with its count: the index's buckets, and zero for hours without orders (or none indexed). */
function hoursOf(day: ShopDay, buckets: { key: number; doc_count: number }[]): Dashboard['ordersPerHour'] {
  const counts = new Map(buckets.map((b) => [b.key, b.doc_count]));
  const hours: Dashboard['ordersPerHour'] = [];
  for (let t = day.start.getTime(); t < day.end.getTime(); t += 3_600_000) {
    hours.push({ hour: new Date(t).toISOString(), orders: counts.get(t) ?? 0 });
  }
  return hours;
}

export class SearchService {
  constructor(
    private readonly es: SearchClient,
    private readonly index: string,
    /** The shop's time zone: its day is the dashboard's "today". */
    private readonly timeZone: string,
  ) {}

  async searchOrders(filter: OrderSearchFilter): Promise<OrderSearchPage> {
    const res = await this.search(orderSearchRequest(this.index, filter));
    const total = res ? (typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0)) : 0;
    return {
      items: (res?.hits.hits ?? []).map((h) => toItem(h._source!)),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  async dashboard(now = new Date()): Promise<Dashboard> {
    const day = shopDay(now, this.timeZone);
    const res = await this.search(dashboardRequest(this.index, day, this.timeZone));
    const aggs = res?.aggregations as DashboardAggs | undefined;
    const statusDistribution = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const b of aggs?.today.byStatus.buckets ?? []) statusDistribution[b.key as OrderStatus] = b.doc_count;
    return {
      day: day.date,
      timeZone: this.timeZone,
      todaySales: formatCents(Math.round(aggs?.paidToday.sales.value ?? 0)),
      todayOrders: aggs?.today.doc_count ?? 0,
      statusDistribution,
      topProducts: (aggs?.today.notCancelled.items.products.buckets ?? []).map((b) => ({
        productId: b.key,
        productName: b.name.buckets[0]?.key ?? '',
        quantity: b.quantity.value,
      })),
      ordersPerHour: hoursOf(day, aggs?.today.perHour.buckets ?? []),
      recentOrders: (res?.hits.hits ?? []).map((h) => toItem(h._source!)),
    };
  }

  /** Orders changed since an instant (created, paid, shipped …), newest change first: the live stream's source. */
  async changedSince(since: Date, limit: number): Promise<OrderSearchItem[]> {
    const res = await this.search(changedSinceRequest(this.index, since, limit));
    return (res?.hits.hits ?? []).map((h) => toItem(h._source!));
  }

  /** The response, or null when the index does not exist yet (no order indexed so far). */
  private async search(request: estypes.SearchRequest): Promise<estypes.SearchResponse<OrderDocument> | null> {
    try {
      return await this.es.search<OrderDocument>(request);
    } catch (err) {
      if (isMissingIndex(err)) return null;
      if (err instanceof esErrors.ResponseError && err.statusCode === 400) throw err; // our query is wrong: a bug
      throw new AppError('SERVICE_UNAVAILABLE', `search is unavailable: ${(err as Error).message}`);
    }
  }
}
