/**
 * A Prometheus and an Alertmanager of a test's own (the stack's binaries, on ports of the test's): Prometheus scrapes
 * the test's worker processes and evaluates the repository's alert rules (deployments/prometheus-rules.yml) every
 * 2 s; Alertmanager is configured by the native stack's own template (deployments/native/alertmanager.yml, rendered
 * by lib/alertmanager.sh) to deliver to the test's API. Both stop when the test's teardown calls `stop`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '..', '..');
const native = path.join(root, 'deployments', 'native');

export interface Alerting {
  /** What Prometheus and Alertmanager hold now (for a failing test's message). */
  diagnose(): Promise<string>;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, what: string, log: () => string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited:\n${log()}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not ready:\n${log()}`);
}

function start(command: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  return { child, log: () => log.slice(-4000) };
}

export async function startAlerting(options: {
  /** host:port of each /metrics the test's processes serve. */
  scrape: string[];
  webhookUrl: string;
  webhookToken: string;
  prometheusPort: number;
  alertmanagerPort: number;
}): Promise<Alerting> {
  const dir = mkdtempSync(path.join(tmpdir(), 'doos-alerting-'));
  const { stdout } = await promisify(execFile)('bash', [
    '-c',
    `NATIVE_DIR='${native}'; source "$NATIVE_DIR/lib/env.sh"; source "$NATIVE_DIR/lib/common.sh"; ` +
      `source "$NATIVE_DIR/lib/alertmanager.sh"; alertmanager_config "$1" "$2" "$3"`,
    'alertmanager-config',
    path.join(dir, 'alertmanager'),
    options.webhookUrl,
    options.webhookToken,
  ]);
  const alertmanagerConfig = stdout.trim();
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 2s, evaluation_interval: 2s }',
      `rule_files: ['${path.join(root, 'deployments', 'prometheus-rules.yml')}']`,
      `alerting: { alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:${options.alertmanagerPort}'] }] }] }`,
      `scrape_configs: [{ job_name: test, static_configs: [{ targets: ${JSON.stringify(options.scrape)} }] }]`,
    ].join('\n'),
  );
  const alertmanager = start('prometheus-alertmanager', [
    `--config.file=${alertmanagerConfig}`,
    `--storage.path=${path.join(dir, 'alertmanager', 'data')}`,
    `--web.listen-address=127.0.0.1:${options.alertmanagerPort}`,
    '--cluster.listen-address=',
  ]);
  const prometheus = start('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
    `--web.listen-address=127.0.0.1:${options.prometheusPort}`,
  ]);
  const stop = async (): Promise<void> => {
    for (const { child } of [prometheus, alertmanager]) {
      if (child.exitCode !== null) continue;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
  };
  try {
    await waitReady(
      `http://127.0.0.1:${options.alertmanagerPort}/-/ready`,
      alertmanager.child,
      'alertmanager',
      alertmanager.log,
    );
    await waitReady(
      `http://127.0.0.1:${options.prometheusPort}/-/ready`,
      prometheus.child,
      'prometheus',
      prometheus.log,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const get = (url: string): Promise<string> =>
    fetch(url).then(
      (r) => r.text(),
      (err: unknown) => String(err),
    );
  const diagnose = async (): Promise<string> =>
    [
      `targets: ${await get(`http://127.0.0.1:${options.prometheusPort}/api/v1/targets?state=active`)}`,
      `failures: ${await get(`http://127.0.0.1:${options.prometheusPort}/api/v1/query?query=outbox_publish_failures_total`)}`,
      `prometheus alerts: ${await get(`http://127.0.0.1:${options.prometheusPort}/api/v1/alerts`)}`,
      `alertmanager alerts: ${await get(`http://127.0.0.1:${options.alertmanagerPort}/api/v2/alerts`)}`,
      `alertmanager log: ${alertmanager.log()}`,
    ].join('\n');
  return { stop, diagnose };
}
