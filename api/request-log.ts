/**
 * What the API records of every request once its response is sent: the `http_request_duration_seconds` histogram
 * (by method, route pattern and status) and one log line — `request` with the method, the route pattern, the status,
 * the duration, the caller's user id when it signed in, and the request id as `correlationId` (the id the saga, its
 * outbox rows, Kafka records and the search document carry too; `doos trace` follows it).
 * Probes and /metrics log at debug: a scraper's every 15 s is not news. A live stream (text/event-stream) is logged
 * when it closes — also when the client left — and kept out of the histogram: its duration is how long someone
 * watched, not how fast the API answered.
 */
import type { RequestHandler } from 'express';
import type { Log } from '../lib/log/logger';
import type { ProcessMetrics } from '../lib/metrics/registry';
import { callerOf } from './access';
import { requestIdOf } from './security';

const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

export function requestLog(metrics: ProcessMetrics, log: Log): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const end = metrics.httpDuration.startTimer({ method: req.method });
    // 'close' comes after 'finish', and alone when the client went away first.
    res.on('close', () => {
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern === undefined ? 'unmatched' : `${req.baseUrl}${pattern}`;
      const streamed = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
      // 499 (nginx's word for it): the client left before an answer was sent.
      const status = res.headersSent ? res.statusCode : 499;
      if (!streamed) end({ route, status: String(status) });
      const caller = callerOf(res);
      log(QUIET_ROUTES.has(route) ? 'debug' : 'info', 'request', {
        correlationId: requestIdOf(res),
        method: req.method,
        route,
        status,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        ...(caller ? { userId: caller.userId.toString() } : {}),
      });
    });
    next();
  };
}
