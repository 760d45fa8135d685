/** Operational endpoints: /health (the process answers), /ready (every dependency answers), /metrics, the OpenAPI document. */
import { Router } from 'express';
import { checkDependencies, type DependencyCheck } from '../../lib/health/dependencies';
import type { ProcessMetrics } from '../../lib/metrics/registry';
import { openApiDocument } from '../openapi';

export function opsRoutes(deps: { checks: DependencyCheck[]; metrics: ProcessMetrics }): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/ready', async (_req, res) => {
    const report = await checkDependencies(deps.checks);
    res.status(report.ready ? 200 : 503).json(report);
  });
  router.get('/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
