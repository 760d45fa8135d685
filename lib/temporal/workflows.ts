/**
 * Typed access to DOOS workflows from outside the sandbox (API, workers, CLI, tests, bench): start one, attach to it,
 * or build its update-with-start operation — always through its contract, never by a bare type string.
 */
import {
  WithStartWorkflowOperation,
  type Client,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow, WorkflowIdConflictPolicy } from '@temporalio/common';
import type { Config } from '../config';
import type { WorkflowContract } from './workflow-contract';

/** What a start needs besides the contract: the args and policies (id and task queue come from the contract). */
export type StartOptions<W extends Workflow> = Omit<WorkflowStartOptions<W>, 'workflowId' | 'taskQueue'>;

function identity<W extends Workflow, Key>(
  contract: WorkflowContract<W, Key>,
  key: Key,
  queues: Config['temporal']['taskQueues'],
): { workflowId: string; taskQueue: string } {
  return { workflowId: contract.workflowId(key), taskQueue: queues[contract.taskQueue] };
}

export function startWorkflow<W extends Workflow, Key>(
  client: Client,
  queues: Config['temporal']['taskQueues'],
  contract: WorkflowContract<W, Key>,
  key: Key,
  options: StartOptions<W>,
): Promise<WorkflowHandle<W>> {
  return client.workflow.start<W>(contract.workflowType, {
    ...options,
    ...identity(contract, key, queues),
  } as WorkflowStartOptions<W>);
}

/** The start half of an update-with-start (which must say what happens when the workflow already runs). */
export function startOperation<W extends Workflow, Key>(
  queues: Config['temporal']['taskQueues'],
  contract: WorkflowContract<W, Key>,
  key: Key,
  options: StartOptions<W> & { workflowIdConflictPolicy: WorkflowIdConflictPolicy },
): WithStartWorkflowOperation<W> {
  type OperationOptions = ConstructorParameters<typeof WithStartWorkflowOperation<W>>[1];
  return new WithStartWorkflowOperation<W>(contract.workflowType, {
    ...options,
    ...identity(contract, key, queues),
  } as OperationOptions);
}

/** A handle on the execution a contract's key names (its latest run). */
export function workflowHandle<W extends Workflow, Key>(
  client: Client,
  contract: WorkflowContract<W, Key>,
  key: Key,
): WorkflowHandle<W> {
  return client.workflow.getHandle<W>(contract.workflowId(key));
}
