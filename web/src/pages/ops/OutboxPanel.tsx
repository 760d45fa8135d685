/** Outbox rows of every shard by status (failed first), each with its retries and last error; retry one or all. */
import { useState } from 'react';
import { Alert, App, Badge, Button, Select, Space, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useT } from '../../i18n/language';
import { useApiData } from './use-api-data';

interface OutboxMessage {
  messageId: string;
  shard: number;
  orderId: string;
  eventType: string;
  status: 'PENDING' | 'SENT' | 'CONFIRMED' | 'FAILED';
  retryCount: number;
  maxRetry: number;
  errorMsg: string | null;
  createdAt: string;
}

const STATUS_BADGE: Record<OutboxMessage['status'], 'warning' | 'success' | 'error'> = {
  PENDING: 'warning',
  SENT: 'success',
  CONFIRMED: 'success',
  FAILED: 'error',
};

export function OutboxPanel() {
  const t = useT();
  const { message } = App.useApp();
  const [status, setStatus] = useState<OutboxMessage['status']>('FAILED');
  const rows = useApiData<{ items: OutboxMessage[] }>(`/v1/admin/outbox?status=${status}&limit=200`, 5000);
  const [error, setError] = useState<string | null>(null);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await what();
      message.success(done);
      await rows.reload();
    } catch (err) {
      setError(describeError(err, t, 'ops'));
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<OutboxMessage['status']>
          aria-label={t('ops.outboxStatus')}
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={(['FAILED', 'PENDING', 'SENT'] as const).map((s) => ({ value: s, label: s }))}
        />
        <Button
          onClick={() => void act(() => api('POST', '/v1/admin/outbox/retry-failed', {}), t('ops.retriedAll'))}
          disabled={status !== 'FAILED' || (rows.data?.items.length ?? 0) === 0}
        >
          {t('ops.retryAllFailed')}
        </Button>
      </Space>
      {(error ?? rows.error) && <Alert type="error" title={error ?? rows.error} showIcon role="alert" />}
      <Table<OutboxMessage>
        rowKey="messageId"
        size="small"
        scroll={{ x: true }}
        dataSource={rows.data?.items ?? []}
        loading={rows.data === null && !rows.error}
        columns={[
          {
            title: t('ops.message'),
            dataIndex: 'messageId',
            render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
          },
          { title: t('ops.shard'), dataIndex: 'shard' },
          {
            title: t('ops.order'),
            dataIndex: 'orderId',
            render: (id: string) => <Link to={`/admin/orders/${id}`}>{id}</Link>,
          },
          { title: t('ops.event'), dataIndex: 'eventType' },
          {
            title: t('ops.state'),
            dataIndex: 'status',
            render: (s: OutboxMessage['status']) => (
              <Badge status={STATUS_BADGE[s]} text={s} data-testid="outbox-status" />
            ),
          },
          { title: t('ops.retries'), render: (_, r) => `${r.retryCount}/${r.maxRetry}` },
          { title: t('ops.error'), dataIndex: 'errorMsg' },
          { title: t('ops.created'), dataIndex: 'createdAt', render: (at: string) => new Date(at).toLocaleString() },
          {
            title: t('ops.actions'),
            render: (_, r) =>
              r.status === 'FAILED' || r.status === 'PENDING' ? (
                <Button
                  size="small"
                  aria-label={t('ops.retryMessage', { id: r.messageId })}
                  onClick={() =>
                    void act(() => api('POST', `/v1/admin/outbox/${r.messageId}/retry`, {}), t('ops.retried'))
                  }
                >
                  {t('ops.retry')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
