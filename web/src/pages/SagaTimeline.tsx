/** A saga's steps with their times, as the buyer's and the staff's order pages show them. */
import { Timeline, Typography } from 'antd';
import { useT } from '../i18n/language';

export interface SagaStep {
  step: string;
  outcome: 'started' | 'completed' | 'failed' | 'compensated' | 'parked';
  at: string;
  detail?: string;
}

export interface Saga {
  phase: string;
  history: SagaStep[];
  /** While the order awaits payment: when the payment timeout cancels it. */
  payBefore?: string;
}

const STEP_COLOR: Record<SagaStep['outcome'], string> = {
  started: 'blue',
  completed: 'green',
  failed: 'red',
  compensated: 'gray',
  parked: 'red',
};

export function SagaTimeline({ saga }: { saga: Saga }) {
  const t = useT();
  return (
    <>
      <Typography.Title level={3}>{t('admin.timeline')}</Typography.Title>
      <Timeline
        data-testid="saga-timeline"
        items={saga.history.map((s) => ({
          color: STEP_COLOR[s.outcome],
          content: `${new Date(s.at).toLocaleString()} · ${s.step} ${s.outcome}${s.detail ? ` — ${s.detail}` : ''}`,
        }))}
      />
    </>
  );
}
