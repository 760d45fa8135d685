/**
 * Any order for the staff (by order id or number): its row, its saga's steps with times, its outbox events with their
 * Kafka status, links to its workflow in the Temporal Web UI and to its trace in Zipkin, and — for an admin — shipping
 * a paid one.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Space, Table, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { Order } from '../../api/types';
import { useT } from '../../i18n/language';
import { OrderFacts } from '../OrderFacts';
import { SagaTimeline, type Saga } from '../SagaTimeline';
import { useSession } from '../../stores/session';

interface OutboxEvent {
  messageId: string;
  eventType: string;
  status: string;
  retryCount: number;
  createdAt: string;
  sentAt: string | null;
  errorMsg: string | null;
}

interface SagaLinks {
  saga: { webUiUrl: string };
  traceUrl: string | null;
}

export default function AdminOrderPage() {
  const { orderRef = '' } = useParams();
  const t = useT();
  const [order, setOrder] = useState<(Order & { userId: string }) | null>(null);
  const [saga, setSaga] = useState<Saga | null>(null);
  const [events, setEvents] = useState<OutboxEvent[]>([]);
  const [links, setLinks] = useState<SagaLinks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shipping, setShipping] = useState(false);
  const mayShip = useSession((s) => s.session?.role === 'admin'); // shipping is the shop's act: admin only

  const load = useCallback(async () => {
    try {
      const o = await api<Order & { userId: string }>('GET', `/v1/admin/orders/${orderRef}`);
      setOrder(o);
      // The rest only adds to the page: each may be away (no worker, Temporal down) without hiding the order.
      const [s, e, l] = await Promise.all([
        api<Saga>('GET', `/v1/admin/orders/${orderRef}/saga`).catch(() => null),
        api<{ items: OutboxEvent[] }>('GET', `/v1/admin/outbox?orderId=${o.orderId}`).catch(() => null),
        api<SagaLinks>('GET', `/v1/admin/sagas/${o.orderId}`).catch(() => null),
      ]);
      setSaga(s);
      setEvents([...(e?.items ?? [])].reverse()); // oldest first, as they happened
      setLinks(l);
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
      {links && (
        <Space>
          <a href={links.saga.webUiUrl} target="_blank" rel="noreferrer">
            {t('admin.inWebUi')}
          </a>
          {links.traceUrl && (
            <a href={links.traceUrl} target="_blank" rel="noreferrer">
              {t('admin.inZipkin')}
            </a>
          )}
        </Space>
      )}
      {saga && <SagaTimeline saga={saga} />}
      <Typography.Title level={3}>{t('admin.events')}</Typography.Title>
      <Table<OutboxEvent>
        data-testid="order-events"
        rowKey="messageId"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={events}
        columns={[
          { title: t('ops.event'), dataIndex: 'eventType' },
          {
            title: t('ops.state'),
            dataIndex: 'status',
            render: (s: string) => (
              <Badge status={s === 'FAILED' ? 'error' : s === 'PENDING' ? 'warning' : 'success'} text={s} />
            ),
          },
          { title: t('ops.retries'), dataIndex: 'retryCount' },
          { title: t('ops.created'), dataIndex: 'createdAt', render: (at: string) => new Date(at).toLocaleString() },
          {
            title: t('admin.sentAt'),
            dataIndex: 'sentAt',
            render: (at: string | null) => (at ? new Date(at).toLocaleString() : '—'),
          },
          { title: t('ops.error'), dataIndex: 'errorMsg' },
        ]}
      />
    </Space>
  );
}
