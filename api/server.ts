/**
 * The API process: loads the configuration, holds a Snowflake worker id leased from etcd, opens its clients, serves HTTP,
 * and on SIGTERM/SIGINT stops listening, gives the worker id back and closes its clients.
 */
import '../lib/telemetry/register'; // first: tracing patches http and ioredis before they load
import type { Server } from 'node:http';
import { loadConfig, ConfigError } from '../lib/config';
import { exitProcess, processLog } from '../lib/process/entry-point';
import { openResources, dependencyChecks } from '../lib/resources';
import { createProcessMetrics } from '../lib/metrics/registry';
import { holdProcessWorkerId } from '../lib/ids/process-worker-id';
import { createApp } from './app';
import { buildApiServices } from './services';

const log = processLog('api');

async function main(): Promise<void> {
  const config = loadConfig();
  log.logger.level = config.log.level;
  const resources = openResources(config, 'api');
  const workerId = await holdProcessWorkerId(resources.etcd, config.etcd, 'api', log);
  const metrics = createProcessMetrics('api');
  const services = buildApiServices(resources, workerId, metrics.registry, log);
  const app = createApp({ checks: dependencyChecks(resources), metrics, services, config, log });
  const server: Server = app.listen(config.api.port, config.api.host, () => {
    log('info', 'listening', { host: config.api.host, port: config.api.port });
  });
  server.on('error', (err) => {
    log('error', 'cannot listen', { port: config.api.port, error: err.message });
    process.exit(1);
  });
  const shutdown = (signal: string): void => {
    log('info', 'shutting down', { signal });
    services.orderFeed.close(); // ends the live streams, which would keep the server open
    server.close(() => {
      void workerId
        .release()
        .then(() => resources.close())
        .finally(() => exitProcess(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  log('error', err instanceof ConfigError ? err.message : String((err as Error).stack ?? err));
  process.exit(1);
});
