/** `doos login|logout|whoami|token`, `doos audit` (admin/ops acts) and `doos role <userId> <role>` (admin). */
import type { AuditEntry } from '../lib/accounts/audit-log';
import { api, table, UsageError, type ApiBase } from './output';
import { bearerToken, login, logout, sessionFile } from './session';

export const ACCOUNT_USAGE = `  doos login <username>                 log in (password from DOOS_PASSWORD or standard input); saves the session
  doos logout                           end the saved session
  doos whoami                           who the commands act as (DOOS_TOKEN, else the saved session)
  doos token                            print the access token (e.g. temporal --codec-auth "Bearer $(doos token)")
  doos audit [--limit N]                the latest admin and operator acts, newest first
  doos role <userId> <user|admin|ops>   set a user's role (admin)`;

export interface AccountOptions {
  limit?: string;
}

export async function accountCommand(
  base: ApiBase,
  area: string,
  args: (string | undefined)[],
  values: AccountOptions,
): Promise<void> {
  if (area === 'login') {
    const username = args[0];
    if (!username) throw new UsageError('doos login needs a username');
    const session = await login(base, username);
    console.log(`logged in as ${username} (${session.role}); session saved in ${sessionFile()}`);
    return;
  }
  if (area === 'logout') {
    await logout(base);
    console.log('logged out');
    return;
  }
  if (area === 'whoami') {
    const me = (await api(base, 'GET', '/v1/auth/me')) as { userId: string; username: string; role: string };
    console.log(`${me.username} (${me.role}), user ${me.userId}`);
    return;
  }
  if (area === 'token') {
    console.log(await bearerToken(base));
    return;
  }
  if (area === 'role') {
    const [userId, role] = args;
    if (!userId || !role) throw new UsageError('doos role needs a user id and a role');
    const user = (await api(base, 'PUT', `/v1/admin/users/${userId}/role`, { role })) as {
      username: string;
      role: string;
    };
    console.log(`${user.username} is now ${user.role}`);
    return;
  }
  // audit
  const pageSize = values.limit ?? '50';
  const { items, total } = (await api(base, 'GET', `/v1/admin/audit?pageSize=${encodeURIComponent(pageSize)}`)) as {
    items: AuditEntry[];
    total: number;
  };
  console.log(
    table([
      ['AT', 'WHO', 'ROLE', 'ACTION', 'TARGET', 'OUTCOME', 'FROM'],
      ...items.map((e) => [
        e.at,
        e.actor.username,
        e.actor.role,
        e.action,
        e.target.slice(0, 60),
        String(e.outcome),
        e.ip,
      ]),
    ]),
  );
  console.log(`${items.length} of ${total} act(s)`);
}
