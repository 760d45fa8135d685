/**
 * Temporal failures that carry a kind of the error-code table: a business refusal is non-retryable and its type is
 * the kind, so the API turns it back into the same code. Sandbox-safe: the saga and the activities both raise them.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ErrorCodes, type ErrorKind } from './codes';

/** A non-retryable failure of this kind; `details` reaches the API's error body. */
export function refusal(kind: ErrorKind, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: ErrorCodes[kind].type,
    message,
    nonRetryable: true,
    ...(details === undefined ? {} : { details: [details] }),
  });
}
