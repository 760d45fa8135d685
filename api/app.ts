/**
 * The Express application: JSON in and out, HTTP metrics and a log line per request (api/request-log.ts), and the routes of each resource — declared once
 * (api/route.ts), validated by their schemas, and documented from the same declarations at /v1/openapi.json and /docs.
 */
import express, { type Express } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { Config } from '../lib/config';
import type { DependencyCheck } from '../lib/health/dependencies';
import type { Log } from '../lib/log/logger';
import type { ProcessMetrics } from '../lib/metrics/registry';
import { errorHandler, notFoundHandler } from './errors';
import { buildOpenApiDocument } from './openapi';
import { keepSignedBody } from './raw-body';
import { requestLog } from './request-log';
import { securityMiddleware } from './security';
import { mountRoutes, type RouteSpec } from './route';
import { webApp } from './web-app';
import { adminRoutes } from './routes/admin';
import { ALERT_WEBHOOK_BODY, ALERT_WEBHOOK_PATH, alertRoutes } from './routes/alerts';
import { adminOrderRoutes } from './routes/admin-orders';
import { authRoutes } from './routes/auth';
import { catalogRoutes } from './routes/catalog';
import { cdcRoutes } from './routes/cdc';
import { opsRoutes } from './routes/ops';
import { orderRoutes } from './routes/orders';
import { outboxRoutes } from './routes/outbox';
import { paymentRoutes } from './routes/payments';
import { reconcileRoutes } from './routes/reconcile';
import { sagaRoutes } from './routes/sagas';
import { figureRoutes } from './routes/figures';
import { orderStreamRoutes } from './routes/order-stream';
import { searchRoutes } from './routes/search';
import { traceRoutes } from './routes/trace';
import { CODEC_PATH, codecMiddleware, temporalCodecRoutes } from './routes/temporal-codec';
import type { ApiServices } from './services';

export interface AppDeps {
  checks: DependencyCheck[];
  metrics: ProcessMetrics;
  services: ApiServices;
  /** The API's own settings (trusted proxies, CORS) and the number of order shards (requests are checked against). */
  config: Pick<Config, 'api' | 'shards' | 'temporal' | 'alerts' | 'metrics'>;
  log: Log;
}

/** The largest request body taken (a full order of order.limits.maxLines lines is a few kB). */
export const MAX_BODY = '256kb';

/** Swagger UI's start script, pointed at our document. */
const SWAGGER_INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
};`;

/** Every route of the API, in the order they are matched. */
export function apiRoutes(deps: AppDeps, openApiDocument: () => object): RouteSpec[] {
  const { services } = deps;
  return [
    ...opsRoutes({ checks: deps.checks, metrics: deps.metrics, openApiDocument }),
    ...authRoutes(services.auth),
    ...catalogRoutes(services.catalog),
    ...orderRoutes(services.orders),
    ...paymentRoutes(services.payments),
    ...adminOrderRoutes(services.orders),
    ...outboxRoutes(services.outbox, deps.config.shards.count),
    ...searchRoutes(services.search),
    ...orderStreamRoutes(services.orderFeed),
    ...cdcRoutes(services.cdc, deps.config.shards.count),
    ...reconcileRoutes(services.reconcile),
    ...traceRoutes(services.traces),
    ...sagaRoutes(services.sagas),
    ...alertRoutes(services.alerts, deps.config.alerts.webhookToken),
    ...figureRoutes(deps.config.metrics.prometheusUrl),
    ...adminRoutes(services.auth, services.audit),
    ...temporalCodecRoutes(services.codec, services.auth),
  ];
}

/** Builds the app around its dependencies (no listening, no globals), so tests can mount it on port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.api.trustProxyHops);
  app.set('json replacer', (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  app.use(requestLog(deps.metrics, deps.log));
  // Before the API's own CORS: the codec endpoint answers the Temporal Web UI's origin, with credentials.
  app.use(CODEC_PATH, ...codecMiddleware(deps.config));
  app.use(...securityMiddleware(deps.config.api));
  // Workflow payloads are bigger than any request of the API's own (Temporal takes up to 2 MB each).
  app.use(CODEC_PATH, express.json({ limit: '8mb' }));
  // An alert storm is one notification of many alerts (api/routes/alerts.ts bounds what it takes).
  app.use(ALERT_WEBHOOK_PATH, express.json({ limit: ALERT_WEBHOOK_BODY }));
  app.use(express.json({ limit: MAX_BODY, verify: keepSignedBody }));
  app.use(`${CODEC_PATH}/session`, express.urlencoded({ extended: false, limit: '4kb' }));
  let document: object | undefined;
  const routes = apiRoutes(deps, () => (document ??= buildOpenApiDocument(routes)));
  mountRoutes(
    app,
    routes,
    {
      authenticate: (authorization) => deps.services.auth.authenticate(authorization),
      audit: (act) => {
        deps.services.audit.record(act).catch((err: unknown) => {
          deps.log('error', 'audit entry not written', { action: act.action, error: String(err) });
        });
      },
    },
    deps.services.limits,
  );
  app.use('/docs/swagger-initializer.js', (_req, res) => {
    res.type('application/javascript').send(SWAGGER_INITIALIZER);
  });
  app.use('/docs', express.static(getAbsoluteFSPath(), { index: 'index.html' }));
  const web = webApp();
  if (web.length > 0) app.use(...web);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
