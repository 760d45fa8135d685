/**
 * The shape of a workflow's contract: its type name, task queue and id, with the workflow's function type carried
 * along so that starting it, signalling it or reading its result is typed without importing its implementation.
 * Sandbox-safe (type imports only): the contract files in workflows/ build on it.
 */
import type { Workflow } from '@temporalio/common';
import type { Config } from '../config';

/** A task queue by its key in config.temporal.taskQueues (the queue's name is configuration). */
export type TaskQueueRole = keyof Config['temporal']['taskQueues'];

export interface WorkflowContract<W extends Workflow, Key> {
  /** The registered name: the implementation's exported function has this name (a unit test checks it). */
  readonly workflowType: string;
  readonly taskQueue: TaskQueueRole;
  /** The business id of one execution, e.g. `order:<orderId>`. */
  workflowId(key: Key): string;
  /** Never set: carries the workflow's function type for typed starts and handles. */
  readonly workflow?: W;
}

export function defineWorkflow<W extends Workflow, Key>(contract: {
  workflowType: string;
  taskQueue: TaskQueueRole;
  workflowId(key: Key): string;
}): WorkflowContract<W, Key> {
  return contract;
}

/** The configured name of a contract's task queue. */
export function taskQueueOf(
  contract: WorkflowContract<Workflow, never>,
  queues: Config['temporal']['taskQueues'],
): string {
  return queues[contract.taskQueue];
}
