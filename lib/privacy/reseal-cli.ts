/**
 * `npx tsx lib/privacy/reseal-cli.ts`: seals every shipping address still in plain text (rows written before
 * encryption) or under an old key (after `privacy.keyId` moved to a new key) with the current key, shard by shard.
 * Safe to run again at any time; prints what it changed. Run it before dropping an old key from `privacy.keys`.
 */
import { ConfigError, loadConfig } from '../config';
import { createSqlPool } from '../db/sql-pool';
import { personalDataOf } from './personal-data';
import { resealShard } from './reseal';

async function main(): Promise<void> {
  const config = loadConfig();
  const personal = personalDataOf(config);
  for (const [shard, dsn] of config.shards.dsns.entries()) {
    const db = createSqlPool(dsn, 2);
    try {
      const { resealed } = await resealShard(db, shard, personal, config.privacy.keyId);
      console.log(`reseal: shard ${shard}: ${resealed} addresses sealed with key ${config.privacy.keyId}`);
    } finally {
      await db.close();
    }
  }
}

main().catch((err: unknown) => {
  console.error(`reseal: ${err instanceof ConfigError ? err.message : String((err as Error).stack ?? err)}`);
  process.exit(1);
});
