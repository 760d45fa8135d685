/**
 * One set-up for every integration suite on the real stack: `const h = withStack(options)` in a `describe` starts the
 * harness (API on port 0, in-process workers, the stack's servers) before its tests and, after them, runs the
 * suite's own teardown steps, stops every worker process it started and closes the harness. `h` is the harness
 * itself once started (and the suite's worker processes and teardown registry before that).
 */
import { startHarness, type Harness, type HarnessOptions } from './api-harness';
import { WorkerProcesses } from './worker-process';

export interface Stack extends Harness {
  /** Worker processes of the suite (workers/*.ts), stopped after its tests. */
  readonly workers: WorkerProcesses;
  /** A step to run after the suite's tests, before its worker processes stop and the harness closes. */
  onTeardown(step: () => Promise<unknown>): void;
}

export function withStack(options: HarnessOptions = {}): Stack {
  let harness: Harness | undefined;
  const steps: (() => Promise<unknown>)[] = [];
  const own = {
    workers: new WorkerProcesses(),
    onTeardown: (step: () => Promise<unknown>) => {
      steps.push(step);
    },
  };

  before(async function () {
    this.timeout(120_000);
    harness = await startHarness(options);
  });
  after(async function () {
    this.timeout(120_000);
    let failure: Error | undefined;
    for (const step of steps) {
      await step().catch((err: unknown) => {
        failure ??= err instanceof Error ? err : new Error(String(err));
      });
    }
    await own.workers.stopAll();
    await harness?.close();
    if (failure) throw failure;
  });

  return new Proxy(own, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver) as unknown;
      if (!harness) throw new Error(`the stack is not started yet (read h.${String(prop)} in a hook or a test)`);
      const value = Reflect.get(harness, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(harness) : value;
    },
  }) as Stack;
}
