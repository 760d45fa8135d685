/** The order worker: runs orderSaga and its activities (workers/worker-definitions.ts). */
import { runWorkerMain } from '../lib/process/run-worker';
import { orderWorker } from './worker-definitions';

runWorkerMain(orderWorker);
