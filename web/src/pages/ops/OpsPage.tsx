/**
 * The ops console (roles ops and admin): health and the figures an operator watches, stuck sagas, the outbox, CDC
 * with backfills, the reconciler, delivered alerts and the audit log — one tab each, the tab in the URL (?tab=…).
 */
import { Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useT } from '../../i18n/language';
import type { MessageKey } from '../../i18n/messages';
import { CdcPanel } from './CdcPanel';
import { HealthPanel } from './HealthPanel';
import { OutboxPanel } from './OutboxPanel';
import { AlertsPanel, AuditPanel, ReconcilerPanel } from './RecordsPanels';
import { SagasPanel } from './SagasPanel';

const TABS: { key: string; label: MessageKey; panel: () => React.ReactNode }[] = [
  { key: 'health', label: 'ops.tab.health', panel: () => <HealthPanel /> },
  { key: 'sagas', label: 'ops.tab.sagas', panel: () => <SagasPanel /> },
  { key: 'outbox', label: 'ops.tab.outbox', panel: () => <OutboxPanel /> },
  { key: 'cdc', label: 'ops.tab.cdc', panel: () => <CdcPanel /> },
  { key: 'reconciler', label: 'ops.tab.reconciler', panel: () => <ReconcilerPanel /> },
  { key: 'alerts', label: 'ops.tab.alerts', panel: () => <AlertsPanel /> },
  { key: 'audit', label: 'ops.tab.audit', panel: () => <AuditPanel /> },
];

export default function OpsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const active = TABS.some((tab) => tab.key === params.get('tab')) ? params.get('tab')! : 'health';
  return (
    <>
      <Typography.Title level={2}>{t('ops.title')}</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key })}
        destroyOnHidden
        items={TABS.map((tab) => ({ key: tab.key, label: t(tab.label), children: tab.panel() }))}
      />
    </>
  );
}
