/** Temporal client and worker connections of a DOOS process. */
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Interceptor } from '@grpc/grpc-js';
import type { Config } from '../config';
import { temporalDataConverter } from '../privacy/payload-codec';
import { tracingClientInterceptors } from '../telemetry/temporal-tracing';

/** A retry is not scheduled closer than this to its call's deadline (it would only fail on the deadline). */
const DEADLINE_MARGIN_MS = 50;

/**
 * The SDK's retry of unavailable servers, kept inside a call's deadline. The SDK's own retry schedules its next
 * attempt on a timer regardless of the deadline; a call whose caller had given up (a readiness check, a bounded
 * query) could then still retry after its connection was closed, and the timer threw "Channel has been shut down"
 * out of nowhere (seen as an uncaught error in CI). Here a call with a deadline retries only while the wait before
 * the next attempt ends before the deadline, so its last attempt is over when the caller hears of it.
 */
function retryWithinDeadline(): Interceptor {
  const defaults = defaultGrpcRetryOptions();
  const unbounded = makeGrpcRetryInterceptor(defaults);
  return (options, nextCall) => {
    if (options.deadline === undefined) return unbounded(options, nextCall);
    const end = options.deadline instanceof Date ? options.deadline.getTime() : Number(options.deadline);
    let nextDelay = 0;
    const bounded = makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => {
        nextDelay = defaults.delayFunction(attempt, status);
        return defaults.retryableDecider(attempt, status) && Date.now() + nextDelay < end - DEADLINE_MARGIN_MS;
      },
      delayFunction: () => nextDelay,
    });
    return bounded(options, nextCall);
  };
}

function connectionOptions(config: Pick<Config, 'temporal'>): ConnectionOptions {
  return { address: config.temporal.address, interceptors: [retryWithinDeadline()] };
}

type ClientConfig = Pick<Config, 'temporal' | 'privacy'>;

/**
 * A Temporal client that connects on its first call, so a process starts while the server is down. Its payloads are
 * encrypted (lib/privacy/payload-codec.ts), like those of every DOOS client and worker.
 */
export function lazyTemporalClient(config: ClientConfig): Client {
  return new Client({
    connection: Connection.lazy(connectionOptions(config)),
    namespace: config.temporal.namespace,
    dataConverter: temporalDataConverter(config),
    interceptors: { workflow: tracingClientInterceptors() },
  });
}

/** A Temporal client on config.temporal, connected before it is returned (benchmarks, smoke tests). */
export async function createTemporalClient(config: ClientConfig): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: temporalDataConverter(config),
    interceptors: { workflow: tracingClientInterceptors() },
  });
}

/** The native connection a Worker polls through. */
export function createWorkerConnection(config: Pick<Config, 'temporal'>): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address });
}
