/** Orders as CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled). */
import type { Order } from '../../api/types';

export type OrderRow = Pick<Order, 'orderId' | 'orderNo' | 'status' | 'actualAmount' | 'createdAt'> & {
  userId: string;
  items: { productName: string; quantity: number }[];
};

const COLUMNS = ['orderNo', 'orderId', 'userId', 'status', 'actualAmount', 'createdAt', 'items'] as const;

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function ordersCsv(orders: OrderRow[]): string {
  const lines = orders.map((o) =>
    [
      o.orderNo,
      o.orderId,
      o.userId,
      o.status,
      o.actualAmount,
      o.createdAt,
      o.items.map((i) => `${i.productName} × ${i.quantity}`).join('; '),
    ]
      .map(field)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
