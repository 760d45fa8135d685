/** Starts one long-running workflow per shard unless it already runs (the workers that own them call this at boot). */
import type { Client } from '@temporalio/client';

export async function startPerShardWorkflows(
  client: Client,
  options: { workflowType: string; taskQueue: string; shards: number; workflowIdOf: (shard: number) => string },
): Promise<void> {
  for (let shard = 0; shard < options.shards; shard++) {
    await client.workflow.start(options.workflowType, {
      workflowId: options.workflowIdOf(shard),
      taskQueue: options.taskQueue,
      args: [{ shard }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}
