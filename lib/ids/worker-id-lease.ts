/**
 * Leases a Snowflake worker id from etcd: the key <prefix><id> is created only if absent, under a lease with a TTL
 * that is kept alive while the process lives and revoked on shutdown, so two live processes never hold the same id.
 */
import type { Etcd3, Lease } from 'etcd3';
import { MAX_WORKER_ID, Snowflake } from './snowflake';

export interface WorkerIdLeaseOptions {
  prefix: string;
  ttlSeconds: number;
  /** Written as the key's value so an operator can see who holds which id (e.g. "api@host:pid"). */
  owner: string;
}

/** Raised when every worker id is held by a live process. */
export class NoWorkerIdError extends Error {
  override readonly name = 'NoWorkerIdError';
}

/** A leased worker id. `lost` turns true if etcd stops renewing it; its generator then refuses to issue ids. */
export class WorkerIdLease {
  lost = false;

  constructor(
    readonly workerId: number,
    readonly key: string,
    private readonly lease: Lease,
  ) {
    lease.on('lost', () => {
      this.lost = true;
    });
  }

  /** Gives the id back at once (instead of after the TTL). */
  async release(): Promise<void> {
    await this.lease.revoke().catch(() => undefined);
  }
}

/** Claims the first free worker id, starting at a random one so concurrent starters rarely collide. */
export async function leaseWorkerId(etcd: Etcd3, options: WorkerIdLeaseOptions): Promise<WorkerIdLease> {
  const lease = etcd.lease(options.ttlSeconds, { autoKeepAlive: true });
  const leaseId = await lease.grant();
  const start = Math.floor(Math.random() * (MAX_WORKER_ID + 1));
  for (let i = 0; i <= MAX_WORKER_ID; i++) {
    const workerId = (start + i) % (MAX_WORKER_ID + 1);
    const key = `${options.prefix}${workerId}`;
    const txn = await etcd.if(key, 'Create', '==', 0).then(etcd.put(key).value(options.owner).lease(leaseId)).commit();
    if (txn.succeeded) return new WorkerIdLease(workerId, key, lease);
  }
  await lease.revoke().catch(() => undefined);
  throw new NoWorkerIdError(`all ${MAX_WORKER_ID + 1} Snowflake worker ids under ${options.prefix} are leased`);
}

/** Ids of a process: a Snowflake on a leased worker id that stops issuing the moment the lease is lost. */
export class LeasedIdGenerator {
  private readonly snowflake: Snowflake;

  constructor(
    readonly lease: WorkerIdLease,
    options: { tagBits?: number } = {},
  ) {
    this.snowflake = new Snowflake({ workerId: lease.workerId, ...options });
  }

  next(): bigint {
    this.checkLease();
    return this.snowflake.next();
  }

  /** An id with `tag` in its low bits (the generator was made with `tagBits`). */
  nextTagged(tag: number): bigint {
    this.checkLease();
    return this.snowflake.nextTagged(tag);
  }

  private checkLease(): void {
    if (this.lease.lost) {
      throw new Error(`Snowflake worker id ${this.lease.workerId} lease was lost; restart the process`);
    }
  }
}
