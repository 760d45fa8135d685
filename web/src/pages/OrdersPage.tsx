/** The buyer's orders, newest first, filtered by status and paged. */
import { useEffect, useState } from 'react';
import { Alert, Select, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import type { Order } from '../api/types';
import { ORDER_STATUSES, OrderStatus } from './OrderStatus';
import { useT } from '../i18n/language';

interface OrderPage {
  items: Order[];
  total: number;
}

export default function OrdersPage() {
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<OrderPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = useT();

  useEffect(() => {
    const query = new URLSearchParams({ page: String(page), pageSize: '20', ...(status ? { status } : {}) });
    const load = () =>
      api<OrderPage>('GET', `/v1/orders?${query.toString()}`).then(setData, (err: unknown) =>
        setError(describeError(err, t)),
      );
    void load();
    const timer = setInterval(() => void load(), 3000); // status changes show up without a reload
    return () => clearInterval(timer);
  }, [status, page, t]);

  return (
    <>
      <Typography.Title level={2}>{t('orders.title')}</Typography.Title>
      {error && <Alert type="error" title={error} showIcon role="alert" />}
      <Select
        allowClear
        placeholder={t('orders.anyStatus')}
        aria-label={t('orders.filter')}
        style={{ width: 200, marginBottom: 16 }}
        onChange={(v: string | undefined) => {
          setStatus(v);
          setPage(1);
        }}
        options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      <Table<Order>
        rowKey="orderId"
        loading={data === null}
        dataSource={data?.items ?? []}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('orders.order'), render: (_, o) => <Link to={`/orders/${o.orderId}`}>{o.orderNo}</Link> },
          {
            title: t('order.status'),
            dataIndex: 'status',
            render: (s: Order['status']) => <OrderStatus status={s} />,
          },
          { title: t('order.amount'), dataIndex: 'actualAmount', render: (a: string) => `¥${a}` },
          { title: t('order.placed'), dataIndex: 'createdAt', render: (t: string) => new Date(t).toLocaleString() },
        ]}
      />
    </>
  );
}
