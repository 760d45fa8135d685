/** Turns what the Temporal client throws for an order saga into the API's coded errors. */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { AppError, errorKindOfType } from '../../lib/errors';
import { withDeadline } from '../../lib/time-limit';

/** The business failure (an ApplicationFailure with a type of our error table) inside an update failure, if any. */
export function businessFailureOf(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  return cause instanceof ApplicationFailure && errorKindOfType(cause.type) ? cause : undefined;
}

/** A coded AppError for a business failure, or undefined for anything else. */
export function appErrorOf(err: unknown): AppError | undefined {
  const failure = businessFailureOf(err);
  const kind = errorKindOfType(failure?.type);
  if (!failure || !kind) return undefined;
  const details = failure.details?.[0];
  return new AppError(kind, failure.message, details ?? undefined);
}

/** True when the workflow has already closed (or never existed), so it cannot take updates any more. */
export function isWorkflowClosed(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const e = err as { code?: number; details?: string; message?: string };
  return e.code === 5 || /already completed|not found/i.test(`${e.details ?? ''} ${e.message ?? ''}`);
}

/**
 * Asks a workflow a query within `ms`: no answer in time, or a server that cannot get one (no worker polls its task
 * queue), is 503 / 10004 saying `what` did not answer; the query's own coded refusal keeps its code. The gRPC call
 * carries the deadline itself, so an unanswered query ends with the request instead of retrying behind it.
 */
export async function queryWithin<T>(temporal: Client, query: () => Promise<T>, ms: number, what: string): Promise<T> {
  try {
    return await withDeadline(
      temporal.connection.withDeadline(Date.now() + ms, query),
      ms + 1000,
      () => new AppError('SERVICE_UNAVAILABLE', `${what} did not answer in time`),
    );
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { code?: number }).code === 4 || /deadline/i.test((err as Error).message)) {
      throw new AppError('SERVICE_UNAVAILABLE', `${what} did not answer in time`);
    }
    throw new AppError('SERVICE_UNAVAILABLE', `${what} cannot answer now: ${(err as Error).message}`);
  }
}
