import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import { runDoos } from '../support/cli';
import { callApi } from '../support/accounts';
import { startAlerting, type Alerting } from '../support/alerting';
import { eventually, newBuyer, placePaidOrder, seedSku, type Json } from '../support/orders';

const run = promisify(execFile);
const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');
const RELAY_METRICS = 19631;

describe('alerts: Prometheus → Alertmanager → the API webhook, recorded for operators (real servers)', function () {
  this.timeout(720_000);
  const h = withStack();
  let alerting: Alerting | undefined;

  h.onTeardown(async () => {
    await alerting?.stop();
    await run('bash', [stack, 'up', 'kafka']).catch(() => undefined); // whatever happened, leave Kafka running
  });

  const notification = (status: 'firing' | 'resolved', fingerprint: string) => ({
    version: '4',
    status,
    receiver: 'doos-api',
    groupKey: '{}:{alertname="DoosTestAlert"}',
    alerts: [
      {
        status,
        labels: { alertname: 'DoosTestAlert', severity: 'ticket', shard: '0' },
        annotations: { summary: 'a test alert' },
        startsAt: '2026-11-28T10:00:00.000Z',
        endsAt: status === 'resolved' ? '2026-11-28T10:05:00.000Z' : '0001-01-01T00:00:00Z',
        fingerprint,
        generatorURL: 'http://127.0.0.1:9090/graph',
      },
    ],
  });

  it('the webhook takes only Alertmanager’s token; a resolved notification updates the alert it fired', async () => {
    const fingerprint = `f${Date.now().toString(16)}`;
    const body = notification('firing', fingerprint);
    assert.equal((await callApi(h.baseUrl, 'POST', '/v1/alerts/webhook', body)).status, 401);
    const wrong = await callApi(h.baseUrl, 'POST', '/v1/alerts/webhook', body, { authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 10002);
    const asOps = await h.ops.call('POST', '/v1/alerts/webhook', body);
    assert.equal(asOps.status, 401, 'a user token is not the webhook token');
    const bearer = { authorization: `Bearer ${h.config.alerts.webhookToken}` };
    assert.deepEqual((await callApi(h.baseUrl, 'POST', '/v1/alerts/webhook', body, bearer)).body, { recorded: 1 });
    const resolved = notification('resolved', fingerprint);
    assert.equal((await callApi(h.baseUrl, 'POST', '/v1/alerts/webhook', resolved, bearer)).status, 200);

    const { items } = (await h.ops.call('GET', '/v1/admin/alerts?alertname=DoosTestAlert&limit=5')).body;
    const mine = items.filter((a: Json) => a.labels.shard === '0' && a.startsAt === '2026-11-28T10:00:00.000Z');
    assert.ok(mine.length >= 1);
    assert.equal(mine[0].status, 'resolved');
    assert.equal(mine[0].endsAt, '2026-11-28T10:05:00.000Z');
    assert.ok(mine[0].notifications >= 2, 'one row per occurrence, updated by each notification');

    const bad = await callApi(h.baseUrl, 'POST', '/v1/alerts/webhook', { ...body, alerts: 'x' }, bearer);
    assert.equal(bad.status, 400);
    const buyer = await newBuyer(h);
    assert.equal((await buyer.call('GET', '/v1/admin/alerts')).status, 403);
  });

  it('Kafka stopped: DoosOutboxKafkaUnreachable fires and reaches the API, then resolves once Kafka is back', async () => {
    await h.workers.start('workers/relay-worker.ts', { DOOS_METRICS_RELAY_WORKER_PORT: String(RELAY_METRICS) });
    alerting = await startAlerting({
      scrape: [`127.0.0.1:${RELAY_METRICS}`],
      webhookUrl: `${h.baseUrl}/v1/alerts/webhook`,
      webhookToken: h.config.alerts.webhookToken,
      prometheusPort: 19632,
      alertmanagerPort: 19633,
    });
    const sku = await seedSku(h, '2.00', 10);
    const startedAt = Date.now();
    await run('bash', [stack, 'down', 'kafka']);
    await placePaidOrder(h, sku); // its rows wait in the shard
    const ours = async (status: string): Promise<Json> => {
      const { items } = (
        await h.ops.call('GET', `/v1/admin/alerts?alertname=DoosOutboxKafkaUnreachable&status=${status}&limit=20`)
      ).body;
      return items.find((a: Json) => Date.parse(a.startsAt) >= startedAt - 5000);
    };
    // The relay finds the broker unreachable once its producer gives up (up to two minutes on a busy machine), then
    // the rule waits 30 s and Alertmanager 10 s.
    const firing = await eventually(
      () => ours('firing'),
      (a) => a !== undefined,
      300_000,
    );
    assert.ok(
      firing,
      `the alert reached the API while Kafka was down; what the servers saw:\n${await alerting.diagnose()}`,
    );
    assert.equal(firing.severity, 'page');
    assert.match(firing.summary, /cannot reach Kafka/);
    const listed = await runDoos(h, 'alerts', '--status', 'firing');
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /firing +DoosOutboxKafkaUnreachable +page/);

    await run('bash', [stack, 'up', 'kafka']);
    const resolved = await eventually(
      () => ours('resolved'),
      (a) => a !== undefined,
      300_000,
    );
    assert.ok(resolved, `and its resolution once Kafka was back; what the servers saw:\n${await alerting.diagnose()}`);
    assert.ok(resolved.endsAt, 'with the time it ended');
  });
});
