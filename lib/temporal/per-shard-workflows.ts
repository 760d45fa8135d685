/** Starts one long-running workflow per shard unless it already runs (the workers that own them call this at boot). */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { WorkflowContract } from './workflow-contract';
import { startWorkflow } from './workflows';

/** A workflow that runs once per shard, keyed by the shard's number. */
export type PerShardWorkflow = WorkflowContract<(input: { shard: number }) => Promise<void>, number>;

export async function startPerShardWorkflows(
  client: Client,
  config: Pick<Config, 'temporal' | 'shards'>,
  contract: PerShardWorkflow,
): Promise<void> {
  for (let shard = 0; shard < config.shards.count; shard++) {
    await startWorkflow(client, config.temporal.taskQueues, contract, shard, {
      args: [{ shard }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}
