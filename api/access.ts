/**
 * Who may call each route — the one table — and the one middleware that enforces it. A route the table does not
 * name cannot be mounted (the app refuses to start), so a new route is closed until someone decides who may call
 * it; test/integration/api-access.test.ts derives the route × role matrix from the app's real routes.
 *
 * - `public`: anyone (health, catalog browsing, registering and logging in, the payment provider's signed callback,
 *   Alertmanager's webhook — those two check their own credentials).
 * - `signed-in`: any valid token, whatever the role (log out, who am I).
 * - a list of roles: a valid token whose user has one of them now. Buyers' order routes are `user` only and act on
 *   the caller's own orders; the shop's acts on any order are under /v1/admin/orders (admin; ops reads); repair tools
 *   (outbox, CDC, reconciler) are ops and admin; prices, stock and roles are admin only.
 *
 * Every act (not GET) on a route for admin or ops is written to the audit log, refused ones included.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { AuditedAct } from '../lib/accounts/audit-log';
import type { Principal, Role } from '../lib/auth/roles';
import { AppError } from '../lib/errors';
import { clientAddress } from './client-address';
import type { RouteSpec } from './route';

export type Access = 'public' | 'signed-in' | readonly Role[];

const BUYER: readonly Role[] = ['user'];
const SHOP: readonly Role[] = ['admin'];
/** Read access for the shop and its operators. */
const STAFF: readonly Role[] = ['admin', 'ops'];
/** Repair tools: operators, and the shop's admins. */
const REPAIR: readonly Role[] = ['ops', 'admin'];

/** `METHOD path` (as the route declares it) → who may call it. */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /v1/openapi.json': 'public',
  'GET /metrics': 'public',

  'POST /v1/auth/register': 'public',
  'POST /v1/auth/login': 'public',
  'POST /v1/auth/refresh': 'public',
  'POST /v1/auth/logout': 'signed-in',
  'GET /v1/auth/me': 'signed-in',

  'GET /v1/products': 'public',
  'GET /v1/products/:productId': 'public',
  'GET /v1/inventory/:productId/:skuId': 'public',
  'PUT /v1/admin/inventory/:productId/:skuId': SHOP,

  'POST /v1/orders': BUYER,
  'GET /v1/orders': BUYER,
  'GET /v1/orders/:orderId': BUYER,
  'GET /v1/orders/:orderId/saga': BUYER,
  'POST /v1/orders/:orderId/pay': BUYER,
  'GET /v1/orders/:orderId/payments': BUYER,
  'POST /v1/orders/:orderId/cancel': BUYER,
  'POST /v1/orders/:orderId/complete': BUYER,

  'GET /v1/admin/orders/:orderRef': STAFF,
  'GET /v1/admin/orders/:orderRef/saga': STAFF,
  'POST /v1/admin/orders/:orderRef/ship': SHOP,
  'POST /v1/admin/orders/:orderRef/cancel': SHOP,
  'GET /v1/admin/orders/:orderRef/payments': STAFF,

  'POST /v1/payments/callback': 'public',
  'POST /v1/alerts/webhook': 'public',

  'GET /v1/search/orders': STAFF,
  'GET /v1/stats/dashboard': STAFF,
  'GET /v1/stats/orders/stream': STAFF,

  'GET /v1/admin/outbox': REPAIR,
  'POST /v1/admin/outbox/retry-failed': REPAIR,
  'POST /v1/admin/outbox/:messageId/retry': REPAIR,
  'GET /v1/admin/cdc': REPAIR,
  'POST /v1/admin/cdc/backfill': REPAIR,
  'GET /v1/admin/cdc/backfill/:shard': REPAIR,
  'GET /v1/admin/reconcile': REPAIR,
  'POST /v1/admin/reconcile': REPAIR,
  'GET /v1/admin/reconcile/audit': REPAIR,
  'GET /v1/admin/trace/:ref': REPAIR,
  'GET /v1/admin/sagas': REPAIR,
  'GET /v1/admin/alerts': REPAIR,
  'GET /v1/admin/figures': REPAIR,
  'GET /v1/admin/sagas/:orderRef': REPAIR,
  'POST /v1/admin/sagas/:orderRef/retry': REPAIR,
  'POST /v1/admin/sagas/:orderRef/cancel': REPAIR,

  'GET /v1/admin/temporal-codec/login': 'public',
  'POST /v1/admin/temporal-codec/session': 'public',
  'POST /v1/admin/temporal-codec/decode': REPAIR,
  'POST /v1/admin/temporal-codec/encode': REPAIR,

  'PUT /v1/admin/users/:userId/role': SHOP,
  'GET /v1/admin/audit': STAFF,
};

export function routeKey(spec: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${spec.method.toUpperCase()} ${spec.path}`;
}

/** The rule of a route; throws for a route the table does not name (nothing is mounted open by mistake). */
export function accessOf(spec: Pick<RouteSpec, 'method' | 'path'>): Access {
  const rule = ROUTE_ACCESS[routeKey(spec)];
  if (rule === undefined) {
    throw new Error(`${routeKey(spec)} has no rule in api/access.ts ROUTE_ACCESS: decide who may call it`);
  }
  return rule;
}

/** Whether calls of a route are acts of admins or operators, which the audit log records. */
export function isAuditedAct(spec: Pick<RouteSpec, 'method' | 'path'>): boolean {
  const rule = accessOf(spec);
  return spec.method !== 'get' && Array.isArray(rule) && !rule.includes('user') && !READS_BY_POST.has(routeKey(spec));
}

/**
 * POST routes that only read, and are not acts: the codec endpoint decodes (or encodes) the payloads it is sent and
 * changes nothing — like the staff's GET routes, which read personal data too, its calls are not audited (the temporal
 * CLI calls it once per history event).
 */
const READS_BY_POST = new Set(['POST /v1/admin/temporal-codec/decode', 'POST /v1/admin/temporal-codec/encode']);

export interface AccessDeps {
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Records an act (never fails the request; a failure to record is logged). */
  audit(act: AuditedAct): void;
}

/** The caller of a request the access middleware let through (undefined on public routes). */
export function callerOf(res: Response): Principal | undefined {
  return (res.locals as { caller?: Principal }).caller;
}

function describe(rule: readonly Role[]): string {
  return rule.length === 1 ? `the ${rule[0]} role` : `one of the roles ${rule.join(', ')}`;
}

/** The middleware that enforces a route's rule: 401 / 10002 without a valid token, 403 / 10005 for another role. */
export function accessGuard(deps: AccessDeps, spec: RouteSpec): RequestHandler {
  const rule = accessOf(spec);
  const audited = isAuditedAct(spec);
  const action = routeKey(spec);
  return (req: Request, res: Response, next) => {
    if (rule === 'public') {
      next();
      return;
    }
    deps.authenticate(req.headers.authorization).then(
      (caller) => {
        (res.locals as { caller?: Principal }).caller = caller;
        if (audited) {
          res.on('finish', () =>
            deps.audit({
              actor: caller,
              action,
              target: req.originalUrl.slice(0, 512),
              detail: req.body ?? null,
              outcome: res.statusCode,
              ip: clientAddress(req),
              userAgent: String(req.headers['user-agent'] ?? '').slice(0, 255),
            }),
          );
        }
        if (rule !== 'signed-in' && !rule.includes(caller.role)) {
          next(
            new AppError('FORBIDDEN', `${action} needs ${describe(rule)}; you are signed in as ${caller.role}`, {
              required: rule,
              role: caller.role,
            }),
          );
          return;
        }
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
