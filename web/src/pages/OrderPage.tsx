/** One order of the buyer: items, amounts and status (followed without a reload), pay, cancel, confirm receipt. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Space, Table } from 'antd';
import { useParams } from 'react-router-dom';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import type { Order, OrderItem } from '../api/types';
import { useT } from '../i18n/language';
import { OrderFacts } from './OrderFacts';
import { PayCountdown } from './PayCountdown';
import { SagaTimeline, type Saga } from './SagaTimeline';

/** How often the page asks for the order while it waits for a change (payment, shipping). */
const FOLLOW_MS = 1000;

export default function OrderPage() {
  const { orderId = '' } = useParams();
  const [order, setOrder] = useState<Order | null>(null);
  const [saga, setSaga] = useState<Saga | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const t = useT();

  const load = useCallback(async () => {
    try {
      setOrder(await api<Order>('GET', `/v1/orders/${orderId}`));
      // The steps are a bonus: the order shows even when the saga cannot be asked (no worker for a moment).
      setSaga(await api<Saga>('GET', `/v1/orders/${orderId}/saga`).catch(() => null));
    } catch (err) {
      setError(describeError(err, t));
    }
  }, [orderId, t]);

  // Followed until it is final: a completed or cancelled order changes no more.
  const final = order?.status === 'COMPLETED' || order?.status === 'CANCELLED';
  useEffect(() => {
    void load();
    if (final) return;
    const timer = setInterval(() => void load(), FOLLOW_MS);
    return () => clearInterval(timer);
  }, [load, final]);

  const act = async (action: 'pay' | 'cancel' | 'complete') => {
    setBusy(action);
    setError(null);
    try {
      await api('POST', `/v1/orders/${orderId}/${action}`, {});
      await load();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(null);
    }
  };

  if (!order) return error ? <Alert type="error" title={error} showIcon role="alert" /> : null;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <OrderFacts order={order} error={error} />
      {order.status === 'PENDING_PAYMENT' && saga?.payBefore && <PayCountdown payBefore={saga.payBefore} />}
      <Table<OrderItem>
        rowKey="skuId"
        pagination={false}
        dataSource={order.items}
        columns={[
          { title: t('cart.item'), dataIndex: 'productName' },
          { title: t('cart.price'), dataIndex: 'price', render: (p: string) => `¥${p}` },
          { title: t('cart.quantity'), dataIndex: 'quantity' },
          { title: t('cart.subtotal'), dataIndex: 'subtotal', render: (p: string) => `¥${p}` },
        ]}
      />
      <Space wrap>
        {order.status === 'PENDING_PAYMENT' && (
          <>
            <Button type="primary" loading={busy === 'pay'} onClick={() => void act('pay')}>
              {t('order.pay')}
            </Button>
            <Button danger loading={busy === 'cancel'} onClick={() => void act('cancel')}>
              {t('order.cancel')}
            </Button>
          </>
        )}
        {order.status === 'SHIPPED' && (
          <Button type="primary" loading={busy === 'complete'} onClick={() => void act('complete')}>
            {t('order.confirm')}
          </Button>
        )}
      </Space>
      {saga && <SagaTimeline saga={saga} />}
    </Space>
  );
}
