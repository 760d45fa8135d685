/**
 * Every activity of a worker, wrapped so that a database refusal no retry can fix (lib/db/db-errors.ts) fails it
 * non-retryably with the type DATA_REJECTED, instead of being retried for as long as its retry policy allows. The
 * saga turns it into its refusal and releases what it holds; the relay and the indexer see it at once.
 */
import { ApplicationFailure } from '@temporalio/common';
import { permanentDataError } from '../db/db-errors';

/** Failure type of an activity whose data the database refused for good. */
export const DATA_REJECTED = 'DATA_REJECTED';

/** The server's own words, without the statement and its values (which may hold personal data). */
function sqlMessageOf(err: unknown): string {
  const e = err as { sqlMessage?: string; message?: string };
  return e.sqlMessage ?? (e.message ?? String(err)).split('\n')[0] ?? '';
}

type ActivityFunction = (...args: never[]) => Promise<unknown>;

/** The same activities; each rethrows a permanent data error as a non-retryable DATA_REJECTED failure. */
export function withPermanentDataFailures<A extends object>(activities: A): A {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(activities)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const activity = value as ActivityFunction;
    wrapped[name] = async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (err) {
        const refused = permanentDataError(err);
        if (!refused) throw err;
        throw ApplicationFailure.create({
          type: DATA_REJECTED,
          message: `${name}: the database refused ${refused} (${sqlMessageOf(err)})`,
          nonRetryable: true,
          cause: err instanceof Error ? err : undefined,
        });
      }
    };
  }
  return wrapped as A;
}
