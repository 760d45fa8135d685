/** The order worker: runs orderSaga and its activities (workers/worker-definitions.ts). */
import '../lib/telemetry/register'; // first: tracing patches http and ioredis before they load
import { runWorkerMain } from '../lib/process/run-worker';
import { orderWorker } from './worker-definitions';

runWorkerMain(orderWorker);
