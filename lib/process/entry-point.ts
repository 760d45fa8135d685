/** What every DOOS process entry point shares: JSON log lines and how it exits. */

export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** A logger writing one JSON line per event, tagged with the process name. */
export function processLog(processName: string): Log {
  return (level, msg, fields = {}) => {
    console.log(JSON.stringify({ time: new Date().toISOString(), level, process: processName, msg, ...fields }));
  };
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
