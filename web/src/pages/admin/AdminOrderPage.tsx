/**
 * Any order for the staff (by order id or number): its row, its saga's steps with times, and — for an admin — shipping
 * a paid one.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Space, Timeline, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { Order } from '../../api/types';
import { useT } from '../../i18n/language';
import { OrderFacts } from '../OrderFacts';
import { useSession } from '../../stores/session';

interface SagaStep {
  step: string;
  outcome: 'started' | 'completed' | 'failed' | 'compensated' | 'parked';
  at: string;
  detail?: string;
}

interface Saga {
  phase: string;
  history: SagaStep[];
}

const STEP_COLOR: Record<SagaStep['outcome'], string> = {
  started: 'blue',
  completed: 'green',
  failed: 'red',
  compensated: 'gray',
  parked: 'red',
};

export default function AdminOrderPage() {
  const { orderRef = '' } = useParams();
  const t = useT();
  const [order, setOrder] = useState<(Order & { userId: string }) | null>(null);
  const [saga, setSaga] = useState<Saga | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shipping, setShipping] = useState(false);
  const mayShip = useSession((s) => s.session?.role === 'admin'); // shipping is the shop's act: admin only

  const load = useCallback(async () => {
    try {
      setOrder(await api<Order & { userId: string }>('GET', `/v1/admin/orders/${orderRef}`));
      setSaga(await api<Saga>('GET', `/v1/admin/orders/${orderRef}/saga`).catch(() => null));
    } catch (err) {
      setError(describeError(err, t));
    }
  }, [orderRef, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const ship = async () => {
    setShipping(true);
    setError(null);
    try {
      await api('POST', `/v1/admin/orders/${orderRef}/ship`, {});
      await load();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setShipping(false);
    }
  };

  if (!order) return error ? <Alert type="error" title={error} showIcon role="alert" /> : null;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <OrderFacts order={order} error={error} userId={order.userId} />
      {order.status === 'PAID' && mayShip && (
        <Button type="primary" loading={shipping} onClick={() => void ship()}>
          {t('admin.ship')}
        </Button>
      )}
      {saga && (
        <>
          <Typography.Title level={3}>{t('admin.timeline')}</Typography.Title>
          <Timeline
            items={saga.history.map((s) => ({
              color: STEP_COLOR[s.outcome],
              content: `${new Date(s.at).toLocaleString()} · ${s.step} ${s.outcome}${s.detail ? ` — ${s.detail}` : ''}`,
            }))}
          />
        </>
      )}
    </Space>
  );
}
