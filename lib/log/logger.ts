/**
 * The logs of every DOOS process: one JSON line per event through pino — `time` (ISO 8601), `level` (by name),
 * `process`, `msg`, and the event's fields (orderId, userId, workflowId, correlationId… where the caller knows them).
 * The level comes from config.log.level (DOOS_LOG_LEVEL); the workers route the Temporal SDK's own logger here
 * (lib/process/run-worker.ts), so workflow and activity log lines carry the workflow id too.
 */
import pino, { type Logger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes one event: a level, a message, and fields. */
export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/** A Log with the pino logger behind it (for child loggers and for setting the level once the config is read). */
export interface ProcessLog extends Log {
  readonly logger: Logger;
}

/** A process's logger, writing to standard output (or to `destination`, for tests). */
export function createLogger(
  processName: string,
  level: LogLevel = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level,
    base: { process: processName, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The Log of a pino logger. */
export function logOf(logger: Logger): ProcessLog {
  const log = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}) => logger[level](fields, msg);
  return Object.assign(log, { logger });
}

/** A Log that writes nothing (tests that run a process's parts in their own process). */
export const silentLog: Log = () => undefined;
