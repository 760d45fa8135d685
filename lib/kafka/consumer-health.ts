/**
 * Whether a Kafka consumer is consuming, for its /health and its metrics. It is a member of its group once it has
 * joined (and until it crashes, stops or leaves); it makes progress each time a message is settled; it is retrying
 * while one message fails for a passing reason (a dependency down). /health answers 503 — restart me — when the
 * consumer is not a member, or has messages waiting but settled none for `stallSeconds` without retrying anything;
 * retrying answers 200 with the reason (a restart would not bring the dependency back; the alert does the telling).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { HealthReport } from '../metrics/server';

export type ConsumerState = 'starting' | 'consuming' | 'retrying' | 'rejoining' | 'stopped';

export class ConsumerHealth {
  private state: ConsumerState = 'starting';
  private member = false;
  private lastProgressAt = Date.now();
  private notMemberSince = Date.now();
  private retryError: string | undefined;
  private retryingSince: number | undefined;
  private readonly retryingGauge: Gauge;
  private readonly transientFailures: Counter;

  constructor(
    registry: Registry,
    private readonly lagOf: () => Promise<number>,
    private readonly stallSeconds: number,
  ) {
    this.retryingGauge = new Gauge({
      name: 'consumer_retrying',
      help: '1 while the consumer retries a message that fails for a passing reason (its partition waits)',
      registers: [registry],
    });
    this.transientFailures = new Counter({
      name: 'consumer_transient_failures_total',
      help: 'Attempts of a message that failed for a passing reason (connection, deadlock, lock wait) and are retried',
      registers: [registry],
    });
  }

  joined(): void {
    this.member = true;
    this.state = this.retryingSince ? 'retrying' : 'consuming';
    this.lastProgressAt = Date.now();
  }

  left(state: 'rejoining' | 'stopped'): void {
    if (this.member) this.notMemberSince = Date.now();
    this.member = false;
    this.state = state;
  }

  /** A message was settled (applied, skipped as a duplicate, or dead-lettered). */
  progressed(): void {
    this.lastProgressAt = Date.now();
    if (this.retryingSince !== undefined) {
      this.retryingSince = undefined;
      this.retryError = undefined;
      this.retryingGauge.set(0);
      if (this.member) this.state = 'consuming';
    }
  }

  /** An attempt failed for a passing reason and will be retried. */
  retrying(error: string): void {
    this.transientFailures.inc();
    this.retryError = error;
    this.retryingSince ??= Date.now();
    this.retryingGauge.set(1);
    if (this.member) this.state = 'retrying';
  }

  /** Seconds the consumer has not been a member of its group (0 while it is). */
  get secondsOutOfGroup(): number {
    return this.member ? 0 : (Date.now() - this.notMemberSince) / 1000;
  }

  async report(): Promise<HealthReport> {
    const lag = await this.lagOf().catch(() => undefined);
    const idleSeconds = (Date.now() - this.lastProgressAt) / 1000;
    const stalled = this.retryingSince === undefined && lag !== undefined && lag > 0 && idleSeconds > this.stallSeconds;
    const status = !this.member ? `not a group member (${this.state})` : stalled ? 'stalled' : this.state;
    const body = {
      status,
      lag: lag ?? null,
      secondsSinceProgress: Math.round(idleSeconds),
      ...(this.retryingSince !== undefined
        ? { retryingForSeconds: Math.round((Date.now() - this.retryingSince) / 1000), lastError: this.retryError }
        : {}),
    };
    return { ok: this.member && !stalled, body };
  }
}
