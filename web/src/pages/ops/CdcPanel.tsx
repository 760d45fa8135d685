/** CDC per shard: checkpoint, binlog end, dead letters; a backfill started from here with its progress bar. */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Progress, Row } from 'antd';
import { api } from '../../api/client';
import { ApiError, describeError } from '../../api/errors';
import { useT } from '../../i18n/language';
import { backfillPercent } from './ops-format';
import { useApiData } from './use-api-data';

interface CdcShard {
  shard: number;
  checkpoint: string | null;
  checkpointSavedAt: string | null;
  binlogEnd: string;
  deadLetters: number;
}

interface Backfill {
  phase: 'snapshot' | 'handover' | 'done' | 'failed';
  total: number;
  done: number;
  indexed: number;
  stale: number;
  deadLettered: number;
  error?: string;
  /** When this run started (absent until the API answered for a just-started one). */
  startedAt?: string;
}

/** One shard: its state, its latest backfill followed every second while it runs. */
function ShardCard({ shard, onChange }: { shard: CdcShard; onChange: () => void }) {
  const t = useT();
  const [backfill, setBackfill] = useState<Backfill | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = backfill !== null && (backfill.phase === 'snapshot' || backfill.phase === 'handover');

  useEffect(() => {
    let gone = false;
    const follow = async () => {
      try {
        const p = await api<Backfill>('GET', `/v1/admin/cdc/backfill/${shard.shard}`);
        if (!gone) setBackfill(p);
      } catch (err) {
        if (!gone && !(err instanceof ApiError && err.status === 404)) setError(describeError(err, t, 'ops'));
      }
    };
    void follow();
    if (!running) {
      return () => {
        gone = true;
      };
    }
    const timer = setInterval(() => void follow(), 1000);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, [shard.shard, running, t]);

  const start = async () => {
    setError(null);
    try {
      const started = await api<{ progress: Backfill | null }>('POST', '/v1/admin/cdc/backfill', {
        shard: shard.shard,
      });
      setBackfill(started.progress ?? { phase: 'snapshot', total: 0, done: 0, indexed: 0, stale: 0, deadLettered: 0 });
      onChange();
    } catch (err) {
      setError(describeError(err, t, 'ops'));
    }
  };

  return (
    <Card size="small" title={t('ops.shardN', { shard: shard.shard })} data-testid={`cdc-shard-${shard.shard}`}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('ops.checkpoint')}>{shard.checkpoint ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('ops.savedAt')}>
          {shard.checkpointSavedAt ? new Date(shard.checkpointSavedAt).toLocaleString() : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('ops.binlogEnd')}>{shard.binlogEnd}</Descriptions.Item>
        <Descriptions.Item label={t('ops.deadLetters')}>{shard.deadLetters}</Descriptions.Item>
      </Descriptions>
      {error && <Alert type="error" title={error} showIcon role="alert" />}
      {backfill && (
        <div data-testid="backfill" data-phase={backfill.phase} data-started-at={backfill.startedAt}>
          <Progress
            percent={backfillPercent(backfill)}
            status={backfill.phase === 'failed' ? 'exception' : running ? 'active' : 'success'}
            aria-label={t('ops.backfillOf', { shard: shard.shard })}
          />
          {t('ops.backfillFigures', {
            phase: backfill.phase,
            done: backfill.done,
            total: backfill.total,
            indexed: backfill.indexed,
            stale: backfill.stale,
            deadLettered: backfill.deadLettered,
          })}
          {backfill.startedAt && (
            <div>{t('ops.backfillStarted', { at: new Date(backfill.startedAt).toLocaleString() })}</div>
          )}
          {backfill.error && <Alert type="error" title={backfill.error} showIcon />}
        </div>
      )}
      <Button style={{ marginTop: 8 }} onClick={() => void start()} loading={running}>
        {t('ops.backfill')}
      </Button>
    </Card>
  );
}

export function CdcPanel() {
  const status = useApiData<{ shards: CdcShard[] }>('/v1/admin/cdc', 5000);
  return (
    <>
      {status.error && <Alert type="error" title={status.error} showIcon role="alert" />}
      <Row gutter={[16, 16]}>
        {(status.data?.shards ?? []).map((s) => (
          <Col key={s.shard} xs={24} md={12}>
            <ShardCard shard={s} onChange={() => void status.reload()} />
          </Col>
        ))}
      </Row>
    </>
  );
}
