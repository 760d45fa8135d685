import assert from 'node:assert/strict';
import { cdcWorker, orderWorker, relayWorker } from '../../workers/worker-definitions';
import { cdcBackfill } from '../../workflows/cdc-backfill';
import { cdcBackfillWorkflow, type CdcBackfillWorkflow } from '../../workflows/cdc-backfill-definitions';
import { cdcIndexer } from '../../workflows/cdc-indexer';
import { cdcIndexerWorkflow, type CdcIndexerWorkflow } from '../../workflows/cdc-indexer-definitions';
import { orderSaga } from '../../workflows/order-saga';
import { orderSagaWorkflow, type OrderSagaWorkflow } from '../../workflows/order-saga-definitions';
import { outboxRelay } from '../../workflows/outbox-relay';
import { outboxRelayWorkflow, type OutboxRelayWorkflow } from '../../workflows/outbox-relay-definitions';
import { reconcile } from '../../workflows/reconcile';
import { reconcileWorkflow, type ReconcileWorkflow } from '../../workflows/reconcile-definitions';

// Compile-time: each implementation has its contract's function type (a changed input or result fails `make test`).
const implementations: [
  OrderSagaWorkflow,
  OutboxRelayWorkflow,
  CdcIndexerWorkflow,
  CdcBackfillWorkflow,
  ReconcileWorkflow,
] = [orderSaga, outboxRelay, cdcIndexer, cdcBackfill, reconcile];

describe('workflow contracts and the workers that run them', () => {
  const workers = [orderWorker, relayWorker, cdcWorker];

  it('each worker bundle exports exactly its contracts’ workflows, under their workflow types', () => {
    for (const worker of workers) {
      // The bundle is a resolved module path, loaded the way Temporal's bundler reads it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundle = require(worker.workflowsPath) as Record<string, unknown>;
      assert.deepEqual(
        Object.keys(bundle).sort(),
        worker.workflows.map((c) => c.workflowType).sort(),
        `${worker.name}: ${worker.workflowsPath}`,
      );
      for (const contract of worker.workflows) {
        const fn = bundle[contract.workflowType] as { name?: string } | undefined;
        assert.equal(typeof fn, 'function', `${worker.name} exports ${contract.workflowType}`);
        assert.equal(fn?.name, contract.workflowType, 'the registered name is the function name');
        assert.equal(contract.taskQueue, worker.taskQueue, `${contract.workflowType} runs on ${worker.name}'s queue`);
      }
    }
  });

  it('every workflow is run by exactly one worker, and the per-shard ones by the worker that keeps them running', () => {
    const served = workers.flatMap((w) => w.workflows.map((c) => c.workflowType));
    assert.deepEqual(served.sort(), implementations.map((f) => f.name).sort());
    for (const worker of workers) {
      for (const contract of worker.perShard ?? []) assert.ok(worker.workflows.includes(contract));
    }
  });

  it('workflow ids are the documented business ids', () => {
    assert.equal(orderSagaWorkflow.workflowId(123n), 'order:123');
    assert.equal(orderSagaWorkflow.workflowId('123'), 'order:123');
    assert.equal(outboxRelayWorkflow.workflowId(1), 'outbox-relay:shard-1');
    assert.equal(cdcIndexerWorkflow.workflowId(0), 'cdc:shard-0');
    assert.equal(cdcBackfillWorkflow.workflowId(1), 'cdc-backfill:shard-1');
    assert.equal(reconcileWorkflow.workflowId('manual-1'), 'reconcile:manual-1');
  });
});
