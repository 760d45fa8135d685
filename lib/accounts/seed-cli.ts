/**
 * `make up` (dev): creates the accounts of auth.seedUsers that do not exist yet (`<username>:<password>:<role>`),
 * so a fresh machine has an admin and an operator to log in as. Existing accounts are left as they are.
 */
import { loadConfig, ConfigError } from '../config';
import { hashPassword } from '../auth/passwords';
import { isRole } from '../auth/roles';
import { createEtcd } from '../etcd/client';
import { createSqlPool } from '../db/sql-pool';
import { UserIdGenerator } from '../ids/user-id';
import { holdProcessWorkerId } from '../ids/process-worker-id';
import { silentLog } from '../log/logger';
import { AccountStore, UsernameTaken } from './account-store';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createSqlPool(config.accounts.dsn, 2);
  const etcd = createEtcd(config);
  const workerId = await holdProcessWorkerId(etcd, config.etcd, 'seed-users', silentLog);
  try {
    const store = new AccountStore(db, config.auth.refreshTokenSeconds);
    const ids = new UserIdGenerator(workerId);
    for (const entry of config.auth.seedUsers) {
      const [username, password, role] = entry.split(':') as [string, string, string];
      if (!isRole(role)) continue;
      if (await store.userByName(username)) {
        console.log(`seed-users: ${username} exists`);
        continue;
      }
      const passwordHash = await hashPassword(password, config.auth.passwordCostLog2);
      await store.createUser({ userId: ids.next(), username, passwordHash, role }).catch((err: unknown) => {
        if (!(err instanceof UsernameTaken)) throw err;
      });
      console.log(`seed-users: created ${username} (${role})`);
    }
  } finally {
    await workerId.release();
    etcd.close();
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(`seed-users: ${err instanceof ConfigError ? err.message : String((err as Error).stack ?? err)}`);
  process.exit(1);
});
