/** Activities that report on the saga itself, so a parked compensation shows up in Prometheus, not only in Temporal. */
import { Counter, type Registry } from 'prom-client';
import type { Log } from '../lib/log/logger';

export interface CompensationParkedInput {
  orderId: string;
  step: string;
  error: string;
}

export function createSagaActivities(deps: { registry: Registry; log: Log }) {
  const parked = new Counter({
    name: 'saga_compensation_parked_total',
    help: 'Compensations that kept failing and now wait for an operator (retryCompensation signal)',
    labelNames: ['step'] as const,
    registers: [deps.registry],
  });

  function recordCompensationParked(input: CompensationParkedInput): Promise<void> {
    parked.inc({ step: input.step });
    deps.log('error', 'saga compensation parked', { ...input });
    return Promise.resolve();
  }

  return { recordCompensationParked };
}

export type SagaActivities = ReturnType<typeof createSagaActivities>;
