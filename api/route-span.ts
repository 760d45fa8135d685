/**
 * Names the request's OpenTelemetry server span after its route (`POST /v1/orders`, not `POST`) and tags it with the
 * request id, so a trace in Zipkin is found by route and by `doos.correlation_id` (the id logs and `doos trace` use).
 * A no-op when the process does not trace.
 */
import type { RequestHandler } from 'express';
import { context, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { requestIdOf } from './security';

export function routeSpan(path: string): RequestHandler {
  return (req, res, next) => {
    const span = trace.getActiveSpan();
    if (span) {
      const rpc = getRPCMetadata(context.active());
      if (rpc?.type === RPCType.HTTP) rpc.route = path; // the HTTP instrumentation sets http.route from it
      span.updateName(`${req.method} ${path}`);
      const requestId = requestIdOf(res);
      if (requestId) span.setAttribute('doos.correlation_id', requestId);
    }
    next();
  };
}
