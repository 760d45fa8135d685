/** Operational endpoints: /health, /ready (required dependencies answer, optional ones degrade), /metrics, the OpenAPI document. */
import { checkDependencies, type DependencyCheck } from '../../lib/health/dependencies';
import type { ProcessMetrics } from '../../lib/metrics/registry';
import { route, type RouteSpec } from '../route';
import { healthBody, readiness } from '../responses';

export interface OpsDeps {
  checks: DependencyCheck[];
  metrics: ProcessMetrics;
  /** The OpenAPI document (built from every route, this one included). */
  openApiDocument: () => object;
}

export function opsRoutes(deps: OpsDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/health',
      tag: 'ops',
      summary: 'the process answers',
      responses: { 200: { description: 'up', schema: healthBody } },
      handle: () => ({ body: { status: 'ok', uptimeSeconds: Math.round(process.uptime()) } }),
    }),
    route({
      method: 'get',
      path: '/ready',
      tag: 'ops',
      summary: 'the required dependencies answer (the others, when down, are listed as degraded)',
      responses: {
        200: { description: 'ready, perhaps degraded', schema: readiness },
        503: { description: 'a required dependency is down', schema: readiness },
      },
      handle: async () => {
        const report = await checkDependencies(deps.checks);
        return { status: report.ready ? 200 : 503, body: report };
      },
    }),
    route({
      method: 'get',
      path: '/v1/openapi.json',
      tag: 'ops',
      summary: 'this document (browsable at /docs)',
      responses: { 200: { description: 'OpenAPI 3.0', contentType: 'application/json' } },
      handle: () => ({ body: deps.openApiDocument() }),
    }),
    route({
      method: 'get',
      path: '/metrics',
      tag: 'ops',
      summary: 'Prometheus metrics',
      responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
      handle: async () => ({
        body: await deps.metrics.registry.metrics(),
        type: deps.metrics.registry.contentType,
      }),
    }),
  ];
}
