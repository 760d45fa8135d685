/**
 * Leases a Snowflake worker id from etcd: the key <prefix><id> is created only if absent, under a lease with a TTL
 * that is kept alive while the process lives and revoked on shutdown, so two live processes never hold the same id.
 *
 * A process keeps its id through `holdWorkerId`: when etcd lets the lease lapse — the process paused for longer than
 * the TTL (a long GC, a heap snapshot, SIGSTOP, a frozen VM) or etcd unreachable for longer than it — the id may
 * already be another process's, so no id is issued on it from the moment the lease may have expired; the holder
 * leases a free id again (retrying while etcd is away) and the generators go on with it.
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

/**
 * Raised for an id asked while the process holds no worker id (its lease lapsed and a new one is being leased): the
 * API answers 503 / 10004 (lib/errors/unavailable.ts), which the client repeats.
 */
export class WorkerIdUnavailableError extends Error {
  override readonly name = 'WorkerIdUnavailableError';
}

/**
 * A leased worker id. `lost` turns true when etcd says the lease is gone or when the last renewal etcd confirmed is
 * older than the TTL (so a process waking from a long pause stops issuing ids before it hears from etcd).
 */
export class WorkerIdLease {
  private lostFlag = false;
  /** Until when etcd keeps the lease at the latest: the TTL counted from the send of the last renewal it confirmed. */
  private validUntil: number;
  /** When each renewal not answered yet was sent, oldest first (etcd answers them in order on one stream). */
  private renewalsSent: number[] = [];

  constructor(
    readonly workerId: number,
    readonly key: string,
    private readonly lease: Lease,
    grantSentAt: number,
    ttlSeconds: number,
  ) {
    this.validUntil = grantSentAt + ttlSeconds * 1000;
    lease.on('lost', () => {
      this.lostFlag = true;
    });
    lease.on('keepaliveEstablished', () => (this.renewalsSent = []));
    lease.on('keepaliveFired', () => this.renewalsSent.push(Date.now()));
    lease.on('keepaliveSucceeded', (res) => {
      const sentAt = this.renewalsSent.shift();
      if (sentAt !== undefined) this.validUntil = Math.max(this.validUntil, sentAt + Number(res.TTL) * 1000);
    });
  }

  get lost(): boolean {
    if (!this.lostFlag && Date.now() >= this.validUntil) this.lostFlag = true;
    return this.lostFlag;
  }

  /** Called once when the lease is lost (at once if it already is). */
  onLost(listener: () => void): void {
    if (this.lost) return listener();
    this.lease.once('lost', listener);
  }

  /** Gives the id back at once (instead of after the TTL). */
  async release(): Promise<void> {
    await this.lease.revoke().catch(() => undefined);
  }
}

/** Claims the first free worker id, starting at a random one so concurrent starters rarely collide. */
export async function leaseWorkerId(etcd: Etcd3, options: WorkerIdLeaseOptions): Promise<WorkerIdLease> {
  const lease = etcd.lease(options.ttlSeconds, { autoKeepAlive: true });
  const grantSentAt = Date.now();
  const leaseId = await lease.grant();
  const start = Math.floor(Math.random() * (MAX_WORKER_ID + 1));
  for (let i = 0; i <= MAX_WORKER_ID; i++) {
    const workerId = (start + i) % (MAX_WORKER_ID + 1);
    const key = `${options.prefix}${workerId}`;
    const txn = await etcd.if(key, 'Create', '==', 0).then(etcd.put(key).value(options.owner).lease(leaseId)).commit();
    if (txn.succeeded) return new WorkerIdLease(workerId, key, lease, grantSentAt, options.ttlSeconds);
  }
  await lease.revoke().catch(() => undefined);
  throw new NoWorkerIdError(`all ${MAX_WORKER_ID + 1} Snowflake worker ids under ${options.prefix} are leased`);
}

/** What a holder reports: a lease lost, a new one held, an attempt to lease that failed. */
export type WorkerIdEvent =
  | { kind: 'lost'; workerId: number }
  | { kind: 'leased'; workerId: number; afterMs: number }
  | { kind: 'retrying'; error: string; inMs: number };

export interface HoldWorkerIdOptions extends WorkerIdLeaseOptions {
  onEvent?: (event: WorkerIdEvent) => void;
  /** Waits between attempts to lease again: from `firstMs`, doubling up to `maxMs`. */
  retry?: { firstMs: number; maxMs: number };
}

/** Where a generator takes its worker id from: the one held now, or undefined while none is. */
export interface WorkerIdSource {
  current(): { readonly workerId: number } | undefined;
}

/** The process's worker id for its whole life (see the top of this file). */
export class HeldWorkerId implements WorkerIdSource {
  private lease: WorkerIdLease | undefined;
  private releasing = false;
  private releasingLease: Promise<void> | undefined;

  private constructor(
    private readonly etcd: Etcd3,
    private readonly options: HoldWorkerIdOptions,
    first: WorkerIdLease,
  ) {
    this.adopt(first);
  }

  /** Leases the first id; fails as `leaseWorkerId` does (a process should not start without one). */
  static async hold(etcd: Etcd3, options: HoldWorkerIdOptions): Promise<HeldWorkerId> {
    return new HeldWorkerId(etcd, options, await leaseWorkerId(etcd, options));
  }

  /** The lease ids may be issued on now, or undefined while a new one is being leased. */
  current(): WorkerIdLease | undefined {
    const lease = this.lease;
    if (lease?.lost) this.leaseAgain(lease);
    return this.lease;
  }

  /** The worker id held now, or undefined between a lost lease and the next. */
  get workerId(): number | undefined {
    return this.current()?.workerId;
  }

  /** Stops leasing again and gives the id held back. */
  async release(): Promise<void> {
    this.releasing = true;
    const lease = this.lease;
    this.lease = undefined;
    await Promise.all([lease?.release(), this.releasingLease]);
  }

  private adopt(lease: WorkerIdLease): void {
    this.lease = lease;
    lease.onLost(() => this.leaseAgain(lease));
  }

  private leaseAgain(lost: WorkerIdLease): void {
    if (this.lease !== lost || this.releasing) return;
    this.lease = undefined;
    this.options.onEvent?.({ kind: 'lost', workerId: lost.workerId });
    // The lapsed lease may still be alive in etcd (a renewal answered late): revoking it frees the id either way.
    this.releasingLease = lost.release();
    void this.leaseLoop(Date.now());
  }

  private async leaseLoop(since: number): Promise<void> {
    const { firstMs, maxMs } = this.options.retry ?? { firstMs: 500, maxMs: 10_000 };
    for (let waitMs = firstMs; !this.releasing; waitMs = Math.min(maxMs, waitMs * 2)) {
      try {
        const lease = await withTimeout(leaseWorkerId(this.etcd, this.options), this.options.ttlSeconds * 1000);
        if (this.releasing) return void (await lease.release());
        this.options.onEvent?.({ kind: 'leased', workerId: lease.workerId, afterMs: Date.now() - since });
        return this.adopt(lease);
      } catch (err) {
        this.options.onEvent?.({ kind: 'retrying', error: (err as Error).message, inMs: waitMs });
        await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
      }
    }
  }
}

/**
 * `leasing` or a timeout: an attempt against an etcd that does not answer must not hold up the next one; a lease it
 * gets after all is given back.
 */
async function withTimeout(leasing: Promise<WorkerIdLease>, ms: number): Promise<WorkerIdLease> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`etcd did not lease a worker id within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([leasing, timeout]);
  } catch (err) {
    leasing.then((late) => late.release()).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ids of a process on the worker id it holds: none while it holds none, and on a new worker id a new Snowflake (the
 * same id leased back keeps its generator, whose last millisecond guards against repeats).
 */
export class LeasedIdGenerator {
  private snowflake: Snowflake | undefined;

  constructor(
    readonly source: WorkerIdSource,
    private readonly options: { tagBits?: number } = {},
  ) {}

  next(): bigint {
    return this.generator().next();
  }

  /** An id with `tag` in its low bits (the generator was made with `tagBits`). */
  nextTagged(tag: number): bigint {
    return this.generator().nextTagged(tag);
  }

  private generator(): Snowflake {
    const lease = this.source.current();
    if (!lease)
      throw new WorkerIdUnavailableError('no Snowflake worker id is held now: its lease lapsed; leasing a new one');
    if (this.snowflake?.workerId !== lease.workerId) {
      this.snowflake = new Snowflake({ workerId: lease.workerId, ...this.options });
    }
    return this.snowflake;
  }
}
