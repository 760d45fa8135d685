/**
 * Imported first by each process's entry file (api/server.ts, workers/*.ts), for its side effect: tracing starts
 * before express, http and ioredis are loaded, so the instrumentations patch them. The service name comes from the
 * entry file; a configuration that does not load leaves tracing off here and lets the entry file report it.
 */
import path from 'node:path';
import { loadConfig } from '../config';
import { startTracing } from './tracer-provider';

/** Zipkin service names of the processes, by entry file. */
const SERVICES: Record<string, string> = {
  'api/server': 'doos-api',
  'workers/order-worker': 'doos-order-worker',
  'workers/relay-worker': 'doos-relay-worker',
  'workers/cdc-worker': 'doos-cdc-worker',
  'workers/inventory-consumer': 'doos-inventory-consumer',
};

function serviceName(entry: string): string {
  const root = path.resolve(__dirname, '..', '..');
  const key = path.relative(root, entry).replace(/\.[cm]?[jt]s$/, '');
  return SERVICES[key] ?? `doos-${path.basename(key)}`;
}

try {
  startTracing(loadConfig().tracing, serviceName(process.argv[1] ?? 'node'));
} catch {
  // The entry file loads the configuration again and says what is wrong with it.
}
