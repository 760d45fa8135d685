import assert from 'node:assert/strict';
import type { Config } from '../../lib/config';
import { callApi, newAccount, TEST_PASSWORD, uniqueUsername, type JsonResponse, type Json } from '../support/accounts';
import { startApiOnly, type ApiOnly } from '../support/api-only';
import { testConfig, uniqueName } from '../support/config';
import { orderBody, seedSku, stockOf, uniqueId } from '../support/orders';
import { withStack } from '../support/stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Limits of a test's own: counts under a Redis prefix no other run uses, everything generous unless changed. */
function limited(c: Config, change: Partial<Config['rateLimits']>, api: Partial<Config['api']> = {}): Config {
  const generous = { points: 100_000, seconds: 60 };
  return {
    ...c,
    api: { ...c.api, ...api },
    redis: { ...c.redis, keyPrefix: `${uniqueName('doos-rl-test')}:` },
    rateLimits: {
      placeOrder: { perUser: generous, perIp: generous },
      act: { perUser: generous, perIp: generous },
      read: { perUser: generous, perIp: generous },
      register: { perIp: generous },
      login: { perIp: generous },
      loginFailures: {
        perAccount: { ...generous, blockSeconds: 1 },
        perIp: { ...generous, blockSeconds: 1 },
      },
      ...change,
    },
  };
}

/** A 429 as the API documents it: code 10006, a Retry-After of whole seconds, the limit named. */
function assertRateLimited(res: JsonResponse<Json> & { retryAfter: string | null }, limit: string): number {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(res.body.code, 10006);
  assert.equal(res.body.details.limit, limit);
  assert.match(res.retryAfter ?? '', /^[1-9]\d*$/);
  assert.equal(Number(res.retryAfter), res.body.details.retryAfterSeconds);
  return Number(res.retryAfter);
}

/** A JSON call that also returns Retry-After. */
async function send(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<Json> & { retryAfter: string | null }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, retryAfter: res.headers.get('retry-after') };
}

describe('rate limits per user and per address, and the login lockout (real Redis, real orders)', function () {
  this.timeout(120_000);

  describe('placing orders', () => {
    const h = withStack({
      configure: (c) =>
        limited(c, { placeOrder: { perUser: { points: 2, seconds: 3 }, perIp: { points: 100_000, seconds: 60 } } }),
    });

    it('a buyer over its limit gets 429 / 10006 with Retry-After; refused orders reserve nothing; it may order again once the window is over', async () => {
      const sku = await seedSku(h, '5.00', 50);
      const buyer = await newAccount(h.baseUrl, h.resources.sql.accounts);
      const other = await newAccount(h.baseUrl, h.resources.sql.accounts);
      const place = (who: typeof buyer) =>
        send(h.baseUrl, 'POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]), {
          ...who.headers(),
          'idempotency-key': uniqueId(),
        });
      const answers = await Promise.all(Array.from({ length: 5 }, () => place(buyer)));
      assert.deepEqual(
        answers.map((a) => a.status).sort(),
        [201, 201, 429, 429, 429],
        JSON.stringify(answers.map((a) => a.body)),
      );
      const wait = Math.max(
        ...answers.filter((a) => a.status === 429).map((a) => assertRateLimited(a, 'place-order:user')),
      );
      assert.ok(wait <= 3, `Retry-After ${wait} is within the 3 s window`);

      const mine = await buyer.call('GET', '/v1/orders');
      assert.equal(mine.body.total, 2, 'only the orders let through exist');
      const stock = await stockOf(h, sku);
      assert.equal(stock.available + stock.locked, 50);
      assert.equal(stock.locked, 2, 'only they reserved stock');
      assert.equal((await place(other)).status, 201, 'another buyer on the same address has a count of its own');

      await sleep(wait * 1000 + 100);
      assert.equal((await place(buyer)).status, 201, 'after Retry-After the buyer orders again');

      const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
      assert.match(metrics, /rate_limited_total\{[^}]*limit="place-order:user"[^}]*\} 3/);
    });
  });

  describe('accounts, reads and the addresses they come from', () => {
    let api: ApiOnly;
    before(async () => {
      api = await startApiOnly(
        limited(
          testConfig(),
          {
            register: { perIp: { points: 2, seconds: 3600 } },
            read: { perUser: { points: 3, seconds: 60 }, perIp: { points: 100_000, seconds: 60 } },
            loginFailures: {
              perAccount: { points: 3, seconds: 60, blockSeconds: 2 },
              perIp: { points: 6, seconds: 3600, blockSeconds: 3600 },
            },
          },
          { trustProxyHops: 1 },
        ),
        'rate-limit-test',
      );
    });
    after(() => api?.close());

    /** A request as if from `address`, reported by the one trusted proxy in front of the API. */
    const from = (address: string) => ({ 'x-forwarded-for': address });

    it('registering is limited per address: the third account from one address in an hour is 429, another address goes on', async () => {
      const register = (address: string) =>
        send(
          api.baseUrl,
          'POST',
          '/v1/auth/register',
          { username: uniqueUsername(), password: TEST_PASSWORD },
          from(address),
        );
      assert.equal((await register('10.8.0.1')).status, 201);
      assert.equal((await register('10.8.0.1')).status, 201);
      const third = await register('10.8.0.1');
      assertRateLimited(third, 'register:ip');
      assert.ok(third.body.details.retryAfterSeconds > 3000, 'the window is an hour');
      // A client cannot pose as another address: only the hop the trusted proxy appended counts.
      assertRateLimited(await register('1.2.3.4, 10.8.0.1'), 'register:ip');
      assert.equal((await register('10.8.0.2')).status, 201);
    });

    it('failed logins lock the account, in any letter case, even for the right password, until the owner outwaits it', async () => {
      const username = uniqueUsername();
      assert.equal(
        (await send(api.baseUrl, 'POST', '/v1/auth/register', { username, password: TEST_PASSWORD })).status,
        201,
      );
      const login = (name: string, password: string, address = '10.7.0.1') =>
        send(api.baseUrl, 'POST', '/v1/auth/login', { username: name, password }, from(address));
      for (let i = 0; i < 3; i++) assert.equal((await login(username, 'wrong password')).status, 401);
      const locked = await login(username, TEST_PASSWORD);
      const wait = assertRateLimited(locked, 'login-failures:account');
      assert.ok(wait <= 2);
      assertRateLimited(await login(username.toUpperCase(), TEST_PASSWORD, '10.7.0.2'), 'login-failures:account');
      await sleep(wait * 1000 + 100);
      assert.equal((await login(username, TEST_PASSWORD)).status, 200, 'the owner logs in once the lockout is over');
      assert.equal((await login(username, 'wrong password')).status, 401, 'a success ended the run of failures');
    });

    it('failed logins over many accounts lock the address, not the accounts', async () => {
      const address = '10.6.0.1';
      for (let i = 0; i < 6; i++) {
        const res = await send(
          api.baseUrl,
          'POST',
          '/v1/auth/login',
          { username: uniqueUsername(), password: 'guess' },
          from(address),
        );
        assert.equal(res.status, 401);
      }
      const owner = uniqueUsername();
      await send(
        api.baseUrl,
        'POST',
        '/v1/auth/register',
        { username: owner, password: TEST_PASSWORD },
        from('10.6.0.9'),
      );
      assertRateLimited(
        await send(api.baseUrl, 'POST', '/v1/auth/login', { username: owner, password: TEST_PASSWORD }, from(address)),
        'login-failures:ip',
      );
      const elsewhere = await send(
        api.baseUrl,
        'POST',
        '/v1/auth/login',
        { username: owner, password: TEST_PASSWORD },
        from('10.6.0.2'),
      );
      assert.equal(elsewhere.status, 200);
    });

    it('reads are limited per user, whichever address they come from', async () => {
      const buyer = await newAccount(api.baseUrl, api.resources.sql.accounts);
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await send(api.baseUrl, 'GET', '/v1/orders', undefined, { ...buyer.headers(), ...from(`10.5.0.${i}`) }))
            .status,
          200,
        );
      }
      assertRateLimited(
        await send(api.baseUrl, 'GET', '/v1/orders', undefined, { ...buyer.headers(), ...from('10.5.0.9') }),
        'read:user',
      );
      assert.equal((await callApi(api.baseUrl, 'GET', '/health')).status, 200, 'probes are not limited');
    });
  });

  describe('while Redis is down', () => {
    let api: ApiOnly;
    before(async () => {
      const config = limited(testConfig(), {
        read: { perUser: { points: 2, seconds: 60 }, perIp: { points: 2, seconds: 60 } },
        placeOrder: { perUser: { points: 2, seconds: 60 }, perIp: { points: 100_000, seconds: 60 } },
        loginFailures: {
          perAccount: { points: 2, seconds: 60, blockSeconds: 60 },
          perIp: { points: 100, seconds: 3600, blockSeconds: 60 },
        },
      });
      api = await startApiOnly(
        { ...config, redis: { ...config.redis, url: 'redis://127.0.0.1:1/0' } },
        'rate-limit-no-redis',
      );
    });
    after(() => api?.close());

    it('reads are not limited (fail open); order placement and failed logins are limited by the process itself', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await callApi(api.baseUrl, 'GET', '/v1/products')).status, 200);

      const buyer = await newAccount(api.baseUrl, api.resources.sql.accounts);
      // An order this API cannot carry out (no worker polls its queue) is refused at validation, after the limit.
      const bad = () =>
        send(api.baseUrl, 'POST', '/v1/orders', { items: [] }, { ...buyer.headers(), 'idempotency-key': uniqueId() });
      assert.equal((await bad()).status, 400);
      assert.equal((await bad()).status, 400);
      assertRateLimited(await bad(), 'place-order:user');

      const name = buyer.session.username;
      for (let i = 0; i < 2; i++) {
        assert.equal(
          (await callApi(api.baseUrl, 'POST', '/v1/auth/login', { username: name, password: 'wrong' })).status,
          401,
        );
      }
      assertRateLimited(
        await send(api.baseUrl, 'POST', '/v1/auth/login', { username: name, password: TEST_PASSWORD }),
        'login-failures:account',
      );
      const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
      assert.match(metrics, /redis_unavailable_total\{[^}]*operation="rate-limit"[^}]*\} [1-9]/);
    });
  });
});
