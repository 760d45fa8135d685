/** The CDC worker: one cdcIndexer per shard and the backfills, indexing the binlog into Elasticsearch (workers/worker-definitions.ts). */
import '../lib/telemetry/register'; // first: tracing patches http and ioredis before they load
import { runWorkerMain } from '../lib/process/run-worker';
import { cdcWorker } from './worker-definitions';

runWorkerMain(cdcWorker);
