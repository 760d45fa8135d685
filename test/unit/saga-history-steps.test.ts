import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { sagaHistorySteps } from '../../lib/trace/saga-history-steps';

function recorded(file: string) {
  const json = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'histories', file), 'utf8')) as object;
  return temporal.api.history.v1.History.fromObject(json).events ?? [];
}

describe('the steps of a saga history that doos trace prints', () => {
  it('a completed saga: started by the API, its local activities, each update, and how it closed', () => {
    const steps = sagaHistorySteps(recorded('order-saga-completed.json'));
    assert.deepEqual(
      steps.map((s) => `${s.process} ${s.step}`),
      [
        'api saga started',
        'order-worker created accepted',
        'order-worker reserveStock done',
        'order-worker createOrder done',
        'order-worker created done',
        'order-worker pay accepted',
        'order-worker applyTransition done',
        'order-worker pay done',
        'order-worker ship accepted',
        'order-worker applyTransition done',
        'order-worker ship done',
        'order-worker complete accepted',
        'order-worker applyTransition done',
        'order-worker complete done',
        'order-worker saga completed',
      ],
    );
    assert.ok(steps.every((s) => !Number.isNaN(Date.parse(s.at))));
    assert.match(steps[2]!.detail ?? '', /local activity, attempt 1/);
  });

  it('a saga cancelled from the CLI: the cancel request is the operator’s, compensations are remote activities', () => {
    const steps = sagaHistorySteps(recorded('order-saga-workflow-cancel.json'));
    const names = steps.map((s) => `${s.process} ${s.step}`);
    assert.ok(names.includes('operator cancel requested'), names.join('\n'));
    assert.ok(
      names.some((n) => /^order-worker (releaseStock|applyTransition) done$/.test(n)),
      names.join('\n'),
    );
    assert.equal(names.at(-1)?.startsWith('order-worker saga'), true, names.join('\n'));
  });
});
