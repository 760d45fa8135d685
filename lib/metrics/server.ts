/** A bare HTTP server for a worker process's /metrics and /health (the API serves its own through Express). */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** What /health answers: 200 when ok, 503 otherwise, with the body as JSON. */
export interface HealthReport {
  ok: boolean;
  body: Record<string, unknown>;
}

/** The process answers: /health is 200 `{"status":"ok"}` unless the process has a check of its own. */
const processUp = (): Promise<HealthReport> => Promise.resolve({ ok: true, body: { status: 'ok' } });

export function serveMetrics(
  registry: Registry,
  host: string,
  port: number,
  health: () => Promise<HealthReport> = processUp,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics' && req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    if (req.url === '/health') {
      health().then(
        (report) =>
          res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report.body)),
        (err: Error) => res.writeHead(503).end(JSON.stringify({ status: 'error', error: err.message })),
      );
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
