/**
 * Snowflake ids: 41 bits of milliseconds since DOOS_EPOCH_MS, 10 bits of worker id, 12 bits of sequence.
 * One generator per worker id; at most 4,096 ids per millisecond, after which it waits for the next millisecond.
 * A generator may keep the lowest `tagBits` of the sequence for a tag of the caller's (order ids carry their shard
 * there, lib/ids/order-id.ts): it then issues 2^(12 − tagBits) ids per millisecond.
 */

/** 2024-01-01T00:00:00Z: 41 bits of milliseconds from here last until 2093. */
export const DOOS_EPOCH_MS = 1_704_067_200_000;
export const WORKER_ID_BITS = 10;
export const SEQUENCE_BITS = 12;
export const MAX_WORKER_ID = (1 << WORKER_ID_BITS) - 1;
const SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1;
const TIMESTAMP_SHIFT = BigInt(WORKER_ID_BITS + SEQUENCE_BITS);
/** At most this many low bits of the sequence may hold a tag. */
export const MAX_TAG_BITS = 8;

/** Raised when the clock went back further than the generator is willing to wait out. */
export class ClockMovedBackwardsError extends Error {
  override readonly name = 'ClockMovedBackwardsError';
  constructor(readonly backwardsMs: number) {
    super(`clock moved backwards by ${backwardsMs} ms; refusing to issue ids that could repeat`);
  }
}

export interface SnowflakeOptions {
  workerId: number;
  /** Milliseconds since the Unix epoch (tests inject their own). */
  clock?: () => number;
  /** A backwards jump up to this many ms is waited out; a larger one throws ClockMovedBackwardsError. */
  maxBackwardsWaitMs?: number;
  /** Low bits of the sequence kept for `nextTagged`'s tag (0 to MAX_TAG_BITS; default 0). */
  tagBits?: number;
}

/** The fields of an id, for logs and tests. */
export interface SnowflakeParts {
  timestampMs: number;
  workerId: number;
  sequence: number;
}

export function decodeSnowflake(id: bigint): SnowflakeParts {
  return {
    timestampMs: Number(id >> TIMESTAMP_SHIFT) + DOOS_EPOCH_MS,
    workerId: Number((id >> BigInt(SEQUENCE_BITS)) & BigInt(MAX_WORKER_ID)),
    sequence: Number(id & BigInt(SEQUENCE_MASK)),
  };
}

/** Blocks the thread for a few milliseconds (only used while the clock catches up). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class Snowflake {
  readonly workerId: number;
  private readonly clock: () => number;
  private readonly maxBackwardsWaitMs: number;
  readonly tagBits: number;
  private readonly sequenceMask: number;
  /** Each sequence number already shifted past the tag bits, as a bigint. */
  private readonly sequences: readonly bigint[];
  private readonly tags: readonly bigint[];
  private lastMs = -1;
  private sequence = 0;
  /** (ms - epoch) << 22 | workerId << 12 for lastMs, so an id costs one BigInt addition. */
  private base = 0n;

  constructor(options: SnowflakeOptions) {
    if (!Number.isInteger(options.workerId) || options.workerId < 0 || options.workerId > MAX_WORKER_ID) {
      throw new RangeError(`worker id must be an integer in 0..${MAX_WORKER_ID}, got ${options.workerId}`);
    }
    this.workerId = options.workerId;
    this.clock = options.clock ?? Date.now;
    this.maxBackwardsWaitMs = options.maxBackwardsWaitMs ?? 10;
    this.tagBits = options.tagBits ?? 0;
    if (!Number.isInteger(this.tagBits) || this.tagBits < 0 || this.tagBits > MAX_TAG_BITS) {
      throw new RangeError(`tagBits must be an integer in 0..${MAX_TAG_BITS}, got ${options.tagBits}`);
    }
    this.sequenceMask = SEQUENCE_MASK >> this.tagBits;
    this.sequences = Array.from({ length: this.sequenceMask + 1 }, (_, i) => BigInt(i << this.tagBits));
    this.tags = Array.from({ length: 1 << this.tagBits }, (_, i) => BigInt(i));
  }

  /** The next id (tag 0): strictly greater than every id this generator issued before. */
  next(): bigint {
    const sequence = this.sequences[this.advance()] as bigint; // first: advancing may move `base`
    return this.base + sequence;
  }

  /** The next id with `tag` in its low `tagBits` bits; unique and increasing like `next`. */
  nextTagged(tag: number): bigint {
    const tagValue = this.tags[tag];
    if (tagValue === undefined || !Number.isInteger(tag)) {
      throw new RangeError(`tag must be an integer in 0..${this.tags.length - 1}, got ${tag}`);
    }
    const sequence = this.sequences[this.advance()] as bigint;
    return this.base + sequence + tagValue;
  }

  /** Moves to the next sequence number (waiting for the next millisecond when one is used up) and returns it. */
  private advance(): number {
    let now = this.clock();
    if (now < this.lastMs) now = this.waitOutBackwardsClock(now);
    if (now === this.lastMs) {
      this.sequence = (this.sequence + 1) & this.sequenceMask;
      if (this.sequence === 0) {
        while (now <= this.lastMs) now = this.clock();
        this.startMillisecond(now);
      }
    } else {
      this.sequence = 0;
      this.startMillisecond(now);
    }
    return this.sequence;
  }

  private startMillisecond(now: number): void {
    if (now - DOOS_EPOCH_MS >= 2 ** 41)
      throw new RangeError('the 41-bit timestamp of the Snowflake epoch is exhausted');
    this.lastMs = now;
    this.base = (BigInt(now - DOOS_EPOCH_MS) << TIMESTAMP_SHIFT) | BigInt(this.workerId << SEQUENCE_BITS);
  }

  private waitOutBackwardsClock(now: number): number {
    const behind = this.lastMs - now;
    if (behind > this.maxBackwardsWaitMs) throw new ClockMovedBackwardsError(behind);
    let t = now;
    while (t < this.lastMs) {
      sleepSync(Math.max(1, this.lastMs - t));
      t = this.clock();
    }
    return t;
  }
}
