/**
 * Whether orders' sagas still run, from Temporal's visibility: one list query per hundred orders
 * (`WorkflowId IN (…)`), not one describe per order. Visibility trails the server by moments, so a saga that just
 * closed may still read as running — the next reconcile run sees it closed.
 */
import type { Client } from '@temporalio/client';
import { orderSagaWorkflow } from '../../workflows/order-saga-definitions';

/** running; closed (completed, failed, cancelled, terminated, timed out); missing (never started, or its history expired). */
export type SagaState = 'running' | 'closed' | 'missing';

export interface SagaStates {
  /** The state of each order's saga by order id; an order absent from the map has no saga (missing). */
  of(orderIds: readonly (bigint | string)[]): Promise<Map<string, Exclude<SagaState, 'missing'>>>;
}

const PAGE = 100;

export function temporalSagaStates(client: Client): SagaStates {
  return {
    async of(orderIds) {
      const states = new Map<string, Exclude<SagaState, 'missing'>>();
      for (let i = 0; i < orderIds.length; i += PAGE) {
        const ids = orderIds.slice(i, i + PAGE).map((id) => `'${orderSagaWorkflow.workflowId(id)}'`);
        const query = `WorkflowType = '${orderSagaWorkflow.workflowType}' AND WorkflowId IN (${ids.join(', ')})`;
        for await (const w of client.workflow.list({ query })) {
          const orderId = w.workflowId.slice('order:'.length);
          // A running execution wins over an older closed one of the same id.
          if (states.get(orderId) === 'running') continue;
          states.set(orderId, w.status.name === 'RUNNING' ? 'running' : 'closed');
        }
      }
      return states;
    },
  };
}
