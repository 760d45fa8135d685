/** Maps anything a route throws to DESIGN.md's error body `{ code, message, details? }` and HTTP status. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, ErrorCodes } from '../lib/errors';
import { unavailableDependency } from '../lib/errors/unavailable';
import { requestIdOf } from './security';
import type { Log } from '../lib/log/logger';

export interface ErrorBody {
  code: number;
  message: string;
  details?: unknown;
}

/** 404 for a path no route serves. */
export const notFoundHandler: RequestHandler = (req, res) => {
  const body: ErrorBody = {
    code: ErrorCodes.INVALID_PARAMETER.code,
    message: `no route for ${req.method} ${req.path}`,
  };
  res.status(404).json(body);
};

/**
 * The one error handler: coded errors keep their code, malformed JSON is 10001, a dependency that does not answer is
 * 503 / 10004, the rest is 10003 without a stack.
 */
export const errorHandler =
  (log: Log): ErrorRequestHandler =>
  (err: unknown, _req, res, _next) => {
    if (err instanceof AppError) {
      const body: ErrorBody = {
        code: err.code,
        message: err.message,
        ...(err.details === undefined ? {} : { details: err.details }),
      };
      const retryAfter = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (err.kind === 'RATE_LIMITED' && retryAfter !== undefined) res.set('Retry-After', String(retryAfter));
      res.status(err.httpStatus).json(body);
      return;
    }
    const parseError = err as { type?: string; status?: number; limit?: number };
    if (parseError.type === 'entity.parse.failed') {
      res.status(400).json({ code: ErrorCodes.INVALID_PARAMETER.code, message: 'request body is not valid JSON' });
      return;
    }
    if (parseError.type === 'entity.too.large') {
      res.status(ErrorCodes.BODY_TOO_LARGE.http).json({
        code: ErrorCodes.BODY_TOO_LARGE.code,
        message: `request body is larger than the ${parseError.limit ?? ''} bytes the API takes`,
      });
      return;
    }
    const unavailable = unavailableDependency(err);
    if (unavailable) {
      res.status(503).json({
        code: ErrorCodes.SERVICE_UNAVAILABLE.code,
        message: `a dependency of this request does not answer now (${unavailable}); repeat it later`,
      });
      return;
    }
    log('error', 'unhandled error in request', {
      correlationId: requestIdOf(res),
      error: String((err as Error)?.stack ?? err),
    });
    res.status(500).json({ code: ErrorCodes.INTERNAL.code, message: 'internal error' });
  };
