/**
 * One way to describe and run a Temporal worker process: a WorkerDefinition says which clients it needs, which
 * workflows it runs (by contract, from one bundle module), what it prepares at boot, which activities it builds, and
 * which per-shard workflows it keeps running. runWorkerMain does the rest the same way for every worker.
 */
import { temporalDataConverter } from '../privacy/payload-codec';
import { DefaultLogger, Runtime, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Workflow } from '@temporalio/common';
import type { Registry } from 'prom-client';
import { loadConfig, type Config } from '../config';
import { createProcessMetrics } from '../metrics/registry';
import { serveMetrics } from '../metrics/server';
import { openResources, type ClientName, type Opened } from '../resources';
import { createWorkerConnection } from '../temporal/connection';
import { activityLogInterceptors } from '../temporal/activity-log';
import { retryReportInterceptors } from '../temporal/retry-report';
import { processTracing } from '../telemetry/tracer-provider';
import { configureWorkflowThreads } from '../temporal/workflow-threads';
import { activityTracing } from '../telemetry/temporal-tracing';
import { withPermanentDataFailures } from '../temporal/permanent-failures';
import { startPerShardWorkflows, type PerShardWorkflow } from '../temporal/per-shard-workflows';
import type { TaskQueueRole, WorkflowContract } from '../temporal/workflow-contract';
import { processLog, runMain } from './entry-point';
import type { Log, LogLevel, ProcessLog } from '../log/logger';

/** What a worker's boot steps and activity factory get. */
export interface WorkerContext<K extends ClientName> {
  config: Config;
  resources: Opened<K>;
  registry: Registry;
  log: Log;
  /** Registers a close step (a producer to disconnect…) run after the worker drained, before the clients close. */
  onClose: (step: () => Promise<void>) => void;
}

export interface WorkerDefinition<K extends ClientName> {
  /** Process name: logs, metrics label, Kafka client id. */
  name: string;
  taskQueue: TaskQueueRole;
  /** The contracts of the workflows this worker runs; its bundle exports each under its workflowType. */
  workflows: readonly WorkflowContract<Workflow, never>[];
  /** require.resolve() of the bundle module (workflows/*-workflows.ts). */
  workflowsPath: string;
  /** The clients it opens; no others. */
  needs: readonly K[];
  metricsPort(config: Config): number;
  /** Boot steps before any workflow starts (topics, index, checkpoints). */
  prepare?(ctx: WorkerContext<K>): Promise<void>;
  activities(ctx: WorkerContext<K>): object | Promise<object>;
  /** Long-running workflows kept running, one per shard (started idempotently at boot). */
  perShard?: readonly PerShardWorkflow[];
  /** Extra fields of the `polling` log line. */
  details?(config: Config): Record<string, unknown>;
}

/** The activities a worker registers: the definition's, with database refusals no retry can fix made final. */
export async function workerActivities<K extends ClientName>(
  def: WorkerDefinition<K>,
  ctx: WorkerContext<K>,
): Promise<object> {
  return withPermanentDataFailures(await def.activities(ctx));
}

/**
 * The options of a worker of this definition, in a process of its own or in a test's: its namespace, task queue,
 * data converter (payload encryption), workflows and activities, and the interceptors that put the order and
 * correlation id on every workflow and activity log line and report an order saga's failing activities to it.
 */
export function workerOptions<K extends ClientName>(
  def: WorkerDefinition<K>,
  config: Config,
  connection: NativeConnection,
  activities: object,
): WorkerOptions {
  configureWorkflowThreads(config.temporal.workflowStackTraces);
  return {
    connection,
    namespace: config.temporal.namespace,
    dataConverter: temporalDataConverter(config),
    taskQueue: config.temporal.taskQueues[def.taskQueue],
    workflowsPath: def.workflowsPath,
    activities,
    interceptors: {
      activity: [
        ...activityTracing(processTracing()),
        activityLogInterceptors,
        retryReportInterceptors(config.order.stuck.attempts),
      ],
      workflowModules: [require.resolve('../../workflows/correlation-interceptors')],
    },
  };
}

/**
 * Runs a worker definition as a process: opens its clients, prepares, starts its per-shard workflows, creates the
 * worker, serves /metrics and /health (once the worker exists, so /health answering means it is about to poll), logs
 * `polling`, runs until SIGTERM/SIGINT (the SDK's shutdown signals) has drained it, then closes everything.
 */
export async function runWorkerProcess<K extends ClientName>(def: WorkerDefinition<K>, log: ProcessLog): Promise<void> {
  const config = loadConfig();
  log.logger.level = config.log.level;
  routeTemporalLogs(log, config.log.level);
  const resources = openResources(config, def.name, def.needs);
  const closeSteps: (() => Promise<void>)[] = [];
  const { registry } = createProcessMetrics(def.name);
  const ctx: WorkerContext<K> = { config, resources, registry, log, onClose: (step) => closeSteps.push(step) };
  try {
    await def.prepare?.(ctx);
    if (def.perShard?.length) {
      const temporal = (resources as Partial<Opened<'temporal'>>).temporal;
      if (!temporal) throw new Error(`${def.name} keeps per-shard workflows running but does not need 'temporal'`);
      for (const contract of def.perShard) await startPerShardWorkflows(temporal, config, contract);
    }
    const activities = await workerActivities(def, ctx);
    const connection = await createWorkerConnection(config);
    const taskQueue = config.temporal.taskQueues[def.taskQueue];
    const worker = await Worker.create({
      ...workerOptions(def, config, connection, activities),
      shutdownGraceTime: '10 seconds',
    });
    const port = def.metricsPort(config);
    const metricsServer = await serveMetrics(registry, config.api.host, port);
    log('info', 'polling', { taskQueue, ...def.details?.(config), metricsPort: port });
    try {
      await worker.run();
    } finally {
      metricsServer.close();
      await connection.close();
    }
  } finally {
    for (const step of closeSteps.reverse()) await step().catch(() => undefined);
    await resources.close();
    log('info', 'stopped');
  }
}

/**
 * The Temporal SDK's logs (the worker's own, and those of workflows and activities, which carry their workflow id,
 * run id and activity type) as lines of the process's logger.
 */
function routeTemporalLogs(log: ProcessLog, level: LogLevel): void {
  const sdkLevel = level.toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, (entry) => {
      const at = entry.level === 'TRACE' ? 'debug' : (entry.level.toLowerCase() as LogLevel);
      log.logger[at]({ ...entry.meta, source: 'temporal-sdk' }, entry.message);
    }),
  });
}

/** The entry point of a worker process: runs its definition, exits 0 after a drained shutdown, 1 on failure. */
export function runWorkerMain<K extends ClientName>(def: WorkerDefinition<K>): void {
  const log = processLog(def.name);
  runMain(log, () => runWorkerProcess(def, log));
}
