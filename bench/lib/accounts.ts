/**
 * Accounts for the benchmark and chaos clients, made as a real client makes them: register, then log in; staff get
 * their role in the accounts database in between (the way the first admin of a deployment is made).
 */
import type { Config } from '../../lib/config';
import { createSqlPool } from '../../lib/db/sql-pool';

export interface SignedUp {
  userId: string;
  /** `authorization: Bearer <access token>` */
  headers: Record<string, string>;
}

interface Answer {
  status: number;
  body: unknown;
}

/** Sends one request; a caller may wrap it to retry (chaos clients retry while the API is away). */
export type Sender = (send: () => Promise<Answer>) => Promise<Answer | undefined>;

async function post(base: string, path: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

let users = 0;

export async function signUp(
  base: string,
  sender: Sender = (send) => send(),
  promote?: (userId: string) => Promise<void>,
): Promise<SignedUp> {
  const credentials = { username: `client-${Date.now().toString(36)}-${users++}`, password: 'a client password' };
  const registered = await sender(() => post(base, '/v1/auth/register', credentials));
  if (registered?.status !== 201) throw new Error(`register answered ${JSON.stringify(registered)}`);
  const userId = (registered.body as { userId: string }).userId;
  await promote?.(userId);
  const tokens = await sender(() => post(base, '/v1/auth/login', credentials));
  if (tokens?.status !== 200) throw new Error(`login answered ${JSON.stringify(tokens)}`);
  return { userId, headers: { authorization: `Bearer ${(tokens.body as { accessToken: string }).accessToken}` } };
}

/** A role for an account, set in the accounts database of `config`. */
export function promoteTo(config: Config, role: 'admin' | 'ops'): (userId: string) => Promise<void> {
  return async (userId) => {
    const accounts = createSqlPool(config.accounts.dsn, 1);
    try {
      await accounts.write('UPDATE t_user SET role = ? WHERE id = ?', [role, BigInt(userId)]);
    } finally {
      await accounts.close();
    }
  };
}
