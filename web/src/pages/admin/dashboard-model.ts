/** What the dashboard page computes: the live list of latest orders, and the labels of its charts. */
import type { OrderStatus } from '../../api/types';

/** An order as search (and the live stream) returns it: no shipping address. */
export interface OrderSummary {
  orderId: string;
  orderNo: string;
  userId: string;
  status: OrderStatus;
  actualAmount: string;
  createdAt: string;
  updatedAt: string;
}

export interface Dashboard {
  day: string;
  timeZone: string;
  todaySales: string;
  todayOrders: number;
  statusDistribution: Record<OrderStatus, number>;
  ordersPerHour: { hour: string; orders: number }[];
  topProducts: { productId: string; productName: string; quantity: number }[];
  recentOrders: OrderSummary[];
}

export const LIVE_ROWS = 100;

/**
 * The list with this order put in: replaces the order's earlier state unless that one is newer (events can cross a
 * reload of the dashboard), newest order first, at most `max` rows.
 */
export function mergeLive(list: readonly OrderSummary[], order: OrderSummary, max = LIVE_ROWS): OrderSummary[] {
  const earlier = list.find((o) => o.orderId === order.orderId);
  if (earlier && earlier.updatedAt > order.updatedAt) return [...list];
  return [order, ...list.filter((o) => o.orderId !== order.orderId)]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.orderId.localeCompare(a.orderId))
    .slice(0, max);
}

/** "14:00" — the hour an instant starts, on the shop's clock. */
export function hourLabel(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(instant),
  );
}

/** A chart's figures in words, for people who cannot see the chart (its accessible name). */
export function chartSummary(points: { label: string; value: number }[]): string {
  const shown = points.filter((p) => p.value > 0);
  return shown.length === 0 ? '0' : shown.map((p) => `${p.label} ${p.value}`).join(', ');
}
