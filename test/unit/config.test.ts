import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PROD_ENV } from '../support/config';
import { loadConfig, envNameFor, ConfigError, CONFIG_DIR } from '../../lib/config';

describe('configuration', () => {
  it('loads dev.yaml by default and prod.yaml when DOOS_ENV=prod, both valid', () => {
    const dev = loadConfig({ env: {} });
    assert.equal(dev.env, 'dev');
    assert.equal(dev.shards.dsns.length, dev.shards.count);
    const prod = loadConfig({ env: PROD_ENV });
    assert.equal(prod.env, 'prod');
    assert.equal(prod.kafka.brokers[0], 'kafka:9092');
  });

  it('refuses to start prod without signing keys of its own, or with a development key', () => {
    assert.throws(() => loadConfig({ env: { DOOS_ENV: 'prod' } }), /auth\.signingKeys/);
    const dev = loadConfig({ env: {} });
    assert.throws(
      () =>
        loadConfig({
          env: {
            ...PROD_ENV,
            DOOS_AUTH_SIGNING_KEYS: dev.auth.signingKeys.join(','),
            DOOS_AUTH_SIGNING_KEY_ID: 'dev-1',
          },
        }),
      /a development key may not sign tokens in prod/,
    );
    assert.throws(
      () => loadConfig({ env: { ...PROD_ENV, DOOS_AUTH_SIGNING_KEY_ID: 'prod-2' } }),
      /no key prod-2 in auth\.signingKeys/,
    );
  });

  it('refuses to start prod without privacy keys of its own, or with a development key', () => {
    const { DOOS_PRIVACY_KEYS: _keys, ...withoutKeys } = PROD_ENV;
    assert.throws(() => loadConfig({ env: withoutKeys }), /privacy\.keys/);
    const dev = loadConfig({ env: {} });
    assert.throws(
      () =>
        loadConfig({
          env: { ...PROD_ENV, DOOS_PRIVACY_KEYS: dev.privacy.keys.join(','), DOOS_PRIVACY_KEY_ID: dev.privacy.keyId },
        }),
      /a development key may not encrypt personal data in prod/,
    );
  });

  it('refuses to start prod without a payment callback secret of its own', () => {
    const { DOOS_PAYMENTS_CALLBACK_SECRET: _secret, ...withoutSecret } = PROD_ENV;
    assert.throws(() => loadConfig({ env: withoutSecret }), /payments\.callbackSecret/);
    assert.throws(
      () =>
        loadConfig({
          env: { ...PROD_ENV, DOOS_PAYMENTS_CALLBACK_SECRET: loadConfig({ env: {} }).payments.callbackSecret },
        }),
      /a development secret/,
    );
  });

  it('refuses to start prod without an alert webhook token of its own', () => {
    const { DOOS_ALERTS_WEBHOOK_TOKEN: _token, ...withoutToken } = PROD_ENV;
    assert.throws(() => loadConfig({ env: withoutToken }), /alerts\.webhookToken/);
    assert.throws(
      () =>
        loadConfig({ env: { ...PROD_ENV, DOOS_ALERTS_WEBHOOK_TOKEN: loadConfig({ env: {} }).alerts.webhookToken } }),
      /a development token/,
    );
  });

  it('names environment variables after the key path', () => {
    assert.equal(envNameFor(['temporal', 'taskQueues', 'orders']), 'DOOS_TEMPORAL_TASK_QUEUES_ORDERS');
    assert.equal(envNameFor(['api', 'port']), 'DOOS_API_PORT');
  });

  it('applies DOOS_* overrides with the type of the key they replace', () => {
    const c = loadConfig({
      env: {
        DOOS_API_PORT: '9001',
        DOOS_KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9094',
        DOOS_TEMPORAL_TASK_QUEUES_ORDERS: 'orders-test',
      },
    });
    assert.equal(c.api.port, 9001);
    assert.deepEqual(c.kafka.brokers, ['127.0.0.1:9092', '127.0.0.1:9094']);
    assert.equal(c.temporal.taskQueues.orders, 'orders-test');
  });

  it('when an override is not a number, start-up fails naming the key and the variable', () => {
    assert.throws(
      () => loadConfig({ env: { DOOS_API_PORT: 'eighty' } }),
      (err: unknown) => err instanceof ConfigError && /api\.port: .*\(from DOOS_API_PORT\)/.test(err.message),
    );
  });

  it('when shards.count disagrees with the DSN list, the error names shards.dsns', () => {
    assert.throws(
      () => loadConfig({ env: { DOOS_SHARDS_COUNT: '3' } }),
      /shards\.dsns: has 2 DSNs but shards\.count is 3/,
    );
  });

  it('rejects unknown keys and malformed DSNs in a file, naming each', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'doos-config-'));
    const file = path.join(dir, 'bad.yaml');
    const text = readFileSync(path.join(CONFIG_DIR, 'dev.yaml'), 'utf8')
      .replace('mysql://doos:doos@127.0.0.1:3308/doos_inventory', 'postgres://x')
      .replace('log:\n', 'colour: blue\nlog:\n');
    writeFileSync(file, text);
    assert.throws(
      () => loadConfig({ file, env: {} }),
      (err: unknown) =>
        err instanceof ConfigError &&
        /inventory\.dsn: expected mysql:\/\//.test(err.message) &&
        /colour/.test(err.message),
    );
  });

  it('a missing file is a ConfigError naming the file', () => {
    assert.throws(
      () => loadConfig({ file: '/nonexistent/doos.yaml', env: {} }),
      /cannot read configuration file \/nonexistent\/doos\.yaml/,
    );
  });
});
