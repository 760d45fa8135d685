/** Temporal client and worker connections of a DOOS process. */
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import type { Config } from '../config';

/**
 * The SDK's retry of unavailable servers, for calls without a deadline only. A call with a deadline (readiness
 * checks, bounded queries) fails once and its caller decides: the SDK's retry schedules its next attempt on a timer
 * that outlives the call's deadline, and once the connection is closed meanwhile that timer throws "Channel has been
 * shut down" out of nowhere (seen as an uncaught error in CI after a readiness check of an unreachable server).
 */
function retryUnlessBounded(): Interceptor {
  const retry = makeGrpcRetryInterceptor(defaultGrpcRetryOptions());
  return (options, nextCall) =>
    options.deadline === undefined ? retry(options, nextCall) : new InterceptingCall(nextCall(options));
}

function connectionOptions(config: Pick<Config, 'temporal'>): ConnectionOptions {
  return { address: config.temporal.address, interceptors: [retryUnlessBounded()] };
}

/** A Temporal client that connects on its first call, so a process starts while the server is down. */
export function lazyTemporalClient(config: Pick<Config, 'temporal'>): Client {
  return new Client({ connection: Connection.lazy(connectionOptions(config)), namespace: config.temporal.namespace });
}

/** A Temporal client on config.temporal, connected before it is returned (benchmarks, smoke tests). */
export async function createTemporalClient(config: Pick<Config, 'temporal'>): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** The native connection a Worker polls through. */
export function createWorkerConnection(config: Pick<Config, 'temporal'>): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address });
}
