import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { cdcWorker, orderWorker, relayWorker } from '../../workers/worker-definitions';

type History = temporal.api.history.v1.History;

const DIR = path.resolve(__dirname, '..', 'histories');

function load(file: string): History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as object);
}

function workflowTypeOf(history: History): string {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';
}

/** The bundle a worker runs each workflow type from. */
const bundleOf = new Map(
  [orderWorker, relayWorker, cdcWorker].flatMap((w) => w.workflows.map((c) => [c.workflowType, w.workflowsPath])),
);

/**
 * Replay safety: every recorded history (test/histories, made by test/histories/record.ts — one per workflow type,
 * each way a saga ends, a continue-as-new of the forever-workflows, and a saga of the code before a patched change)
 * replays against the current workflow code without a determinism error.
 */
describe('recorded workflow histories replay against the current code (Worker.runReplayHistories)', function () {
  this.timeout(120_000);
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has a history of every workflow type the workers run, including a continue-as-new', () => {
    const types = new Set(files.map((f) => workflowTypeOf(load(f))));
    assert.deepEqual([...types].sort(), [...bundleOf.keys()].sort());
    const continued = files.filter((f) => {
      const events = load(f).events ?? [];
      return events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes != null;
    });
    assert.ok(continued.length >= 1, 'a history that continues as new');
  });

  for (const bundle of new Set(bundleOf.values())) {
    const mine = () => files.filter((f) => bundleOf.get(workflowTypeOf(load(f))) === bundle);
    it(`replays the histories of ${path.basename(bundle)}`, async () => {
      const histories = mine().map((f) => ({ workflowId: f, history: load(f) }));
      assert.ok(histories.length > 0);
      const failures: string[] = [];
      for await (const result of Worker.runReplayHistories({ workflowsPath: bundle }, histories)) {
        if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
      }
      assert.deepEqual(failures, []);
    });
  }

  it('a history whose commands the code no longer issues fails the replay (what a change without patched() does)', async () => {
    const history = load('reconcile-applied.json');
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes);
    scheduled!.activityTaskScheduledEventAttributes!.activityType!.name = 'reconcileSomethingElse';
    await assert.rejects(
      Worker.runReplayHistory({ workflowsPath: bundleOf.get('reconcile')! }, history),
      DeterminismViolationError,
    );
  });
});
