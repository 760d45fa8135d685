import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRedis } from '../../lib/redis/client';
import { parseMysqlDsn } from '../../lib/db/dsn';
import { payloadsToJson } from '../../lib/privacy/codec-json';
import { personalDataOf } from '../../lib/privacy/personal-data';
import type { ApiClient, Json } from '../support/accounts';
import { newBuyer, orderBody, outboxOf, payOrder, seedSku } from '../support/orders';
import { indexedDocument } from '../support/search';
import { runDoos } from '../support/cli';
import { withStack } from '../support/stack';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');
const temporalCli = path.join(root, 'deployments/native/temporal');
const stackLogs = process.env.DOOS_HOME ? path.join(process.env.DOOS_HOME, 'run/logs') : '/var/cache/doos/run/logs';

describe('personal data: encrypted at rest and in workflow histories, opened only for its owner and the staff', function () {
  this.timeout(180_000);
  const h = withStack({ worker: false });

  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const name = `Privacy ${Math.random().toString(36).slice(2, 10)}`;
  let buyer: ApiClient;
  let order: Json;

  before(async () => {
    await h.workers.start('workers/order-worker.ts', {
      DOOS_TEMPORAL_TASK_QUEUES_ORDERS: h.config.temporal.taskQueues.orders,
      DOOS_METRICS_ORDERS_WORKER_PORT: '19474',
    });
    await h.workers.start('workers/cdc-worker.ts', { DOOS_METRICS_CDC_WORKER_PORT: '19476' });
    const sku = await seedSku(h, '6.60', 10);
    buyer = await newBuyer(h);
    const placed = await buyer.call(
      'POST',
      '/v1/orders',
      orderBody([{ ...sku, quantity: 1 }], {
        shippingAddress: { name, phone, city: 'Hangzhou', detail: `${name} Road 1` },
      }),
    );
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    order = placed.body;
    await payOrder(buyer, order.orderId);
  });

  const secret = (text: string) => text.includes(phone) || text.includes(name);
  /** The text, and every base64 `data` of the payloads in it decoded (as `temporal --output json` prints them). */
  const withPayloads = (json: string) =>
    [
      json,
      ...[...json.matchAll(/"data": ?"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString()),
    ].join('\n');

  it('the owner and the staff read it; a list masks the phone; another buyer reads nothing', async () => {
    const own = await buyer.call('GET', `/v1/orders/${order.orderId}`);
    assert.equal(own.body.shippingAddress.phone, phone);
    assert.equal(own.body.shippingAddress.name, name);
    for (const staff of [h.admin, h.ops]) {
      const seen = await staff.call('GET', `/v1/admin/orders/${order.orderId}`);
      assert.equal(seen.body.shippingAddress.phone, phone);
    }
    const list = await buyer.call('GET', '/v1/orders');
    const listed = list.body.items.find((o: Json) => o.orderId === order.orderId);
    assert.equal(listed.shippingAddress.phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const stranger = await newBuyer(h);
    assert.equal((await stranger.call('GET', `/v1/orders/${order.orderId}`)).status, 404);
  });

  it('the shard row holds it sealed (read with the mariadb client): AES-GCM under a key id', async () => {
    const { host, port, user, password, database } = parseMysqlDsn(h.config.shards.dsns[order.shard]!);
    const { stdout } = await run('mariadb', [
      `-h${host}`,
      `-P${port}`,
      `-u${user}`,
      `-p${password}`,
      database,
      '-N',
      '-e',
      `SELECT shipping_address FROM t_order WHERE id = ${BigInt(order.orderId)}`,
    ]);
    assert.match(stdout.trim(), new RegExp(`^enc:v1:${h.config.privacy.keyId}:[A-Za-z0-9+/=]+$`));
    assert.equal(secret(stdout), false);
  });

  it('the workflow history holds it encrypted; the codec endpoint decodes it for an operator, with the temporal CLI', async () => {
    const show = [
      'workflow',
      'show',
      '--workflow-id',
      `order:${order.orderId}`,
      '--namespace',
      h.config.temporal.namespace,
      '--output',
      'json',
    ];
    const env = { ...process.env, TEMPORAL_ADDRESS: h.config.temporal.address };
    const raw = await run(temporalCli, show, { env, maxBuffer: 16 * 1024 * 1024 });
    assert.match(raw.stdout, /YmluYXJ5L2VuY3J5cHRlZA/, 'payloads are binary/encrypted');
    assert.equal(secret(withPayloads(raw.stdout)), false, 'no personal data in the history, even base64-decoded');

    const codec = `${h.baseUrl}/v1/admin/temporal-codec`;
    const token = (await runDoos(h, 'token')).out.trim(); // the operator's, as `bin/doos token` prints it
    assert.equal(token, h.ops.session.accessToken);
    const decoded = await run(temporalCli, [...show, '--codec-endpoint', codec, '--codec-auth', `Bearer ${token}`], {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    assert.ok(withPayloads(decoded.stdout).includes(phone), 'an operator reads it through the codec endpoint');
  });

  it('the codec endpoint answers operators and admins only, by token or by the Web UI cookie, to the Web UI origin', async () => {
    const history = await h.resources.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: h.config.temporal.namespace,
      execution: { workflowId: `order:${order.orderId}` },
    });
    const input = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const body = { payloads: payloadsToJson(input) };
    const decode = (headers: Record<string, string>) =>
      fetch(`${h.baseUrl}/v1/admin/temporal-codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    assert.equal((await decode({})).status, 401);
    assert.equal((await decode(buyer.headers())).status, 403);
    const byToken = await decode(h.ops.headers());
    assert.equal(byToken.status, 200);
    const text = ((await byToken.json()) as { payloads: { data: string }[] }).payloads
      .map((p) => Buffer.from(p.data, 'base64').toString())
      .join('');
    assert.ok(text.includes(phone));

    const login = (username: string, password: string) =>
      fetch(`${h.baseUrl}/v1/admin/temporal-codec/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
    const refused = await login(buyer.session.username, buyer.session.password);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('set-cookie'), null);
    const session = await login(h.ops.session.username, h.ops.session.password);
    assert.equal(session.status, 200);
    const cookie = session.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^doos_codec=[^;]+;/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/v1\/admin\/temporal-codec/);
    const webUi = new URL(h.config.temporal.webUiUrl).origin;
    const byCookie = await decode({ cookie: cookie.split(';')[0]!, origin: webUi });
    assert.equal(byCookie.status, 200);
    assert.equal(byCookie.headers.get('access-control-allow-origin'), webUi);
    assert.equal(byCookie.headers.get('access-control-allow-credentials'), 'true');
    const page = await fetch(`${h.baseUrl}/v1/admin/temporal-codec/login`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post" action="\/v1\/admin\/temporal-codec\/session">/);
  });

  it('appears nowhere else: not in Redis, Elasticsearch, the outbox (Kafka), metrics or any log', async () => {
    const doc = await indexedDocument(h, order.orderId, (d) => d.status === 'PAID');
    assert.equal(secret(JSON.stringify(doc)), false, 'the search document');
    const hits = await h.resources.search.search({
      index: h.config.elasticsearch.ordersIndex,
      query: { query_string: { query: `"${phone}"` } },
    });
    assert.equal((hits.hits.total as { value: number }).value, 0);

    const redis = createRedis({ redis: { ...h.config.redis, keyPrefix: '' } });
    try {
      let cursor = '0';
      let strings = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          if ((await redis.type(key)) !== 'string') continue;
          strings += 1;
          assert.equal(secret((await redis.get(key)) ?? ''), false, `Redis key ${key}`);
        }
      } while (cursor !== '0');
      assert.ok(strings > 0);
    } finally {
      redis.disconnect();
    }

    for (const row of await outboxOf(h, order.orderId, order.shard)) {
      assert.equal(secret(JSON.stringify(row.payload)), false, `outbox ${row.eventType}`);
    }
    assert.equal(secret(await (await fetch(`${h.baseUrl}/metrics`)).text()), false, 'API metrics');
    const logged = h.workers.output();
    assert.ok(logged.includes('"msg":"polling"'), 'the worker processes logged');
    assert.equal(secret(logged), false, 'worker process logs');
    for (const file of await readdir(stackLogs)) {
      assert.equal(secret(await readFile(path.join(stackLogs, file), 'utf8')), false, `stack log ${file}`);
    }
  });
});

describe('resealing shipping addresses: rows written before encryption, and a key rotation (isolated data)', function () {
  this.timeout(120_000);
  const h = withStack({ worker: false, isolatedData: 'privacy' });
  const newKey = `rot-2:${Buffer.alloc(32, 7).toString('base64')}`;
  const reseal = async (env: Record<string, string>) =>
    (
      await run(process.execPath, ['--import', 'tsx', path.join(root, 'lib/privacy/reseal-cli.ts')], {
        cwd: root,
        env: { ...process.env, DOOS_SHARDS_DSNS: h.config.shards.dsns.join(','), ...env },
      })
    ).stdout;
  const stored = async (id: bigint) =>
    (
      await h.resources.sql.shards[0]!.rows<{ a: string }>('SELECT shipping_address AS a FROM t_order WHERE id = ?', [
        id,
      ])
    )[0]!.a;

  it('seals plain rows, then moves every row to a new key; again changes nothing; the old key alone no longer opens them', async () => {
    const id = 1_000_000_000_000_016n; // shard bits 0
    const address = { name: 'Legacy Lu', phone: '13500001111', detail: 'Old Street 9' };
    await h.resources.sql.shards[0]!.write(
      `INSERT INTO t_order (id, user_id, order_no, total_amount, actual_amount, payment_method, shipping_address)
       VALUES (?, 2, ?, '1.00', '1.00', 'alipay', ?)`,
      [id, `2026112800${id}`, JSON.stringify(address)],
    );
    assert.match(await reseal({}), /shard 0: 1 addresses sealed with key dev-1/);
    assert.match(await stored(id), /^enc:v1:dev-1:/);

    const rotated = { DOOS_PRIVACY_KEYS: `${h.config.privacy.keys.join(',')},${newKey}`, DOOS_PRIVACY_KEY_ID: 'rot-2' };
    assert.match(await reseal(rotated), /shard 0: 1 addresses sealed with key rot-2/);
    assert.match(await reseal(rotated), /shard 0: 0 addresses/);
    const sealed = await stored(id);
    assert.match(sealed, /^enc:v1:rot-2:/);
    assert.deepEqual(personalDataOf({ privacy: { keyId: 'rot-2', keys: [newKey] } }).openAddress(id, sealed), address);
    assert.throws(() => personalDataOf(h.config).openAddress(id, sealed), /no privacy key rot-2/);
    assert.throws(
      () => personalDataOf({ privacy: { keyId: 'rot-2', keys: [newKey] } }).openAddress(id + 16n, sealed),
      /unable to authenticate|Unsupported state/,
      'a sealed address copied onto another order does not open',
    );
  });
});
