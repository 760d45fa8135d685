/** Worker process of the baseline workflow (task queue from BENCH_TASK_QUEUE; /health on BENCH_HEALTH_PORT). */
import { temporalDataConverter } from '../lib/privacy/payload-codec';
import { createServer } from 'node:http';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { createWorkerConnection } from '../lib/temporal/connection';
import * as activities from './baseline-activities';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await createWorkerConnection(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: temporalDataConverter(config),
    taskQueue: process.env.BENCH_TASK_QUEUE ?? 'bench-baseline',
    workflowsPath: require.resolve('./baseline-workflow'),
    activities,
  });
  const health = createServer((_req, res) => res.writeHead(200).end('ok')).listen(
    Number(process.env.BENCH_HEALTH_PORT),
    '127.0.0.1',
  );
  await worker.run();
  health.close();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
