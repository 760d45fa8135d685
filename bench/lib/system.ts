/**
 * The whole system as `make up` runs it, for benchmarks: every server and app process of the native stack
 * (deployments/native/stack.sh), the apps restarted with a benchmark's environment and back without it afterwards.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const STACK = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');
const run = promisify(execFile);

/** One running process of the stack, by the name `stack.sh status` gives it. */
export interface StackProcess {
  name: string;
  pid: number;
}

async function stack(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(STACK, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 20 });
  return stdout;
}

/** Restarts the app processes (API, workers, consumer) with `env` added to their environment. */
export async function restartApps(env: Record<string, string>): Promise<void> {
  await stack(['down', 'apps']);
  await stack(['up', 'apps'], env);
}

/** Stops or starts one app (the CDC benchmark replays the binlog through a restarted CDC worker). */
export async function stackApp(action: 'up' | 'down', app: string, env: Record<string, string> = {}): Promise<void> {
  await stack([action, app], env);
}

/** Every running process of the stack with its pid. */
export async function stackProcesses(): Promise<StackProcess[]> {
  const lines = (await stack(['status'])).split('\n').slice(1);
  return lines.flatMap((line) => {
    const [name, state, , pid] = line.trim().split(/\s+/);
    return name && state === 'running' && Number(pid) > 0 ? [{ name, pid: Number(pid) }] : [];
  });
}

/**
 * Benchmark orders are never paid: their payment wait outlasts a run (no timeout fires during it), and the run cancels
 * them at its end (OrderClient.cancelAll), so the next run starts on a quiet machine.
 */
export const BENCH_PAYMENT_TIMEOUT_SECONDS = 3600;

/** The apps' environment during a benchmark (DOOS_* overrides of config/dev.yaml). */
export const BENCH_APP_ENV: Record<string, string> = {
  DOOS_ORDER_PAYMENT_TIMEOUT_SECONDS: String(BENCH_PAYMENT_TIMEOUT_SECONDS),
  // Production samples one trace in ten (config/prod.yaml); development traces everything.
  DOOS_TRACING_SAMPLE_RATIO: process.env.BENCH_TRACE_SAMPLE_RATIO ?? '0.1',
};

/** The API's base URL and the workers' metrics ports as the stack starts them (deployments/native/stack.env). */
export const STACK_API = `http://127.0.0.1:${process.env.DOOS_API_PORT ?? 8081}`;
