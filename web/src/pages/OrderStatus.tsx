/** An order's status as a coloured dot and its name in the reader's language (the dot is not the only signal). */
import { Badge } from 'antd';
import type { Order } from '../api/types';
import { useT } from '../i18n/language';

export const STATUS_BADGE: Record<Order['status'], 'warning' | 'success' | 'processing' | 'default' | 'error'> = {
  PENDING_PAYMENT: 'warning',
  PAID: 'success',
  SHIPPED: 'processing',
  COMPLETED: 'default',
  CANCELLED: 'error',
};

export const ORDER_STATUSES = Object.keys(STATUS_BADGE) as Order['status'][];

export function OrderStatus({ status }: { status: Order['status'] }) {
  const t = useT();
  return (
    <span data-testid="order-status" data-status={status}>
      <Badge status={STATUS_BADGE[status]} text={t(`status.${status}`)} />
    </span>
  );
}
