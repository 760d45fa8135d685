/**
 * The shop's dashboard for the staff: today's sales and orders (the shop's day, in its time zone), orders by status
 * and per hour, the top 10 products, and the latest orders — kept current by the API's live stream of orders
 * (server-sent events, GET /v1/stats/orders/stream); the figures are fetched again every 15 s.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { Bar, Column } from '@ant-design/plots';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { followStream, type StreamState } from '../../api/event-stream';
import { useT, type Translate } from '../../i18n/language';
import type { MessageKey } from '../../i18n/messages';
import { ORDER_STATUSES, OrderStatus } from '../OrderStatus';
import { chartSummary, hourLabel, mergeLive, type Dashboard, type OrderSummary } from './dashboard-model';

const REFRESH_MS = 15_000;

const STREAM_BADGE: Record<StreamState, { status: 'success' | 'processing' | 'warning' | 'error'; text: MessageKey }> =
  {
    open: { status: 'success', text: 'dash.liveOpen' },
    connecting: { status: 'processing', text: 'dash.liveConnecting' },
    retrying: { status: 'warning', text: 'dash.liveRetrying' },
    refused: { status: 'error', text: 'dash.liveRefused' },
  };

/** A chart with its figures in words as its accessible name. */
function ChartCard(props: { title: string; points: { label: string; value: number }[]; children: React.ReactNode }) {
  const t = useT();
  return (
    <Card title={props.title} size="small">
      <div role="img" aria-label={t('dash.chartSummary', { title: props.title, summary: chartSummary(props.points) })}>
        {props.children}
      </div>
    </Card>
  );
}

function liveColumns(t: Translate) {
  return [
    {
      title: t('admin.orderNo'),
      dataIndex: 'orderNo',
      render: (orderNo: string, o: OrderSummary) => <Link to={`/admin/orders/${o.orderId}`}>{orderNo}</Link>,
    },
    {
      title: t('order.status'),
      dataIndex: 'status',
      render: (s: OrderSummary['status']) => <OrderStatus status={s} />,
    },
    { title: t('order.amount'), dataIndex: 'actualAmount', render: (a: string) => `¥${a}` },
    { title: t('dash.placedAt'), dataIndex: 'createdAt', render: (at: string) => new Date(at).toLocaleTimeString() },
  ];
}

export default function DashboardPage() {
  const t = useT();
  const [dash, setDash] = useState<Dashboard | null>(null);
  const [live, setLive] = useState<OrderSummary[]>([]);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [searchDown, setSearchDown] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    const load = async () => {
      try {
        const d = await api<Dashboard>('GET', '/v1/stats/dashboard');
        if (gone) return;
        setDash(d);
        setLive((current) => d.recentOrders.reduce((list, o) => mergeLive(list, o), current));
        setError(null);
      } catch (err) {
        if (!gone) setError(describeError(err, t));
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const stop = followStream(
      '/v1/stats/orders/stream',
      (e) => {
        if (e.event === 'order') setLive((list) => mergeLive(list, JSON.parse(e.data) as OrderSummary));
        else if (e.event === 'unavailable') setSearchDown(true);
        else if (e.event === 'available') setSearchDown(false);
      },
      (state) => setStream(state),
    );
    return () => {
      gone = true;
      clearInterval(timer);
      stop();
    };
  }, [t]);

  const byStatus = useMemo(
    () => ORDER_STATUSES.map((s) => ({ label: t(`status.${s}`), value: dash?.statusDistribution[s] ?? 0 })),
    [dash, t],
  );
  const perHour = useMemo(
    () => (dash?.ordersPerHour ?? []).map((h) => ({ label: hourLabel(h.hour, dash!.timeZone), value: h.orders })),
    [dash],
  );
  const top = useMemo(
    () => (dash?.topProducts ?? []).map((p) => ({ label: `${p.productName} #${p.productId}`, value: p.quantity })),
    [dash],
  );
  const badge = STREAM_BADGE[stream];

  return (
    <>
      <Typography.Title level={2}>
        {dash ? t('dash.title', { day: dash.day, timeZone: dash.timeZone }) : t('dash.nav')}
      </Typography.Title>
      {error && <Alert type="error" title={error} showIcon role="alert" style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12}>
          <Card size="small">
            <Statistic title={t('dash.sales')} prefix="¥" value={dash?.todaySales ?? '—'} />
          </Card>
        </Col>
        <Col xs={24} sm={12}>
          <Card size="small">
            <Statistic title={t('dash.orders')} value={dash?.todayOrders ?? '—'} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dash.byStatus')} points={byStatus}>
            <Column data={byStatus} xField="label" yField="value" height={240} />
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dash.perHour')} points={perHour}>
            <Column data={perHour} xField="label" yField="value" height={240} />
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dash.topProducts')} points={top}>
            <Bar data={top} xField="label" yField="value" height={280} />
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t('dash.live')}
            extra={<Badge status={badge.status} text={t(badge.text)} data-testid="live-state" />}
          >
            {searchDown && <Alert type="warning" title={t('dash.searchDown')} showIcon style={{ marginBottom: 8 }} />}
            <Table<OrderSummary>
              data-testid="live-orders"
              rowKey="orderId"
              size="small"
              pagination={{ pageSize: 10 }}
              dataSource={live}
              columns={liveColumns(t)}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
