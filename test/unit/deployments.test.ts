import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { PROD_ENV } from '../support/config';
import { loadConfig, envNameFor } from '../../lib/config';
import { parseMysqlDsn } from '../../lib/db/dsn';

const root = path.resolve(__dirname, '..', '..');
const read = (p: string): string => readFileSync(path.join(root, p), 'utf8');

function stackEnv(): Record<string, string> {
  return Object.fromEntries(
    read('deployments/native/stack.env')
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => l.split('=') as [string, string]),
  );
}

const portOf = (url: string): number => Number(new URL(url.includes('://') ? url : `tcp://${url}`).port);

/** Every leaf key path of a config object, for env-variable names. */
function leafPaths(node: unknown, prefix: string[] = []): string[][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

describe('deployment files agree with the configuration', () => {
  const env = stackEnv();
  const dev = loadConfig({ env: {} });
  const prod = loadConfig({ env: PROD_ENV });

  it("Alertmanager presents the API's development webhook token, and Prometheus sends to its port", () => {
    assert.equal(env.DOOS_ALERTS_WEBHOOK_TOKEN, dev.alerts.webhookToken);
    const prometheus = parseYaml(read('deployments/native/prometheus.yml')) as {
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    assert.deepEqual(prometheus.alerting.alertmanagers[0]?.static_configs[0]?.targets, [
      `127.0.0.1:${env.DOOS_ALERTMANAGER_PORT}`,
    ]);
  });

  it('config/dev.yaml uses the native stack ports of deployments/native/stack.env', () => {
    assert.deepEqual(
      {
        api: dev.api.port,
        shard0: parseMysqlDsn(dev.shards.dsns[0] ?? '').port,
        shard1: parseMysqlDsn(dev.shards.dsns[1] ?? '').port,
        inventory: parseMysqlDsn(dev.inventory.dsn).port,
        redis: portOf(dev.redis.url),
        etcd: portOf(dev.etcd.endpoints[0] ?? ''),
        kafka: portOf(dev.kafka.brokers[0] ?? ''),
        es: portOf(dev.elasticsearch.node),
        temporal: portOf(dev.temporal.address),
        temporalUi: portOf(dev.temporal.webUiUrl),
        ordersWorker: dev.metrics.ordersWorkerPort,
        relayWorker: dev.metrics.relayWorkerPort,
        cdcWorker: dev.metrics.cdcWorkerPort,
        consumer: dev.metrics.consumerPort,
      },
      {
        api: Number(env.DOOS_API_PORT),
        shard0: Number(env.DOOS_SHARD0_PORT),
        shard1: Number(env.DOOS_SHARD1_PORT),
        inventory: Number(env.DOOS_INVENTORY_PORT),
        redis: Number(env.DOOS_REDIS_PORT),
        etcd: Number(env.DOOS_ETCD_PORT),
        kafka: Number(env.DOOS_KAFKA_PORT),
        es: Number(env.DOOS_ES_PORT),
        temporal: Number(env.DOOS_TEMPORAL_PORT),
        temporalUi: Number(env.DOOS_TEMPORAL_UI_PORT),
        ordersWorker: Number(env.DOOS_METRICS_ORDERS_WORKER_PORT),
        relayWorker: Number(env.DOOS_METRICS_RELAY_WORKER_PORT),
        cdcWorker: Number(env.DOOS_METRICS_CDC_WORKER_PORT),
        consumer: Number(env.DOOS_METRICS_CONSUMER_PORT),
      },
    );
  });

  it('docker-compose.yml publishes the same host ports and versions as the native stack', () => {
    const compose = parseYaml(read('deployments/docker-compose.yml'), { merge: true }) as {
      services: Record<string, { ports?: string[]; image?: string }>;
    };
    const published = (service: string): number[] =>
      (compose.services[service]?.ports ?? []).map((p) => Number(String(p).split(':')[0]));
    assert.deepEqual(published('mysql-shard0'), [Number(env.DOOS_SHARD0_PORT)]);
    assert.deepEqual(published('mysql-shard1'), [Number(env.DOOS_SHARD1_PORT)]);
    assert.deepEqual(published('mysql-inventory'), [Number(env.DOOS_INVENTORY_PORT)]);
    assert.deepEqual(published('redis'), [Number(env.DOOS_REDIS_PORT)]);
    assert.deepEqual(published('etcd'), [Number(env.DOOS_ETCD_PORT)]);
    assert.deepEqual(published('kafka'), [Number(env.DOOS_KAFKA_PORT)]);
    assert.deepEqual(published('elasticsearch'), [Number(env.DOOS_ES_PORT)]);
    assert.deepEqual(published('temporal'), [Number(env.DOOS_TEMPORAL_PORT), Number(env.DOOS_TEMPORAL_UI_PORT)]);
    assert.deepEqual(published('prometheus'), [Number(env.DOOS_PROMETHEUS_PORT)]);
    assert.deepEqual(published('api'), [Number(env.DOOS_API_PORT)]);
    assert.deepEqual(published('alertmanager'), [Number(env.DOOS_ALERTMANAGER_PORT)]);
    assert.deepEqual(published('zipkin'), [Number(env.DOOS_ZIPKIN_PORT)]);
    assert.equal(compose.services.zipkin?.image, `openzipkin/zipkin:${env.ZIPKIN_VERSION}`);
    assert.equal(compose.services.kafka?.image, `apache/kafka:${env.KAFKA_VERSION}`);
    assert.equal(compose.services.elasticsearch?.image, `elasticsearch:${env.ES_VERSION}`);
    assert.equal(compose.services.temporal?.image, `temporalio/temporal:${env.TEMPORAL_CLI_VERSION}`);
    for (const name of ['kibana', 'grafana', 'migrate']) assert.ok(compose.services[name], `compose lacks ${name}`);
  });

  it('config/prod.yaml reaches the compose services by their names', () => {
    const compose = parseYaml(read('deployments/docker-compose.yml'), { merge: true }) as { services: object };
    const services = new Set(Object.keys(compose.services));
    const hosts = [
      ...prod.shards.dsns.map((d) => parseMysqlDsn(d).host),
      parseMysqlDsn(prod.inventory.dsn).host,
      new URL(prod.redis.url).hostname,
      new URL(prod.elasticsearch.node).hostname,
      new URL(prod.temporal.webUiUrl).hostname,
      ...prod.etcd.endpoints.map((e) => new URL(e).hostname),
      ...prod.kafka.brokers.map((b) => b.split(':')[0]),
      prod.temporal.address.split(':')[0],
      new URL(prod.tracing.zipkinUrl).hostname,
    ];
    for (const host of hosts)
      assert.ok(services.has(host ?? ''), `prod.yaml names ${host}, which compose does not define`);
  });

  it('the native and compose Prometheus files scrape the same jobs', () => {
    const jobs = (p: string): string[] =>
      (parseYaml(read(p)) as { scrape_configs: { job_name: string }[] }).scrape_configs.map((j) => j.job_name).sort();
    assert.deepEqual(jobs('deployments/native/prometheus.yml'), jobs('deployments/prometheus.yml'));
  });

  describe('alert rules and the Grafana dashboard name metrics that exist', () => {
    const code = ['lib', 'workers', 'api', 'activities']
      .flatMap((dir) =>
        readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => `${dir}/${f}`),
      )
      .filter((f) => f.endsWith('.ts'))
      .map(read)
      .join('\n');
    const registered = new Set([...code.matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1]));
    /** Prometheus' own `up`, and Node's default metrics (prom-client collectDefaultMetrics). */
    const builtIn = (m: string): boolean => m === 'up' || m.startsWith('process_') || m.startsWith('nodejs_');

    /** The metric names of a PromQL expression (histogram and summary series by their base name). */
    function metricsIn(expr: string): string[] {
      // Identifiers that are not function calls, once label matchers, ranges and grouping are out of the way.
      const identifiers =
        expr.replace(/\{[^}]*\}|\[[^\]]*\]|by \([^)]*\)/g, ' ').match(/\b[a-z_][a-z0-9_]*\b(?!\s*\()/g) ?? [];
      return identifiers
        .filter((m) => !['and', 'or', 'unless', 'on', 'ignoring'].includes(m)) // PromQL's set operators
        .map((m) => m.replace(/_(bucket|count|sum)$/, ''));
    }

    function assertKnown(where: string, expr: string): void {
      const metrics = metricsIn(expr);
      assert.ok(metrics.length > 0, `${where}: no metric found in ${expr}`);
      for (const m of metrics) assert.ok(builtIn(m) || registered.has(m), `${where}: ${m} is registered nowhere`);
    }

    it('every alert rule', () => {
      const rules = parseYaml(read('deployments/prometheus-rules.yml')) as {
        groups: { rules: { alert: string; expr: string }[] }[];
      };
      const all = rules.groups.flatMap((g) => g.rules);
      assert.ok(all.length >= 11);
      for (const { alert, expr } of all) assertKnown(alert, expr);
    });

    it('every Grafana panel', () => {
      const dashboard = JSON.parse(read('deployments/grafana/dashboards/doos-overview.json')) as {
        panels: { title: string; targets: { expr: string }[] }[];
      };
      assert.ok(dashboard.panels.length >= 8);
      for (const panel of dashboard.panels) for (const t of panel.targets) assertKnown(panel.title, t.expr);
    });
  });

  it('every Kubernetes manifest is valid YAML and its DOOS_* variables name real configuration keys', () => {
    const known = new Set(['DOOS_ENV', ...leafPaths(prod).map((p) => envNameFor(p))]);
    const dir = path.join(root, 'deployments', 'k8s');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 4);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors, [], `${file}: ${String(doc.errors[0])}`);
      for (const name of text.match(/DOOS_[A-Z0-9_]+/g) ?? [])
        assert.ok(known.has(name), `${file}: ${name} is no config key`);
    }
    const readme = read('deployments/k8s/README.md');
    for (const name of readme.match(/DOOS_[A-Z0-9_]+/g) ?? []) assert.ok(known.has(name), `k8s README: ${name}`);
  });
});
