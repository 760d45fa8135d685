/** Order sagas, the stuck ones first: why each is stuck, its attempt and last error; repair or cancel it. */
import { useState } from 'react';
import { Alert, App, Button, Input, Modal, Space, Switch, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { useT } from '../../i18n/language';
import { formatAge } from './ops-format';
import { useApiData } from './use-api-data';

interface Saga {
  orderId: string;
  workflowId: string;
  phase: string | null;
  stuck: string | null;
  ageSeconds: number;
  attempt: number | null;
  lastError: string | null;
  webUiUrl: string;
  closedAt: string | null;
}

export function SagasPanel() {
  const t = useT();
  const { message } = App.useApp();
  const [stuckOnly, setStuckOnly] = useState(true);
  const sagas = useApiData<{ items: Saga[] }>(`/v1/admin/sagas?stuck=${stuckOnly}&limit=100`, 10_000);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<Saga | null>(null);
  const [reason, setReason] = useState('');

  const act = async (path: string, body: object, done: string) => {
    setError(null);
    try {
      const r = await api<{ action: string }>('POST', path, body);
      message.success(`${done}: ${r.action}`);
      await sagas.reload();
    } catch (err) {
      setError(describeError(err, t, 'ops'));
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Switch checked={stuckOnly} onChange={setStuckOnly} aria-label={t('ops.stuckOnly')} />
        {t('ops.stuckOnly')}
      </Space>
      {(error ?? sagas.error) && <Alert type="error" title={error ?? sagas.error} showIcon role="alert" />}
      <Table<Saga>
        rowKey="workflowId"
        size="small"
        scroll={{ x: true }}
        dataSource={sagas.data?.items ?? []}
        loading={sagas.data === null && !sagas.error}
        columns={[
          {
            title: t('ops.order'),
            dataIndex: 'orderId',
            render: (id: string) => <Link to={`/admin/orders/${id}`}>{id}</Link>,
          },
          { title: t('ops.phase'), dataIndex: 'phase' },
          { title: t('ops.stuck'), dataIndex: 'stuck', render: (k: string | null) => k ?? '—' },
          { title: t('ops.age'), dataIndex: 'ageSeconds', render: formatAge },
          { title: t('ops.attempt'), dataIndex: 'attempt', render: (a: number | null) => a ?? '—' },
          {
            title: t('ops.error'),
            dataIndex: 'lastError',
            render: (e: string | null) => <Typography.Text ellipsis>{e}</Typography.Text>,
          },
          {
            title: t('ops.actions'),
            render: (_, s) => (
              <Space>
                <Typography.Link href={s.webUiUrl} target="_blank">
                  {t('ops.webUi')}
                </Typography.Link>
                {s.stuck && (
                  <Button
                    size="small"
                    onClick={() => void act(`/v1/admin/sagas/${s.orderId}/retry`, {}, t('ops.repaired'))}
                  >
                    {t('ops.retry')}
                  </Button>
                )}
                {!s.closedAt && (
                  <Button size="small" danger onClick={() => setCancelling(s)}>
                    {t('ops.cancel')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={cancelling !== null}
        title={t('ops.cancelTitle', { orderId: cancelling?.orderId ?? '' })}
        okText={t('ops.cancel')}
        okButtonProps={{ danger: true, disabled: reason.trim() === '' }}
        onCancel={() => setCancelling(null)}
        onOk={() => {
          const s = cancelling!;
          setCancelling(null);
          void act(`/v1/admin/sagas/${s.orderId}/cancel`, { reason: reason.trim() }, t('ops.cancelled'));
          setReason('');
        }}
      >
        <p>{t('ops.cancelExplain')}</p>
        <Input.TextArea
          aria-label={t('ops.reason')}
          placeholder={t('ops.reason')}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
