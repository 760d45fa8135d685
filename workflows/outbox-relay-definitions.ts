/**
 * The outbox relay's contract: one `outboxRelay` per shard (id `outbox-relay:shard-<n>`, task queue `outbox-relay`),
 * started by the relay worker and looked at by operators and tests. Sandbox-safe.
 */
import { defineWorkflow } from '../lib/temporal/workflow-contract';

/** Only the shard: the pacing (batch size, idle sleep, round length) is the relay worker's configuration. */
export interface OutboxRelayInput {
  shard: number;
}

/** Runs forever (continue-as-new); it never returns a result. */
export type OutboxRelayWorkflow = (input: OutboxRelayInput) => Promise<void>;

export const outboxRelayWorkflow = defineWorkflow<OutboxRelayWorkflow, number>({
  workflowType: 'outboxRelay',
  taskQueue: 'outboxRelay',
  workflowId: (shard) => `outbox-relay:shard-${shard}`,
});
