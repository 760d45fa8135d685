/** What every DOOS process entry point shares: its logger (lib/log/logger.ts) and how it exits. */
import { createLogger, logOf, type Log, type ProcessLog } from '../log/logger';
import { processTracing } from '../telemetry/tracer-provider';

export type { Log } from '../log/logger';

/**
 * The logger of a process, named after it; at DOOS_LOG_LEVEL (or info) until the process has read its configuration
 * and set `log.logger.level = config.log.level`.
 */
export function processLog(processName: string): ProcessLog {
  const level = process.env.DOOS_LOG_LEVEL;
  return logOf(createLogger(processName, level === 'debug' || level === 'warn' || level === 'error' ? level : 'info'));
}

/** Exits with `code` once the spans still buffered went to the trace backend (at most 2 s: it may be down). */
export function exitProcess(code: number): void {
  const flushed = processTracing()?.shutdown() ?? Promise.resolve();
  const timeout = new Promise((r) => setTimeout(r, 2000).unref());
  void Promise.race([flushed.catch(() => undefined), timeout]).finally(() => process.exit(code));
}

/** Runs a process's main: exit 0 when it returns (after a drained shutdown), 1 with the error logged when it fails. */
export function runMain(log: Log, main: () => Promise<void>): void {
  main().then(
    () => exitProcess(0),
    (err: unknown) => {
      log('error', 'failed', { error: String((err as Error).stack ?? err) });
      exitProcess(1);
    },
  );
}
