import { silentLog } from '../../lib/log/logger';
import assert from 'node:assert/strict';
import { testConfig } from '../support/config';
import { listen } from '../support/http';
import { withStack } from '../support/stack';
import { createApp } from '../../api/app';
import { buildApiServices } from '../../api/services';
import { openResources, dependencyChecks } from '../../lib/resources';
import { createProcessMetrics } from '../../lib/metrics/registry';
import type { ReadinessReport } from '../../lib/health/dependencies';
import type { Config } from '../../lib/config';
import { appOf, FIXED_WORKER_ID, servedRoutes } from '../support/served-routes';

describe('API operational endpoints on the real stack', () => {
  const api = withStack({ worker: false });

  it('GET /health answers 200 while the process is up', async () => {
    const res = await fetch(`${api.baseUrl}/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
  });

  it('GET /ready answers 200 and lists every dependency as reachable', async () => {
    const res = await fetch(`${api.baseUrl}/ready`);
    const report = (await res.json()) as ReadinessReport;
    assert.equal(res.status, 200, JSON.stringify(report));
    assert.deepEqual(
      report.dependencies.map((d) => [d.name, d.ok]),
      [
        ['mariadb-shard0', true],
        ['mariadb-shard1', true],
        ['mariadb-inventory', true],
        ['mariadb-accounts', true],
        ['redis', true],
        ['etcd', true],
        ['kafka', true],
        ['elasticsearch', true],
        ['temporal', true],
      ],
    );
  });

  /** GET /ready of an API whose configuration points one dependency at a closed port. */
  async function readinessWith(
    change: (config: Config) => Config,
  ): Promise<{ status: number; report: ReadinessReport }> {
    const config = change(testConfig());
    const broken = openResources(config, 'api-test-broken');
    const metrics = createProcessMetrics('api-test-broken');
    const services = buildApiServices(broken, FIXED_WORKER_ID, metrics.registry, silentLog);
    const brokenApi = await listen(
      createApp({ checks: dependencyChecks(broken), metrics, services, config, log: silentLog }),
    );
    try {
      const res = await fetch(`${brokenApi.baseUrl}/ready`);
      return { status: res.status, report: (await res.json()) as ReadinessReport };
    } finally {
      await brokenApi.close();
      broken.redis.disconnect();
      await broken.close();
    }
  }

  it('when Redis is unreachable, GET /ready answers 200 (ready, degraded) naming redis and only redis', async () => {
    const { status, report } = await readinessWith((c) => ({
      ...c,
      redis: { ...c.redis, url: 'redis://127.0.0.1:1/0' },
    }));
    assert.equal(status, 200, 'Redis is a fast path: the API can take orders without it');
    assert.equal(report.ready, true);
    assert.deepEqual(report.degraded, ['redis']);
    assert.deepEqual(
      report.dependencies.filter((d) => !d.ok).map((d) => d.name),
      ['redis'],
    );
    assert.ok(report.dependencies.find((d) => d.name === 'redis')?.error, 'the failing check carries its error');
  });

  it('when Temporal (required: every order goes through a saga) is unreachable, GET /ready answers 503', async () => {
    const { status, report } = await readinessWith((c) => ({
      ...c,
      temporal: { ...c.temporal, address: '127.0.0.1:1' },
    }));
    assert.equal(status, 503);
    assert.equal(report.ready, false);
    assert.deepEqual(
      report.dependencies.filter((d) => !d.ok).map((d) => [d.name, d.required]),
      [['temporal', true]],
    );
    // The connection is closed by now; a client retry still on its timer would throw "Channel has been shut down"
    // as an uncaught error within this wait (it did, in CI).
    await new Promise((resolve) => setTimeout(resolve, 1500));
  });

  it('GET /metrics exposes Prometheus text with the HTTP latency of earlier requests', async () => {
    await fetch(`${api.baseUrl}/health`);
    const res = await fetch(`${api.baseUrl}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    assert.match(text, /http_request_duration_seconds_count\{[^}]*route="\/health"[^}]*status="200"[^}]*\} [1-9]/);
    assert.match(text, /process_resident_memory_bytes\{process="api-test"\}/);
  });

  it('an unknown path is 404 and malformed JSON is 400 code 10001, both in the error body shape', async () => {
    const missing = await fetch(`${api.baseUrl}/v1/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: number }).code, 10001);
    const bad = await fetch(`${api.baseUrl}/v1/nothing-here`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"userId": ',
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { code: 10001, message: 'request body is not valid JSON' });
  });
  it('every answer carries security headers and a request id; CORS only for the configured origins; a body over the limit is 413', async () => {
    const plain = await fetch(`${api.baseUrl}/health`);
    assert.equal(plain.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(plain.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.match(plain.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(plain.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'a request without an id gets one');
    const named = await fetch(`${api.baseUrl}/health`, { headers: { 'x-request-id': 'req-42.a' } });
    assert.equal(named.headers.get('x-request-id'), 'req-42.a', "the caller's id is echoed");
    const offered = 'a b;c'.padEnd(300, 'x');
    const hostile = await fetch(`${api.baseUrl}/health`, { headers: { 'x-request-id': offered } });
    assert.match(
      hostile.headers.get('x-request-id') ?? '',
      /^[0-9a-f-]{36}$/,
      'any other text is replaced by an id of ours',
    );

    const allowed = api.config.api.corsOrigins[0]!;
    const preflight = (origin: string) =>
      fetch(`${api.baseUrl}/v1/orders`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
    const ok = await preflight(allowed);
    assert.equal(ok.headers.get('access-control-allow-origin'), allowed);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /idempotency-key/);
    const foreign = await preflight('https://evil.example');
    assert.equal(foreign.headers.get('access-control-allow-origin'), null, 'another origin is not allowed');

    const huge = await fetch(`${api.baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(300_000) }),
    });
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { code: number }).code, 10001);
  });

  it('/docs serves Swagger UI over the document, and a method a path lacks is 405 naming the ones it has', async () => {
    const page = await fetch(`${api.baseUrl}/docs/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /swagger-ui/i);
    const init = await fetch(`${api.baseUrl}/docs/swagger-initializer.js`);
    assert.match(await init.text(), /url: '\/v1\/openapi\.json'/);
    const wrong = await fetch(`${api.baseUrl}/v1/orders`, { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD, POST');
    assert.equal(((await wrong.json()) as { code: number }).code, 10001);
  });
});

describe('OpenAPI document', () => {
  it('GET /v1/openapi.json describes exactly the routes the app serves, each with its responses', async () => {
    const resources = openResources(testConfig(), 'openapi-test');
    const app = appOf(resources, 'openapi-test');
    const served = new Set(
      servedRoutes(app).map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const running = await listen(app);
    try {
      const res = await fetch(`${running.baseUrl}/v1/openapi.json`);
      assert.equal(res.status, 200);
      const doc = (await res.json()) as {
        openapi: string;
        paths: Record<string, Record<string, { responses: object }>>;
      };
      assert.equal(doc.openapi, '3.0.3');
      const documented = new Set(
        Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)),
      );
      assert.deepEqual([...served].sort(), [...documented].sort());
      for (const [p, ops] of Object.entries(doc.paths)) {
        for (const [m, op] of Object.entries(ops))
          assert.ok(Object.keys(op.responses).length > 0, `${m} ${p} has no responses`);
      }
    } finally {
      await running.close();
      await resources.close();
    }
  });
});
