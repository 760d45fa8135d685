/**
 * What every response carries whatever its route: helmet's security headers (no sniffing, no framing, a strict
 * Content-Security-Policy of our own origin, no Referer to other sites), CORS for the browser origins of
 * api.corsOrigins only (none: a browser on another origin cannot call the API with a token), and a request id —
 * the caller's `X-Request-Id` when it is a plain token of at most 128 characters, a new UUID otherwise — echoed in the
 * response and written, as `correlationId`, with every log line of the request (api/request-log.ts).
 */
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../lib/config';

/** What a request id may be: a plain token (no quotes, spaces or slashes), so it is safe in logs and queries. */
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id of a response (set by `requestId`). */
export function requestIdOf(res: Response): string | undefined {
  return (res.locals as { requestId?: string }).requestId;
}

function requestId(): RequestHandler {
  return (req, res, next) => {
    const offered = req.headers['x-request-id'];
    const id = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    (res.locals as { requestId?: string }).requestId = id;
    res.set('X-Request-Id', id);
    next();
  };
}

export function securityMiddleware(api: Config['api']): RequestHandler[] {
  return [
    requestId(),
    // Not upgrade-insecure-requests: a developer machine serves plain HTTP (TLS ends at the proxy in production).
    helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }),
    cors({
      origin: api.corsOrigins.length > 0 ? api.corsOrigins : false,
      methods: ['GET', 'HEAD', 'POST', 'PUT'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  ];
}
