/**
 * outboxRelay: one per shard, forever (contract in outbox-relay-definitions.ts). Each round is one long activity that
 * relays the shard for a minute with sub-second idle polling and heartbeats; the workflow only starts the next round,
 * and continues as new before its history grows large.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { OutboxActivities } from '../activities/outbox-activities';
import type { OutboxRelayInput, OutboxRelayWorkflow } from './outbox-relay-definitions';

/** Rounds per run before continue-as-new: ~10 history events a round keeps a run far below the history limits. */
export const ROUNDS_PER_RUN = 200;

const { relayShard } = proxyActivities<OutboxActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function outboxRelay(input: OutboxRelayInput): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    await relayShard({ shard: input.shard });
  }
  await continueAsNew<OutboxRelayWorkflow>({ shard: input.shard });
}
