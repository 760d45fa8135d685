/** The API process: loads the configuration, opens its clients, serves HTTP, shuts down cleanly on SIGTERM/SIGINT. */
import type { Server } from 'node:http';
import { loadConfig, ConfigError } from '../lib/config';
import { openResources, dependencyChecks } from '../lib/resources';
import { createProcessMetrics } from '../lib/metrics/registry';
import { createApp } from './app';

function log(level: string, msg: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), level, process: 'api', msg, ...fields }));
}

function main(): void {
  const config = loadConfig();
  const resources = openResources(config, 'api');
  const app = createApp({ checks: dependencyChecks(resources), metrics: createProcessMetrics('api') });
  const server: Server = app.listen(config.api.port, config.api.host, () => {
    log('info', 'listening', { host: config.api.host, port: config.api.port });
  });
  server.on('error', (err) => {
    log('error', 'cannot listen', { port: config.api.port, error: err.message });
    process.exit(1);
  });
  const shutdown = (signal: string): void => {
    log('info', 'shutting down', { signal });
    server.close(() => {
      void resources.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

try {
  main();
} catch (err) {
  log('error', err instanceof ConfigError ? err.message : String((err as Error).stack ?? err));
  process.exit(1);
}
