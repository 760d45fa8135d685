/**
 * Readiness checks: each dependency of a process answers a cheap request within a time limit. A process is ready
 * while its required dependencies answer; an optional one that does not makes it degraded, not unready (a
 * shared dependency going away must not take every replica out of service when the process can go on without it).
 */
import { withinMs } from '../time-limit';

/** One dependency and how to ask it whether it is reachable. */
export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
  /** Without it the process cannot do its job (not ready); otherwise it only runs degraded. */
  required: boolean;
}

export interface DependencyStatus {
  name: string;
  ok: boolean;
  required: boolean;
  latencyMs: number;
  error?: string;
}

export interface ReadinessReport {
  /** Every required dependency answered. */
  ready: boolean;
  /** The optional dependencies that did not answer. */
  degraded: string[];
  dependencies: DependencyStatus[];
}

/** Runs every check in parallel; ready when the required ones answered, degraded by the optional ones that did not. */
export async function checkDependencies(checks: DependencyCheck[], timeoutMs = 2000): Promise<ReadinessReport> {
  const dependencies = await Promise.all(
    checks.map(async ({ name, check, required }): Promise<DependencyStatus> => {
      const t0 = performance.now();
      try {
        await withinMs(check(), timeoutMs);
        return { name, ok: true, required, latencyMs: Math.round(performance.now() - t0) };
      } catch (err) {
        const latencyMs = Math.round(performance.now() - t0);
        return { name, ok: false, required, latencyMs, error: (err as Error).message };
      }
    }),
  );
  return {
    ready: dependencies.every((d) => d.ok || !d.required),
    degraded: dependencies.filter((d) => !d.ok && !d.required).map((d) => d.name),
    dependencies,
  };
}
