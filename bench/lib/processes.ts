/** Starts the real API and worker processes for a benchmark, on free ports and a task queue of their own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Where the children's output goes, one file per entry point (the figures stay readable on the terminal). */
export const BENCH_LOG_DIR = path.join(root, 'bench', 'logs');

/**
 * Runs a TypeScript entry point of the repository with extra environment; resolves once `healthUrl` answers.
 * Its output goes to bench/logs/<name>.log. BENCH_CPU_PROF=<dir> makes each child write a V8 CPU profile there when
 * it stops (open it in Chrome DevTools).
 */
export async function startProcess(entry: string, env: Record<string, string>, healthUrl: string): Promise<Child> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  mkdirSync(BENCH_LOG_DIR, { recursive: true });
  const logFile = path.join(BENCH_LOG_DIR, `${path.basename(entry, '.ts')}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`${entry} exited with ${child.exitCode}; last lines of ${logFile}:\n${tail}`);
    }
    const ok = await fetch(healthUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${entry} did not answer ${healthUrl} within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
