/** The etcd v3 client of a DOOS process (Snowflake worker-id leases). */
import { Etcd3 } from 'etcd3';
import type { Config } from '../config';

/** A client on config.etcd.endpoints. */
export function createEtcd(config: Pick<Config, 'etcd'>): Etcd3 {
  return new Etcd3({ hosts: config.etcd.endpoints, dialTimeout: 3000 });
}
