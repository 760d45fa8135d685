/** Temporal client and worker connections of a DOOS process. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';

/** A Temporal client on config.temporal (one per process; the API injects it into its routes). */
export async function createTemporalClient(config: Pick<Config, 'temporal'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** The native connection a Worker polls through. */
export function createWorkerConnection(config: Pick<Config, 'temporal'>): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address });
}
