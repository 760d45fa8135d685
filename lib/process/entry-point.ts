/** What every DOOS process entry point shares: its logger (lib/log/logger.ts) and how it exits. */
import { createLogger, logOf, type Log, type ProcessLog } from '../log/logger';

export type { Log } from '../log/logger';

/**
 * The logger of a process, named after it; at DOOS_LOG_LEVEL (or info) until the process has read its configuration
 * and set `log.logger.level = config.log.level`.
 */
export function processLog(processName: string): ProcessLog {
  const level = process.env.DOOS_LOG_LEVEL;
  return logOf(createLogger(processName, level === 'debug' || level === 'warn' || level === 'error' ? level : 'info'));
}

/** Runs a process's main: exit 0 when it returns (after a drained shutdown), 1 with the error logged when it fails. */
export function runMain(log: Log, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      log('error', 'failed', { error: String((err as Error).stack ?? err) });
      process.exit(1);
    },
  );
}
