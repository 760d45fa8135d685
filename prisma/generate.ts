/**
 * Generates the Prisma clients of both schemas into generated/. The CLI insists on a schema-engine binary it would
 * download (impossible offline); generation does not use it, so any existing file satisfies the check.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const prismaCli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');

for (const schema of ['shard', 'inventory']) {
  const run = spawnSync(
    process.execPath,
    [prismaCli, 'generate', '--schema', path.join('prisma', schema, 'schema.prisma')],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
    },
  );
  if (run.status !== 0) {
    console.error(`prisma generate failed for prisma/${schema}/schema.prisma (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
}
