import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { ROUTE_ACCESS, routeKey } from '../../api/access';
import type { Role } from '../../lib/auth/roles';
import { callApi, login, TEST_PASSWORD, type ApiClient } from '../support/accounts';
import { call, newBuyer } from '../support/orders';
import { appOf, servedRoutes } from '../support/served-routes';
import { withStack } from '../support/stack';

/** A concrete URL for a route: every parameter a plausible value of its kind. */
function concrete(path: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => (name === 'shard' ? '0' : name === 'messageId' ? 'x' : '1'));
}

/** The status of a GET, its body left unread (a live stream's body never ends). */
async function statusOf(url: string, token: string): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.status;
}

describe('who may call what: the route × role table, tokens a hostile client forges or replays (real stack)', function () {
  this.timeout(120_000);
  // Data and a namespace of its own: reads of workflows (a backfill's progress) find none, rather than wait for a worker.
  const h = withStack({ worker: false, isolatedData: 'access' });

  it('every served route has a rule; without a token each protected one is 401, each role not in its rule is 403', async () => {
    const routes = servedRoutes(appOf(h.resources, 'access-test')).filter(
      (r) => r.path.startsWith('/v1/') || ['/health', '/ready', '/metrics'].includes(r.path),
    );
    const keys = routes.map((r) => routeKey({ method: r.method.toLowerCase() as 'get', path: r.path }));
    assert.deepEqual(new Set(keys), new Set(Object.keys(ROUTE_ACCESS)), 'the table names exactly the served routes');
    const buyer = await newBuyer(h);
    const as: Record<Role, ApiClient> = { user: buyer, admin: h.admin, ops: h.ops };
    const matrix: string[] = [];
    for (const [i, r] of routes.entries()) {
      const rule = ROUTE_ACCESS[keys[i]!]!;
      const url = concrete(r.path);
      if (rule === 'public') {
        matrix.push(`${keys[i]}: public`);
        continue;
      }
      const anonymous = await call(h, r.method, url, r.method === 'GET' ? undefined : {});
      assert.equal(anonymous.status, 401, `${keys[i]} without a token: ${JSON.stringify(anonymous.body)}`);
      assert.equal(anonymous.body.code, 10002);
      if (rule === 'signed-in') continue;
      for (const role of ['user', 'admin', 'ops'] as const) {
        if (rule.includes(role)) {
          // Allowed: reads are made for real (any answer but 401/403); acts are exercised by their own suites.
          if (r.method === 'GET') {
            const status = await statusOf(`${h.baseUrl}${url}`, as[role].session.accessToken);
            assert.ok(![401, 403].includes(status), `${keys[i]} as ${role}: ${status}`);
          }
          continue;
        }
        const res = await as[role].call(r.method, url, r.method === 'GET' ? undefined : {});
        assert.equal(res.status, 403, `${keys[i]} as ${role}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.code, 10005);
      }
      matrix.push(`${keys[i]}: ${rule.join(', ')}`);
    }
    assert.ok(matrix.length >= 30, matrix.join('\n'));
  });

  it('a tampered, unsigned, foreign-key, unknown-key, expired or wrong-issuer token is 401', async () => {
    const buyer = await newBuyer(h);
    const [header, payload, signature] = buyer.session.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const devKey = h.config.auth.signingKeys[0]!;
    const keyId = devKey.slice(0, devKey.indexOf(':'));
    const secret = new TextEncoder().encode(devKey.slice(devKey.indexOf(':') + 1));
    const sign = (body: Record<string, unknown>, key: Uint8Array, kid = keyId) =>
      new SignJWT(body).setProtectedHeader({ alg: 'HS256', kid }).sign(key);
    const adminClaims = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const forged: [string, string][] = [
      ['payload changed to role admin', `${header}.${adminClaims}.${signature}`],
      ['alg none', `${none}.${adminClaims}.`],
      ['signed with another key', await sign(claims, new TextEncoder().encode('x'.repeat(48)))],
      ['an unknown key id', await sign(claims, secret, 'other-key')],
      ['expired', await sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, secret)],
      ['another issuer', await sign({ ...claims, iss: 'someone-else' }, secret)],
      ['not a JWT', 'abc'],
    ];
    for (const [what, token] of forged) {
      const res = await callApi(h.baseUrl, 'GET', '/v1/orders', undefined, { authorization: `Bearer ${token}` });
      assert.equal(res.status, 401, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 10002, what);
    }
    // The genuine token, signed with the configured key by the test, works: the refusals above are about the forgery.
    const genuine = await sign(claims, secret);
    assert.equal(
      (await callApi(h.baseUrl, 'GET', '/v1/orders', undefined, { authorization: `Bearer ${genuine}` })).status,
      200,
    );
  });

  it('refresh rotates; a refresh token used twice ends the session; logout ends it too', async () => {
    const buyer = await newBuyer(h);
    const first = await callApi(h.baseUrl, 'POST', '/v1/auth/refresh', { refreshToken: buyer.session.refreshToken });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.notEqual(first.body.refreshToken, buyer.session.refreshToken);
    const reused = await callApi(h.baseUrl, 'POST', '/v1/auth/refresh', { refreshToken: buyer.session.refreshToken });
    assert.equal(reused.status, 401);
    // The whole session ended: the rotated refresh token and every access token of it stop working.
    const rotated = await callApi(h.baseUrl, 'POST', '/v1/auth/refresh', { refreshToken: first.body.refreshToken });
    assert.equal(rotated.status, 401);
    for (const token of [buyer.session.accessToken, first.body.accessToken as string]) {
      const res = await callApi(h.baseUrl, 'GET', '/v1/orders', undefined, { authorization: `Bearer ${token}` });
      assert.equal(res.status, 401, JSON.stringify(res.body));
    }

    const again = await login(h.baseUrl, buyer.session.username, TEST_PASSWORD);
    assert.equal((await again.call('GET', '/v1/orders')).status, 200);
    assert.equal((await again.call('POST', '/v1/auth/logout')).status, 204);
    assert.equal((await again.call('GET', '/v1/orders')).status, 401);
    const afterLogout = await callApi(h.baseUrl, 'POST', '/v1/auth/refresh', {
      refreshToken: again.session.refreshToken,
    });
    assert.equal(afterLogout.status, 401);
  });

  it('a wrong password and an unknown user get the same 401; a taken username is 409 / 50001', async () => {
    const buyer = await newBuyer(h);
    const wrong = await call(h, 'POST', '/v1/auth/login', {
      username: buyer.session.username,
      password: 'not it at all',
    });
    const unknown = await call(h, 'POST', '/v1/auth/login', { username: 'nobody-here', password: 'not it at all' });
    assert.deepEqual([wrong.status, wrong.body], [unknown.status, unknown.body]);
    assert.equal(wrong.status, 401);
    const taken = await call(h, 'POST', '/v1/auth/register', {
      username: buyer.session.username,
      password: TEST_PASSWORD,
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 50001);
  });

  it('an admin makes a buyer an operator: the role counts at once, and the act is in the audit log', async () => {
    const buyer = await newBuyer(h);
    assert.equal((await buyer.call('GET', '/v1/admin/outbox')).status, 403);
    const changed = await h.admin.call('PUT', `/v1/admin/users/${buyer.session.userId}/role`, { role: 'ops' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((await buyer.call('GET', '/v1/admin/outbox')).status, 200);
    assert.equal((await buyer.call('GET', '/v1/orders')).status, 403, 'an operator is no buyer');
    const refused = await buyer.call('PUT', `/v1/admin/users/${buyer.session.userId}/role`, { role: 'admin' });
    assert.equal(refused.status, 403, 'an operator cannot raise itself');
    // Nor can an admin change their own role (the last admin could lock the shop out; Schemathesis found it).
    const own = await h.admin.call('PUT', `/v1/admin/users/${h.admin.session.userId}/role`, { role: 'user' });
    assert.equal(own.status, 403, JSON.stringify(own.body));
    assert.equal(own.body.code, 10005);
    assert.equal((await h.admin.call('GET', '/v1/auth/me')).body.role, 'admin');
    const audit = await h.ops.call(
      'GET',
      `/v1/admin/audit?action=${encodeURIComponent('PUT /v1/admin/users/:userId/role')}`,
    );
    const mine = (audit.body.items as { actor: { username: string }; target: string; outcome: number }[]).filter((e) =>
      e.target.includes(buyer.session.userId),
    );
    assert.deepEqual(
      mine.map((e) => [e.actor.username, e.outcome]),
      [
        [buyer.session.username, 403],
        [h.admin.session.username, 200],
      ],
    );
  });
});
