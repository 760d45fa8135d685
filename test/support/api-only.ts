/**
 * The API app alone — no order worker — on a configuration of the test's own, with a Snowflake worker id leased
 * from etcd like the API process does (it registers accounts, whose ids must not collide with another process's).
 */
import { silentLog } from '../../lib/log/logger';
import { hostname } from 'node:os';
import { createApp } from '../../api/app';
import { buildApiServices } from '../../api/services';
import type { Config } from '../../lib/config';
import { leaseWorkerId } from '../../lib/ids/worker-id-lease';
import { createProcessMetrics } from '../../lib/metrics/registry';
import { dependencyChecks, openResources, type Resources } from '../../lib/resources';
import { listen, type RunningApp } from './http';

export interface ApiOnly extends RunningApp {
  config: Config;
  resources: Resources;
}

export async function startApiOnly(config: Config, name: string): Promise<ApiOnly> {
  const resources = openResources(config, name);
  const lease = await leaseWorkerId(resources.etcd, {
    prefix: config.etcd.snowflakePrefix,
    ttlSeconds: config.etcd.leaseTtlSeconds,
    owner: `${name}@${hostname()}:${process.pid}`,
  });
  const metrics = createProcessMetrics(name);
  const services = buildApiServices(resources, lease, metrics.registry, silentLog);
  const app = await listen(
    createApp({ checks: dependencyChecks(resources), metrics, services, config, log: silentLog }),
  );
  return {
    ...app,
    config,
    resources,
    close: async () => {
      await app.close();
      await lease.release();
      if (resources.redis.status !== 'ready') resources.redis.disconnect();
      await resources.close();
    },
  };
}
