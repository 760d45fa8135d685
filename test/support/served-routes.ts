/** The app as the API process builds it, for tests that look at its routes, and the routes Express really serves. */
import { silentLog } from '../../lib/log/logger';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { buildApiServices } from '../../api/services';
import type { WorkerIdSource } from '../../lib/ids/worker-id-lease';
import { createProcessMetrics } from '../../lib/metrics/registry';
import type { Resources } from '../../lib/resources';

/** A worker id for an app that issues no ids in the test. */
export const FIXED_WORKER_ID: WorkerIdSource = { current: () => ({ workerId: 1 }) };

/** The API app on `resources`, without dependency checks. */
export function appOf(resources: Resources, name: string): Express {
  const metrics = createProcessMetrics(name);
  return createApp({
    checks: [],
    metrics,
    services: buildApiServices(resources, FIXED_WORKER_ID, metrics.registry, silentLog),
    config: resources.config,
    log: silentLog,
  });
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route the app's router serves, as `{ method: 'GET', path: '/v1/orders/:orderId' }`. */
export function servedRoutes(app: Express): { method: string; path: string }[] {
  const served: { method: string; path: string }[] = [];
  const walk = (stack: Layer[]): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) {
          if (m !== '_all') served.push({ method: m.toUpperCase(), path: layer.route.path });
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return served;
}
