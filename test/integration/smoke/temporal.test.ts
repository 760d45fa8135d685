import { temporalDataConverter } from '../../../lib/privacy/payload-codec';
import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { testConfig, uniqueName } from '../../support/config';
import { createTemporalClient, createWorkerConnection } from '../../../lib/temporal/connection';
import { OrderStatusKey, UserIdKey, ShardKey } from '../../../lib/temporal/search-attributes';
import * as activities from '../../fixtures/smoke-activities';
import { smokeWorkflow } from '../../fixtures/smoke-workflows';

describe('smoke: Temporal server', () => {
  const config = testConfig();
  let client: Client;
  let connection: NativeConnection;

  before(async () => {
    client = await createTemporalClient(config);
    connection = await createWorkerConnection(config);
  });

  after(async () => {
    await connection?.close();
    await client?.connection.close();
  });

  it('a real worker runs a workflow and its activity; the search attributes are stored and queryable', async () => {
    const taskQueue = uniqueName('smoke');
    const userId = uniqueName('u');
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: temporalDataConverter(config),
      taskQueue,
      workflowsPath: require.resolve('../../fixtures/smoke-workflows'),
      activities,
    });
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(smokeWorkflow, {
        taskQueue,
        workflowId: uniqueName('smoke-wf'),
        args: [{ name: 'doos' }],
        typedSearchAttributes: [
          { key: OrderStatusKey, value: 'SMOKE_STARTED' },
          { key: UserIdKey, value: userId },
          { key: ShardKey, value: 1 },
        ],
      });
      assert.equal(await handle.result(), 'hello doos from attempt 1');
      const description = await handle.describe();
      assert.equal(description.status.name, 'COMPLETED');
      assert.equal(description.typedSearchAttributes.get(OrderStatusKey), 'SMOKE_DONE');
      assert.equal(description.typedSearchAttributes.get(ShardKey), 1);

      // Visibility is eventually consistent: poll the list query an operator would type in the Web UI.
      const query = `UserId = "${userId}" AND OrderStatus = "SMOKE_DONE"`;
      let ids: string[] = [];
      for (let i = 0; i < 40 && ids.length === 0; i++) {
        ids = [];
        for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
        if (ids.length === 0) await new Promise((r) => setTimeout(r, 250));
      }
      assert.deepEqual(ids, [handle.workflowId]);
    });
  });
});
