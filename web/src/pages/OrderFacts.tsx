/** The heading and facts of one order — status, amount, time, address — as the buyer's and the staff's pages show it. */
import { Alert, Descriptions, Typography } from 'antd';
import type { Order } from '../api/types';
import { useT } from '../i18n/language';
import { OrderStatus } from './OrderStatus';

export function OrderFacts({ order, error, userId }: { order: Order; error: string | null; userId?: string }) {
  const t = useT();
  const { shippingAddress: to } = order;
  return (
    <>
      <Typography.Title level={2}>{t('order.title', { orderNo: order.orderNo })}</Typography.Title>
      {error && <Alert type="error" title={error} showIcon role="alert" />}
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={t('order.status')}>
          <OrderStatus status={order.status} />
        </Descriptions.Item>
        {userId && <Descriptions.Item label={t('admin.userId')}>{userId}</Descriptions.Item>}
        <Descriptions.Item label={t('order.amount')}>¥{order.actualAmount}</Descriptions.Item>
        <Descriptions.Item label={t('order.placed')}>{new Date(order.createdAt).toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={t('order.shipTo')}>
          {to.name}, {to.phone}, {to.city ?? ''} {to.detail}
        </Descriptions.Item>
      </Descriptions>
    </>
  );
}
