/**
 * Workflow CPU per saga: the history of a real order saga (placed, then cancelled — the most recent one on the
 * orders task queue) replayed N times through the SDK's workflow sandbox with the order worker's own workflow
 * modules, interceptors and data converter. Replay runs the same workflow code, activations and interceptors as a live
 * worker does (local activities' results come from the history), on this process alone, so it isolates the cost of
 * the workflow thread from the rest of the system. Each variant runs in a process of its own (the SDK's thread
 * settings are per process):
 *   as configured        what the order worker runs (config/dev.yaml)
 *   stack traces on      temporal.workflowStackTraces true (the SDK's per-promise stack traces)
 *   with workflow spans  OpenTelemetry's workflow interceptors added (spans recorded in the sandbox)
 *   both (before)        stack traces and workflow spans, as the order worker ran before issue 14
 *
 *   npx tsx bench/workflow-cpu.ts          (BENCH_REPLAYS, default 300; part of `make bench`)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import type { History } from '@temporalio/common/lib/proto-utils';
import { loadConfig } from '../lib/config';
import { temporalDataConverter } from '../lib/privacy/payload-codec';
import { createTemporalClient } from '../lib/temporal/connection';
import { withholdStackTracesInThisThread } from '../lib/temporal/workflow-threads';

const VARIANTS = {
  'as configured': { stackTraces: undefined, spans: false },
  'stack traces on': { stackTraces: true, spans: false },
  'with workflow spans': { stackTraces: undefined, spans: true },
  'both (before)': { stackTraces: true, spans: true },
} as const;
type Variant = keyof typeof VARIANTS;

export interface WorkflowCpuResult {
  workflowId: string;
  events: number;
  replays: number;
  /** CPU milliseconds per replayed saga, by variant. */
  perSaga: Record<Variant, number>;
}

async function sagaHistory(): Promise<{ workflowId: string; history: History }> {
  const config = loadConfig();
  const client = await createTemporalClient(config);
  try {
    const query = `WorkflowType = 'orderSaga' AND ExecutionStatus = 'Completed' AND TaskQueue = '${config.temporal.taskQueues.orders}'`;
    for await (const w of client.workflow.list({ query })) {
      return {
        workflowId: w.workflowId,
        history: await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory(),
      };
    }
    throw new Error('no completed order saga to replay: place and cancel an order first (make bench does)');
  } finally {
    await client.connection.close();
  }
}

/** Replays the history `replays` times in this process; CPU milliseconds per replay. */
async function replayHere(variant: Variant, history: History, replays: number): Promise<number> {
  const config = loadConfig();
  const v = VARIANTS[variant];
  // Replays run in this thread, not in the SDK's workflow threads.
  if (!(v.stackTraces ?? config.temporal.workflowStackTraces)) await withholdStackTracesInThisThread();
  const workflowModules = [
    ...(v.spans ? [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] : []),
    require.resolve('../workflows/correlation-interceptors'),
  ];
  const options = {
    workflowsPath: require.resolve('../workflows/order-workflows'),
    dataConverter: temporalDataConverter(config),
    interceptors: { workflowModules },
  };
  const run = async (count: number): Promise<void> => {
    const histories = (function* () {
      for (let i = 0; i < count; i++) yield { workflowId: `replay-${i}`, history };
    })();
    for await (const r of Worker.runReplayHistories(options, histories)) if (r.error) throw r.error;
  };
  await run(Math.min(50, replays)); // warm-up: bundle, JIT
  const before = process.cpuUsage();
  await run(replays);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / replays;
}

export async function benchWorkflowCpu(replays: number): Promise<WorkflowCpuResult> {
  const { workflowId, history } = await sagaHistory();
  const perSaga = {} as Record<Variant, number>;
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...process.execArgv, __filename, '--variant', variant, '--workflow', workflowId, '--replays', String(replays)],
      { maxBuffer: 1 << 20 },
    );
    perSaga[variant] = Number(/cpu-per-saga=([\d.]+)/.exec(stdout)?.[1]);
  }
  return { workflowId, events: history.events?.length ?? 0, replays, perSaga };
}

export function printWorkflowCpu(r: WorkflowCpuResult): void {
  console.log(
    `workflow CPU per saga: ${r.workflowId} (${r.events} events, placed then cancelled) replayed ${r.replays} times`,
  );
  for (const [variant, ms] of Object.entries(r.perSaga)) console.log(`  ${variant.padEnd(20)} ${ms.toFixed(1)} ms`);
}

async function child(args: string[]): Promise<void> {
  const at = (flag: string): string => args[args.indexOf(flag) + 1]!;
  const config = loadConfig();
  const client = await createTemporalClient(config);
  const history = await client.workflow.getHandle(at('--workflow')).fetchHistory();
  await client.connection.close();
  const ms = await replayHere(at('--variant') as Variant, history, Number(at('--replays')));
  console.log(`cpu-per-saga=${ms}`);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const main = args.includes('--variant')
    ? child(args)
    : benchWorkflowCpu(Number(process.env.BENCH_REPLAYS ?? 300)).then(printWorkflowCpu);
  main.then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
