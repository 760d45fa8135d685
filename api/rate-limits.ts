/**
 * How often a route may be called: each route falls in one class of config.rateLimits, counted per IP address and,
 * on a route that takes a token, per user (lib/rate-limit). Over a limit the request is refused with 429 / 10006
 * and `Retry-After` before its handler runs.
 *
 * - `place-order`: POST /v1/orders;
 * - `register`, `login` (login and refresh): per address only — every one costs a memory-hard hash or a session
 *   lookup; failed logins are limited besides per account (lib/auth/login-throttle.ts);
 * - `read`: every other GET; `act`: every other POST and PUT;
 * - unlimited: the probes, the metrics scrape and the OpenAPI document, which orchestrators and Prometheus poll
 *   (serve them on an internal network in production), the payment provider's signed callback and Alertmanager's
 *   webhook (its own token).
 *
 * Without Redis reads are not limited (fail open) and everything else is limited by each API process on its own.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '../lib/config';
import { RateLimit, type WithoutRedis } from '../lib/rate-limit/rate-limit';
import type { RedisFastPath } from '../lib/redis/fast-path';
import { callerOf, routeKey } from './access';
import { clientAddress } from './client-address';
import type { RouteSpec } from './route';

export type LimitClass = 'place-order' | 'act' | 'read' | 'register' | 'login';

const UNLIMITED = new Set([
  'GET /health',
  'GET /ready',
  'GET /metrics',
  'GET /v1/openapi.json',
  // Signed by the provider, cheap to refuse, and a provider's burst of callbacks must not be turned away.
  'POST /v1/payments/callback',
  // Alertmanager's notifications: authenticated by its token, and an alert storm must not be turned away.
  'POST /v1/alerts/webhook',
]);

const BY_ROUTE: Readonly<Record<string, LimitClass>> = {
  'POST /v1/orders': 'place-order',
  'POST /v1/auth/register': 'register',
  'POST /v1/auth/login': 'login',
  'POST /v1/auth/refresh': 'login',
  'POST /v1/admin/temporal-codec/session': 'login',
  // The Web UI decodes every history it shows: reads, not acts.
  'POST /v1/admin/temporal-codec/decode': 'read',
  'POST /v1/admin/temporal-codec/encode': 'read',
};

/** The limit class of a route; undefined for one that is not limited. */
export function limitClassOf(spec: Pick<RouteSpec, 'method' | 'path'>): LimitClass | undefined {
  const key = routeKey(spec);
  if (UNLIMITED.has(key)) return undefined;
  return BY_ROUTE[key] ?? (spec.method === 'get' ? 'read' : 'act');
}

interface ClassLimits {
  perIp: RateLimit;
  perUser?: RateLimit;
}

export class RequestLimits {
  private readonly classes: Record<LimitClass, ClassLimits>;

  constructor(config: Config['rateLimits'], fastPath: RedisFastPath, registry: Registry) {
    const limit = (name: string, window: { points: number; seconds: number }, withoutRedis: WithoutRedis) =>
      new RateLimit({ name, ...window, withoutRedis }, fastPath, registry);
    const both = (name: LimitClass, windows: Config['rateLimits']['read'], withoutRedis: WithoutRedis) => ({
      perIp: limit(`${name}:ip`, windows.perIp, withoutRedis),
      perUser: limit(`${name}:user`, windows.perUser, withoutRedis),
    });
    this.classes = {
      'place-order': both('place-order', config.placeOrder, 'in-process'),
      act: both('act', config.act, 'in-process'),
      read: both('read', config.read, 'fail-open'),
      register: { perIp: limit('register:ip', config.register.perIp, 'in-process') },
      login: { perIp: limit('login:ip', config.login.perIp, 'in-process') },
    };
  }

  /** The middleware that counts a route's requests (after its access rule, which names the caller). */
  guard(spec: RouteSpec): RequestHandler {
    const limitClass = limitClassOf(spec);
    if (limitClass === undefined) return (_req, _res, next) => next();
    const { perIp, perUser } = this.classes[limitClass];
    return (req: Request, res: Response, next) => {
      const caller = callerOf(res);
      Promise.all([
        perIp.take(clientAddress(req)),
        caller && perUser ? perUser.take(caller.userId.toString()) : undefined,
      ]).then(
        () => next(),
        (err: unknown) => next(err),
      );
    };
  }
}
