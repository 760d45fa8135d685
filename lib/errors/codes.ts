/**
 * The error-code table of DESIGN.md with the HTTP status each maps to. Sandbox-safe (no Node imports) so workflows,
 * activities and the API share one definition; Temporal failure types use the `type` names below.
 */
export const ErrorCodes = {
  OK: { code: 10000, http: 200, type: 'OK' },
  INVALID_PARAMETER: { code: 10001, http: 400, type: 'INVALID_PARAMETER' },
  UNAUTHORIZED: { code: 10002, http: 401, type: 'UNAUTHORIZED' },
  /** An invalid parameter of its own status: a request body over the size the route takes. */
  BODY_TOO_LARGE: { code: 10001, http: 413, type: 'BODY_TOO_LARGE' },
  INTERNAL: { code: 10003, http: 500, type: 'INTERNAL' },
  /** The caller's role may not use this route (DESIGN.md's table). */
  FORBIDDEN: { code: 10005, http: 403, type: 'FORBIDDEN' },
  /** Too many requests of this kind from this user, IP or account; `Retry-After` says when (DESIGN.md's table). */
  RATE_LIMITED: { code: 10006, http: 429, type: 'RATE_LIMITED' },
  ORDER_NOT_FOUND: { code: 20001, http: 404, type: 'ORDER_NOT_FOUND' },
  ORDER_CANCELLED: { code: 20002, http: 409, type: 'ORDER_CANCELLED' },
  ORDER_PAID: { code: 20003, http: 409, type: 'ORDER_PAID' },
  DUPLICATE_SUBMIT: { code: 20004, http: 409, type: 'DUPLICATE_SUBMIT' },
  /** Added to DESIGN.md's table: a step out of order (ship before pay, complete before ship, a second ship). */
  ORDER_STATE_CONFLICT: { code: 20005, http: 409, type: 'ORDER_STATE_CONFLICT' },
  /** Added to DESIGN.md's table: an Idempotency-Key sent again with a different order (other items, address, …). */
  IDEMPOTENCY_KEY_REUSED: { code: 20006, http: 422, type: 'IDEMPOTENCY_KEY_REUSED' },
  /**
   * Added to DESIGN.md's table: the saga gave up creating the order (a step failed for good, or kept failing past
   * order.createDeadlineSeconds) and released what it had reserved; nothing is held, place it again with a new key.
   */
  ORDER_NOT_CREATED: { code: 20007, http: 500, type: 'ORDER_NOT_CREATED' },
  STOCK_INSUFFICIENT: { code: 30001, http: 409, type: 'STOCK_INSUFFICIENT' },
  STOCK_LOCKED: { code: 30002, http: 409, type: 'STOCK_LOCKED' },
  /** Added to DESIGN.md's table: the product or SKU is not in the catalog. */
  SKU_NOT_FOUND: { code: 30003, http: 404, type: 'SKU_NOT_FOUND' },
  /** Added to DESIGN.md's table: no outbox message with this id in any shard. */
  OUTBOX_MESSAGE_NOT_FOUND: { code: 40001, http: 404, type: 'OUTBOX_MESSAGE_NOT_FOUND' },
  /** Added to DESIGN.md's table: the outbox message was already published, so there is nothing to retry. */
  OUTBOX_MESSAGE_SENT: { code: 40002, http: 409, type: 'OUTBOX_MESSAGE_SENT' },
  /** Added to DESIGN.md's table: no backfill of this shard has run yet. */
  CDC_BACKFILL_NOT_FOUND: { code: 40003, http: 404, type: 'CDC_BACKFILL_NOT_FOUND' },
  /** Added to DESIGN.md's table: the order has no saga (never started, or its history is past retention). */
  SAGA_NOT_FOUND: { code: 40004, http: 404, type: 'SAGA_NOT_FOUND' },
  /** Added to DESIGN.md's table: `saga retry` on a saga that is not stuck: there is nothing to retry. */
  SAGA_NOT_STUCK: { code: 40005, http: 409, type: 'SAGA_NOT_STUCK' },
  /** Added to DESIGN.md's table: registering a username another account has. */
  USERNAME_TAKEN: { code: 50001, http: 409, type: 'USERNAME_TAKEN' },
  /** Added to DESIGN.md's table: no account with this user id (an admin's role change). */
  USER_NOT_FOUND: { code: 50002, http: 404, type: 'USER_NOT_FOUND' },
  /** Added to DESIGN.md's table: a payment callback without a valid signature, or signed outside the time window. */
  PAYMENT_SIGNATURE_INVALID: { code: 60001, http: 401, type: 'PAYMENT_SIGNATURE_INVALID' },
  /** Added to DESIGN.md's table: a payment callback whose order, amount or currency is not the payment's. */
  PAYMENT_MISMATCH: { code: 60002, http: 409, type: 'PAYMENT_MISMATCH' },
  /** Added to DESIGN.md's table: no payment with this id for this order. */
  PAYMENT_NOT_FOUND: { code: 60003, http: 404, type: 'PAYMENT_NOT_FOUND' },
  /** A dependency (database, Temporal, …) cannot be reached right now; the request changed nothing. */
  SERVICE_UNAVAILABLE: { code: 10004, http: 503, type: 'SERVICE_UNAVAILABLE' },
} as const;

/** The kind whose failure type (a Temporal ApplicationFailure type) is this string, if any. */
export function errorKindOfType(type: string | undefined | null): ErrorKind | undefined {
  return type !== undefined && type !== null && type in ErrorCodes ? (type as ErrorKind) : undefined;
}

export type ErrorKind = keyof typeof ErrorCodes;
export type ErrorCode = (typeof ErrorCodes)[ErrorKind]['code'];

/** An error a caller can act on: it carries a code from the table and optional details for the response body. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly httpStatus: number;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.code = ErrorCodes[kind].code;
    this.httpStatus = ErrorCodes[kind].http;
  }
}
