/** The Express application: JSON in and out, HTTP metrics, health and readiness, and the routes of each resource. */
import express, { type Express } from 'express';
import type { DependencyCheck } from '../lib/health/dependencies';
import type { ProcessMetrics } from '../lib/metrics/registry';
import { errorHandler, notFoundHandler } from './errors';
import { catalogRoutes } from './routes/catalog';
import { cdcRoutes } from './routes/cdc';
import { opsRoutes } from './routes/ops';
import { orderRoutes } from './routes/orders';
import { outboxRoutes } from './routes/outbox';
import { searchRoutes } from './routes/search';
import type { ApiServices } from './services';

export interface AppDeps {
  checks: DependencyCheck[];
  metrics: ProcessMetrics;
  services: ApiServices;
}

/** Builds the app around its dependencies (no listening, no globals), so tests can mount it on port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json replacer', (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ route: `${req.baseUrl}${route}`, status: String(res.statusCode) });
    });
    next();
  });
  app.use(express.json({ limit: '256kb' }));
  app.use(opsRoutes(deps));
  app.use(catalogRoutes(deps.services.catalog));
  app.use(orderRoutes(deps.services.orders));
  app.use(outboxRoutes(deps.services.outbox));
  app.use(searchRoutes(deps.services.search));
  app.use(cdcRoutes(deps.services.cdc));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
