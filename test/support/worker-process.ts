/**
 * Runs a real process of the repository (workers/*.ts, or api/server.ts) for a test and waits until it logs that it
 * is ready (`polling` for a worker, `listening` for the API).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export function spawnWorkerProcess(
  entry: string,
  env: Record<string, string>,
  readyMessage = 'polling',
): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`"msg":"${readyMessage}"`)) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before polling:\n${output}`)));
  });
  return { child, ready, output: () => output };
}

/** Stops a worker process (TERM, or KILL for a crash) and waits for it to be gone. */
export async function stopWorkerProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await gone;
}

/** The worker processes a test started, all stopped together in its `after` hook. */
export class WorkerProcesses {
  private readonly children: ChildProcess[] = [];
  private readonly outputs: (() => string)[] = [];

  /** Starts one and waits until it logs `readyMessage`. */
  async start(entry: string, env: Record<string, string>, readyMessage = 'polling'): Promise<ChildProcess> {
    const { child, ready, output } = spawnWorkerProcess(entry, env, readyMessage);
    this.children.push(child);
    this.outputs.push(output);
    await ready;
    return child;
  }

  /** Everything the processes started so far wrote to stdout and stderr. */
  output(): string {
    return this.outputs.map((o) => o()).join('');
  }

  /** Stops every one still running (thawing any a test froze with SIGSTOP). */
  async stopAll(): Promise<void> {
    for (const c of this.children) {
      c.kill('SIGCONT');
      await stopWorkerProcess(c);
    }
  }
}
