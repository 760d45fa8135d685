/**
 * Which database errors no retry can fix. A statement refused for its data (a value out of range or too long for its
 * column, a NULL where none may be, a broken foreign key or CHECK) fails the same way every time; retrying it only
 * holds what the caller reserved. Connection losses, deadlocks, lock-wait timeouts and everything unknown stay
 * retryable. Duplicate keys are not here: every unique key on the order path is an idempotency key (order id, outbox
 * message id, reservation per order and SKU, consume log, Idempotency-Key), and a retry finds the row and moves on.
 */

/** MariaDB errnos of data the server refuses for good. */
const PERMANENT_ERRNOS: ReadonlyMap<number, string> = new Map([
  [1048, 'a NULL where the column allows none'],
  [1264, 'a value out of its column range'],
  [1265, 'a value truncated to fit its column'],
  [1292, 'a value of the wrong form for its column'],
  [1365, 'a division by zero'],
  [1366, 'a value of the wrong type for its column'],
  [1406, 'a value too long for its column'],
  [1451, 'a row other rows still refer to'],
  [1452, 'a reference to a row that does not exist'],
  [1690, 'a value out of range in an expression'],
  [4025, 'a CHECK constraint'],
]);

/** Prisma's codes for the same refusals. */
const PERMANENT_PRISMA_CODES: ReadonlyMap<string, string> = new Map([
  ['P2000', 'a value too long for its column'],
  ['P2003', 'a reference to a row that does not exist'],
  ['P2011', 'a NULL where the column allows none'],
  ['P2020', 'a value out of its column range'],
  ['P2033', 'a number that does not fit 64 bits'],
]);

/** What the database refused for good, in words, or undefined when a retry may succeed. */
export function permanentDataError(err: unknown): string | undefined {
  const e = err as { errno?: unknown; code?: unknown };
  if (typeof e.errno === 'number' && PERMANENT_ERRNOS.has(e.errno)) return PERMANENT_ERRNOS.get(e.errno);
  if (typeof e.code === 'string' && PERMANENT_PRISMA_CODES.has(e.code)) return PERMANENT_PRISMA_CODES.get(e.code);
  return undefined;
}

/** A deadlock or a lock-wait timeout: the transaction was rolled back and may simply be run again. */
export function isLockConflict(err: unknown): boolean {
  const e = err as { errno?: unknown; code?: unknown };
  return e.errno === 1213 || e.errno === 1205 || e.code === 'P2034';
}

/** Runs a transaction again (up to `attempts` times in all) while it loses a lock conflict. */
export async function retryLockConflicts<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isLockConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt * (1 + Math.random())));
    }
  }
}
