/**
 * Staff order search across the shards (GET /v1/search/orders, fed by the CDC index): every filter the API has,
 * sorting by time or amount, paging, and a CSV export of everything the filter matches (up to the API's window).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useT } from '../../i18n/language';
import { ORDER_STATUSES, OrderStatus } from '../OrderStatus';
import { ordersCsv, type OrderRow } from './order-csv';

interface Filter {
  orderNo?: string;
  userId?: string;
  productId?: string;
  status?: string;
  from?: string;
  to?: string;
  minAmount?: string;
  maxAmount?: string;
}

interface SearchPage {
  items: OrderRow[];
  total: number;
}

const PAGE_SIZE = 20;
/** The API's window: page × pageSize ≤ 10,000. */
const EXPORT_LIMIT = 10_000;

function queryOf(filter: Filter, sort: string, page: number, pageSize: number): string {
  const q = new URLSearchParams({ sort, page: String(page), pageSize: String(pageSize) });
  for (const [key, value] of Object.entries(filter)) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    q.set(key, key === 'from' || key === 'to' ? new Date(value).toISOString() : value.trim());
  }
  return q.toString();
}

export default function AdminOrdersPage() {
  const t = useT();
  const [filter, setFilter] = useState<Filter>({});
  const [sort, setSort] = useState('-createdAt');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<SearchPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await api<SearchPage>('GET', `/v1/search/orders?${queryOf(filter, sort, page, PAGE_SIZE)}`));
      setError(null);
    } catch (err) {
      setError(describeError(err, t));
    }
  }, [filter, sort, page, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const exportCsv = async () => {
    setExporting(true);
    try {
      const rows: OrderRow[] = [];
      for (let p = 1; rows.length < EXPORT_LIMIT; p++) {
        const chunk = await api<SearchPage>('GET', `/v1/search/orders?${queryOf(filter, sort, p, 100)}`);
        rows.push(...chunk.items);
        if (chunk.items.length < 100 || p * 100 >= EXPORT_LIMIT) break;
      }
      const url = URL.createObjectURL(new Blob([ordersCsv(rows)], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'orders.csv';
      link.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('admin.orders')}</Typography.Title>
      {error && <Alert type="error" title={error} showIcon role="alert" />}
      <Form<Filter>
        name="search"
        layout="inline"
        onFinish={(v) => {
          setFilter(v);
          setPage(1);
        }}
      >
        <Form.Item label={t('admin.orderNo')} name="orderNo">
          <Input />
        </Form.Item>
        <Form.Item label={t('admin.userId')} name="userId">
          <Input />
        </Form.Item>
        <Form.Item label={t('admin.productId')} name="productId">
          <Input />
        </Form.Item>
        <Form.Item label={t('order.status')} name="status">
          <Select
            allowClear
            style={{ width: 180 }}
            options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('admin.from')} name="from">
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item label={t('admin.to')} name="to">
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item label={t('admin.minAmount')} name="minAmount">
          <Input inputMode="decimal" style={{ width: 110 }} />
        </Form.Item>
        <Form.Item label={t('admin.maxAmount')} name="maxAmount">
          <Input inputMode="decimal" style={{ width: 110 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('admin.search')}
        </Button>
        <Button onClick={() => void exportCsv()} loading={exporting} style={{ marginLeft: 8 }}>
          {t('admin.exportCsv')}
        </Button>
      </Form>
      <Table<OrderRow>
        rowKey="orderId"
        loading={data === null}
        dataSource={data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: Math.min(data?.total ?? 0, EXPORT_LIMIT),
          showSizeChanger: false,
        }}
        onChange={(pagination, _filters, sorter) => {
          setPage(pagination.current ?? 1);
          const s = sorter as SorterResult<OrderRow>;
          const field = s.columnKey === 'actualAmount' ? 'actualAmount' : 'createdAt';
          setSort(s.order === 'ascend' ? field : `-${field}`);
        }}
        columns={[
          {
            title: t('orders.order'),
            key: 'orderNo',
            render: (_, o) => <Link to={`/admin/orders/${o.orderId}`}>{o.orderNo}</Link>,
          },
          { title: t('admin.userId'), dataIndex: 'userId' },
          {
            title: t('order.status'),
            dataIndex: 'status',
            render: (s: OrderRow['status']) => <OrderStatus status={s} />,
          },
          {
            title: t('order.amount'),
            key: 'actualAmount',
            dataIndex: 'actualAmount',
            sorter: true,
            render: (a: string) => `¥${a}`,
          },
          {
            title: t('order.placed'),
            key: 'createdAt',
            dataIndex: 'createdAt',
            sorter: true,
            defaultSortOrder: 'descend',
            render: (v: string) => new Date(v).toLocaleString(),
          },
        ]}
      />
    </Space>
  );
}
