/**
 * The Snowflake worker id a DOOS process holds: leased under the configured prefix and TTL with `<name>@<host>:<pid>`
 * as its owner, leased anew whenever the lease lapses (lib/ids/worker-id-lease.ts), each change logged.
 */
import type { Etcd3 } from 'etcd3';
import { hostname } from 'node:os';
import type { Config } from '../config';
import type { Log } from '../log/logger';
import { HeldWorkerId, type WorkerIdEvent } from './worker-id-lease';

export async function holdProcessWorkerId(
  etcd: Etcd3,
  settings: Config['etcd'],
  name: string,
  log: Log,
): Promise<HeldWorkerId> {
  const held = await HeldWorkerId.hold(etcd, {
    prefix: settings.snowflakePrefix,
    ttlSeconds: settings.leaseTtlSeconds,
    owner: `${name}@${hostname()}:${process.pid}`,
    onEvent: (event) => logEvent(log, event),
  });
  log('info', 'leased Snowflake worker id', { workerId: held.workerId });
  return held;
}

function logEvent(log: Log, event: WorkerIdEvent): void {
  if (event.kind === 'lost') {
    log('error', 'Snowflake worker id lease lapsed: no ids until a new one is leased', { workerId: event.workerId });
  } else if (event.kind === 'leased') {
    log('info', 'leased a new Snowflake worker id', { workerId: event.workerId, afterMs: event.afterMs });
  } else {
    log('warn', 'cannot lease a Snowflake worker id yet', { error: event.error, retryInMs: event.inMs });
  }
}
