/** Health: /ready per dependency, and the figures an operator watches (from Prometheus, via the API). */
import { useEffect, useState } from 'react';
import { Alert, Badge, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { useT } from '../../i18n/language';
import type { MessageKey } from '../../i18n/messages';
import { formatFigure, type Figure } from './ops-format';
import { useApiData } from './use-api-data';

interface Readiness {
  ready: boolean;
  degraded: string[];
  dependencies: { name: string; ok: boolean; required: boolean; latencyMs: number; error?: string }[];
}

/** GET /ready every 5 s: its body is the report whether it answers 200 or 503 (a required dependency down). */
function useReadiness(): { data: Readiness | null; error: string | null } {
  const [state, setState] = useState<{ data: Readiness | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    const load = () =>
      fetch('/ready')
        .then((r) => r.json() as Promise<Readiness>)
        .then(
          (data) => setState({ data, error: null }),
          (err: unknown) => setState((s) => ({ data: s.data, error: String(err) })),
        );
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, []);
  return state;
}

export function HealthPanel() {
  const t = useT();
  const ready = useReadiness();
  const figures = useApiData<{ prometheusUrl: string; figures: Figure[] }>('/v1/admin/figures', 10_000);
  return (
    <>
      <Typography.Title level={3}>{t('ops.figures')}</Typography.Title>
      {figures.error && <Alert type="warning" title={figures.error} showIcon />}
      <Row gutter={[16, 16]}>
        {(figures.data?.figures ?? []).map((f) => (
          <Col key={f.name} xs={24} sm={12} lg={8}>
            <Card size="small">
              <Statistic title={t(`ops.figure.${f.name}` as MessageKey)} value={formatFigure(f)} />
              <Typography.Link
                href={`${figures.data!.prometheusUrl}/graph?g0.expr=${encodeURIComponent(f.query)}`}
                target="_blank"
              >
                {t('ops.inPrometheus')}
              </Typography.Link>
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Title level={3}>{t('ops.dependencies')}</Typography.Title>
      {ready.error && !ready.data && <Alert type="error" title={ready.error} showIcon />}
      <Table
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={ready.data?.dependencies ?? []}
        columns={[
          { title: t('ops.dependency'), dataIndex: 'name' },
          {
            title: t('ops.state'),
            render: (_, d) => (
              <Badge
                status={d.ok ? 'success' : d.required ? 'error' : 'warning'}
                text={t(d.ok ? 'ops.up' : 'ops.down')}
              />
            ),
          },
          { title: t('ops.required'), render: (_, d) => t(d.required ? 'ops.yes' : 'ops.no') },
          { title: t('ops.latency'), dataIndex: 'latencyMs', render: (ms: number) => `${ms} ms` },
          { title: t('ops.error'), dataIndex: 'error' },
        ]}
      />
    </>
  );
}
