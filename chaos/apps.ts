/**
 * The application processes of a chaos run — the API and the four workers of `make up`, from this checkout, on the
 * run's own configuration file (DOOS_CONFIG) — started, SIGKILLed and restarted like a supervisor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export const APPS = {
  api: { entry: 'api/server.ts', ready: '"msg":"listening"' },
  'order-worker': { entry: 'workers/order-worker.ts', ready: '"msg":"polling"' },
  'relay-worker': { entry: 'workers/relay-worker.ts', ready: '"msg":"polling"' },
  'cdc-worker': { entry: 'workers/cdc-worker.ts', ready: '"msg":"polling"' },
  'inventory-consumer': { entry: 'workers/inventory-consumer.ts', ready: '"msg":"polling"' },
} as const;
export type AppName = keyof typeof APPS;

export class AppProcess {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;

  constructor(
    readonly name: AppName,
    private readonly env: Record<string, string>,
    logDir: string,
  ) {
    this.log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  }

  /** Starts it and waits until it says it serves (listening / polling); retries a start that fails at once. */
  async start(timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.startOnce(until - Date.now());
        return;
      } catch (err) {
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 1000)); // a dependency still coming back: start it again
      }
    }
  }

  private startOnce(timeoutMs: number): Promise<void> {
    const { entry, ready } = APPS[this.name];
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let seen = '';
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} not ready in ${timeoutMs} ms`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        this.log.write(chunk);
        if (seen.length < 100_000) seen += chunk.toString();
        if (seen.includes(ready)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code} before it was ready`));
      });
    });
  }

  /** SIGKILL, as a crash or an OOM kill would; resolves once it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await gone;
  }

  /** Whether it is running now (a consumer may exit by itself for its supervisor to restart it). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    this.log.end();
  }
}
