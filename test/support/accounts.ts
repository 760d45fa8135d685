/**
 * Accounts for tests, used as a real client uses the API: register and log in over HTTP, then call with the bearer
 * token. Staff accounts (admin, ops) are registered the same way and given their role in the accounts database (the
 * way an operator bootstraps the first admin; the role-change route is tested on its own).
 */
import type { Role } from '../../lib/auth/roles';
import type { SqlPool } from '../../lib/db/sql-pool';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

/** Any JSON body the API returns; tests read the fields they check. */
export type Json = any;

export interface Session {
  userId: string;
  username: string;
  password: string;
  role: Role;
  accessToken: string;
  refreshToken: string;
}

/** A signed-in client of the API. */
export interface ApiClient {
  session: Session;
  /** `Authorization: Bearer <access token>` */
  headers(): Record<string, string>;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonResponse<Json>>;
}

/** A JSON call to the API at `baseUrl` (anonymous unless `headers` carry a token). */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<Json>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let counter = 0;
/** A username no other run uses. */
export function uniqueUsername(prefix = 'buyer'): string {
  counter = (counter + 1) % 100_000;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`.slice(0, 32);
}

export const TEST_PASSWORD = 'a long test password';

function expect(res: JsonResponse<Json>, status: number, what: string): Json {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Logs in and returns a client with the session's tokens. */
export async function login(baseUrl: string, username: string, password: string): Promise<ApiClient> {
  const body = expect(await callApi(baseUrl, 'POST', '/v1/auth/login', { username, password }), 200, 'login');
  const session: Session = {
    userId: body.user.userId,
    username,
    password,
    role: body.user.role,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
  };
  const headers = (): Record<string, string> => ({ authorization: `Bearer ${session.accessToken}` });
  return {
    session,
    headers,
    call: (method, path, payload, extra = {}) => callApi(baseUrl, method, path, payload, { ...headers(), ...extra }),
  };
}

export interface AccountOptions {
  role?: Role;
  /** A buyer whose orders live on this shard (user id % shards). */
  shard?: { index: number; count: number };
}

/**
 * Registers an account over the API and logs it in. A staff role is set in the accounts database before logging in;
 * a shard is found by registering until the user id lands on it.
 */
export async function newAccount(baseUrl: string, accounts: SqlPool, options: AccountOptions = {}): Promise<ApiClient> {
  for (;;) {
    const username = uniqueUsername(options.role && options.role !== 'user' ? options.role : 'buyer');
    const registered = expect(
      await callApi(baseUrl, 'POST', '/v1/auth/register', { username, password: TEST_PASSWORD }),
      201,
      'register',
    );
    const userId = BigInt(registered.userId as string);
    if (options.shard && Number(userId % BigInt(options.shard.count)) !== options.shard.index) continue;
    if (options.role && options.role !== 'user') {
      await accounts.write('UPDATE t_user SET role = ? WHERE id = ?', [options.role, userId]);
    }
    return login(baseUrl, username, TEST_PASSWORD);
  }
}
