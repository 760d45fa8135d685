import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createOutboxActivities,
  type RelayShardInput,
  type RelayShardResult,
} from '../../activities/outbox-activities';
import type { SqlPool } from '../../lib/db/sql-pool';

describe('relayShard lanes when the shard fails', () => {
  it('fails the activity and leaves no lane relaying after it (the shard throws on every statement)', async () => {
    let statements = 0;
    const broken = (): Promise<never> => {
      statements++;
      return Promise.reject(new Error('connect ECONNREFUSED'));
    };
    const shard = { rows: broken, write: broken, transaction: broken, close: () => Promise.resolve() } as SqlPool;
    const relay = createOutboxActivities({
      shards: [shard],
      producer: {
        send: () => Promise.reject(new Error('unused')),
        sendBatch: () => Promise.reject(new Error('unused')),
      },
      deadLetterTopic: 'dlq',
      pacing: { batchSize: 10, idleSleepMs: 10, runForMs: 5000, lanes: 3 },
    });
    const started = Date.now();
    await assert.rejects(
      new MockActivityEnvironment().run<[RelayShardInput], RelayShardResult, typeof relay.relayShard>(
        relay.relayShard,
        { shard: 0 },
      ),
      /ECONNREFUSED/,
    );
    assert.ok(Date.now() - started < 1000, 'failed at once, not at the end of the run');
    const after = statements;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(statements, after, 'no lane went on after the activity failed');
  });
});
