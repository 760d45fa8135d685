/**
 * The address a request comes from, as the rate limits and the audit log know it: the peer's address, or — behind
 * api.trustProxyHops proxies — the one those proxies report in X-Forwarded-For (Express' `trust proxy`). Hops beyond
 * the trusted ones are the client's own words and are not believed.
 */
import type { Request } from 'express';

export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
