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
import { temporalDataConverter } from '../privacy/payload-codec';

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
  });
}

/** A Temporal client on config.temporal, connected before it is returned (benchmarks, smoke tests). */
export async function createTemporalClient(config: ClientConfig): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
}

/** The native connection a Worker polls through. */
export function createWorkerConnection(config: Pick<Config, 'temporal'>): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address });
}
