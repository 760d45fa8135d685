/** The read-mostly panels: reconciler findings (and a run), delivered alerts, and the audit log of staff acts. */
import { useState } from 'react';
import { Alert, App, Badge, Button, Table, Tag } from 'antd';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useT } from '../../i18n/language';
import { useApiData } from './use-api-data';

interface Finding {
  kind: string;
  shard: number | null;
  orderId: string | null;
  subject: string;
  detail: string;
  repair: string;
}

export function ReconcilerPanel() {
  const t = useT();
  const { message } = App.useApp();
  const findings = useApiData<{ findings: Finding[] }>('/v1/admin/reconcile', 30_000);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      const r = await api<{ result: { found: number; repaired: number; failed: number } }>(
        'POST',
        '/v1/admin/reconcile',
        {},
      );
      message.success(t('ops.reconciled', r.result));
      await findings.reload();
    } catch (err) {
      setError(describeError(err, t, 'ops'));
    } finally {
      setRunning(false);
    }
  };
  return (
    <>
      <Button type="primary" loading={running} onClick={() => void run()} style={{ marginBottom: 16 }}>
        {t('ops.runReconciler')}
      </Button>
      {(error ?? findings.error) && <Alert type="error" title={error ?? findings.error} showIcon role="alert" />}
      <Table<Finding>
        rowKey={(f) => `${f.kind}:${f.subject}`}
        size="small"
        scroll={{ x: true }}
        dataSource={findings.data?.findings ?? []}
        columns={[
          { title: t('ops.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{k}</Tag> },
          { title: t('ops.shard'), dataIndex: 'shard' },
          { title: t('ops.order'), dataIndex: 'orderId' },
          { title: t('ops.detail'), dataIndex: 'detail' },
          { title: t('ops.repair'), dataIndex: 'repair' },
        ]}
      />
    </>
  );
}

interface AlertRow {
  alertname: string;
  severity: string;
  status: 'firing' | 'resolved';
  summary: string;
  startsAt: string;
  endsAt: string | null;
  notifications: number;
}

export function AlertsPanel() {
  const t = useT();
  const alerts = useApiData<{ items: AlertRow[] }>('/v1/admin/alerts?limit=100', 10_000);
  return (
    <>
      {alerts.error && <Alert type="error" title={alerts.error} showIcon role="alert" />}
      <Table<AlertRow>
        rowKey={(a) => `${a.alertname}:${a.startsAt}`}
        size="small"
        scroll={{ x: true }}
        dataSource={alerts.data?.items ?? []}
        columns={[
          {
            title: t('ops.state'),
            dataIndex: 'status',
            render: (s: AlertRow['status']) => <Badge status={s === 'firing' ? 'error' : 'success'} text={s} />,
          },
          { title: t('ops.alert'), dataIndex: 'alertname' },
          { title: t('ops.severity'), dataIndex: 'severity' },
          { title: t('ops.detail'), dataIndex: 'summary' },
          { title: t('ops.since'), dataIndex: 'startsAt', render: (at: string) => new Date(at).toLocaleString() },
          {
            title: t('ops.until'),
            dataIndex: 'endsAt',
            render: (at: string | null) => (at ? new Date(at).toLocaleString() : '—'),
          },
        ]}
      />
    </>
  );
}

interface AuditEntry {
  id: string;
  at: string;
  actor: { username: string; role: string };
  action: string;
  target: string;
  outcome: number;
}

export function AuditPanel() {
  const t = useT();
  const [page, setPage] = useState(1);
  const audit = useApiData<{ items: AuditEntry[]; total: number }>(`/v1/admin/audit?page=${page}&pageSize=50`, 15_000);
  return (
    <>
      {audit.error && <Alert type="error" title={audit.error} showIcon role="alert" />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        dataSource={audit.data?.items ?? []}
        pagination={{ current: page, pageSize: 50, total: audit.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('ops.when'), dataIndex: 'at', render: (at: string) => new Date(at).toLocaleString() },
          { title: t('ops.who'), render: (_, e) => `${e.actor.username} (${e.actor.role})` },
          { title: t('ops.action'), dataIndex: 'action' },
          { title: t('ops.target'), dataIndex: 'target' },
          { title: t('ops.outcome'), dataIndex: 'outcome' },
        ]}
      />
    </>
  );
}
