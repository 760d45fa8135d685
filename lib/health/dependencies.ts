/** Readiness checks: each dependency of a process answers a cheap request within a time limit. */

/** One dependency and how to ask it whether it is reachable. */
export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface DependencyStatus {
  name: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  dependencies: DependencyStatus[];
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every check in parallel; ready only when all of them answered. */
export async function checkDependencies(checks: DependencyCheck[], timeoutMs = 2000): Promise<ReadinessReport> {
  const dependencies = await Promise.all(
    checks.map(async ({ name, check }): Promise<DependencyStatus> => {
      const t0 = performance.now();
      try {
        await withTimeout(check(), timeoutMs);
        return { name, ok: true, latencyMs: Math.round(performance.now() - t0) };
      } catch (err) {
        return { name, ok: false, latencyMs: Math.round(performance.now() - t0), error: (err as Error).message };
      }
    }),
  );
  return { ready: dependencies.every((d) => d.ok), dependencies };
}
