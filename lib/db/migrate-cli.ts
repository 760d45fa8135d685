/** `make migrate`: applies pending migrations to every shard, the inventory DB and the accounts DB of the loaded configuration. */
import { loadConfig, ConfigError } from '../config';
import { migrateAll, MigrationError } from './migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  for (const r of await migrateAll(config)) {
    const state = r.applied.length > 0 ? `applied ${r.applied.join(', ')}` : 'up to date';
    console.log(
      `migrate: ${r.target.label}: ${state} (${r.alreadyApplied.length + r.applied.length} migrations in total)`,
    );
  }
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof MigrationError;
  console.error(`migrate: ${known ? (err as Error).message : String((err as Error).stack ?? err)}`);
  process.exit(1);
});
