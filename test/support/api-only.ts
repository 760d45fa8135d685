/**
 * The API app alone — no order worker — on a configuration of the test's own, with a Snowflake worker id leased
 * from etcd like the API process does (it registers accounts, whose ids must not collide with another process's).
 */
import { silentLog } from '../../lib/log/logger';
import { createApp } from '../../api/app';
import { buildApiServices } from '../../api/services';
import type { Config } from '../../lib/config';
import { holdProcessWorkerId } from '../../lib/ids/process-worker-id';
import { createProcessMetrics } from '../../lib/metrics/registry';
import { dependencyChecks, openResources, type Resources } from '../../lib/resources';
import { listen, type RunningApp } from './http';

export interface ApiOnly extends RunningApp {
  config: Config;
  resources: Resources;
}

export async function startApiOnly(config: Config, name: string): Promise<ApiOnly> {
  const resources = openResources(config, name);
  const workerId = await holdProcessWorkerId(resources.etcd, config.etcd, name, silentLog);
  const metrics = createProcessMetrics(name);
  const services = buildApiServices(resources, workerId, metrics.registry, silentLog);
  const app = await listen(
    createApp({ checks: dependencyChecks(resources), metrics, services, config, log: silentLog }),
  );
  return {
    ...app,
    config,
    resources,
    close: async () => {
      await app.close();
      await workerId.release();
      if (resources.redis.status !== 'ready') resources.redis.disconnect();
      await resources.close();
    },
  };
}
