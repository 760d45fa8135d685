/**
 * What the API records of every request once its response is sent: the `http_request_duration_seconds` histogram
 * (by method, route pattern and status) and one log line — `request` with the method, the route pattern, the status,
 * the duration, the caller's user id when it signed in, and the request id as `correlationId` (the id the saga, its
 * outbox rows, Kafka records and the search document carry too; `doos trace` follows it).
 * Probes and /metrics log at debug: a scraper's every 15 s is not news.
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
    res.on('finish', () => {
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern === undefined ? 'unmatched' : `${req.baseUrl}${pattern}`;
      end({ route, status: String(res.statusCode) });
      const caller = callerOf(res);
      log(QUIET_ROUTES.has(route) ? 'debug' : 'info', 'request', {
        correlationId: requestIdOf(res),
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        ...(caller ? { userId: caller.userId.toString() } : {}),
      });
    });
    next();
  };
}
