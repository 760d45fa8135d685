/** The relay worker: one outboxRelay per shard, publishing every shard's outbox to Kafka (workers/worker-definitions.ts). */
import '../lib/telemetry/register'; // first: tracing patches http and ioredis before they load
import { runWorkerMain } from '../lib/process/run-worker';
import { relayWorker } from './worker-definitions';

runWorkerMain(relayWorker);
