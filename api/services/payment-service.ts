/**
 * Payments as a shop receives them. The buyer's pay starts a payment with the configured provider (a PENDING row in
 * the order's shard) and answers 202; the order becomes PAID only when the provider's signed callback approves it:
 * the callback is checked (signature over the raw body, time window, the payment and order it names, its amount and
 * currency) and then applied once per provider transaction through the order's saga, whose pay step writes the
 * payment's APPROVED and the order's PAID in one transaction.
 *
 * What a callback can be, each counted in `payment_callbacks_total{outcome}` and logged when refused:
 * approved, declined (the order stays payable), duplicate (this transaction was applied already: nothing changes),
 * refund-due (money taken for an order already paid or cancelled, or whose saga has ended: the payment is marked
 * REFUND_DUE for an operator),
 * missing / malformed / forged / stale signature (401 / 60001), unknown-payment (404 / 60003), mismatch (409 / 60002).
 * Refused callbacks change nothing. A callback the saga cannot take now (no worker) is 503: the provider delivers
 * it again.
 */
import { randomUUID } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { toCents } from '../../lib/orders/money';
import type { Log } from '../../lib/log/logger';
import type { Payment, PaymentStore } from '../../lib/payments/payment-store';
import type { PaymentCallback, PaymentProvider, SandboxInstructions } from '../../lib/payments/providers';
import { verifyCallback } from '../../lib/payments/signature';
import type { OrderService } from './order-service';

export interface StartedPayment {
  payment: Payment;
  /** Where the buyer completes the payment with a real provider; absent with the sandbox. */
  redirectUrl?: string;
}

export type CallbackOutcome =
  | 'approved'
  | 'declined'
  | 'duplicate'
  | 'refund-due'
  | 'missing'
  | 'malformed'
  | 'forged'
  | 'stale'
  | 'unknown-payment'
  | 'mismatch';

export interface PaymentServiceDeps {
  config: Pick<Config, 'payments' | 'api'>;
  store: PaymentStore;
  provider: PaymentProvider;
  orders: OrderService;
  registry: Registry;
  log: Log;
}

export class PaymentService {
  private readonly callbacks: Counter<'outcome'>;

  constructor(private readonly deps: PaymentServiceDeps) {
    this.callbacks = new Counter({
      name: 'payment_callbacks_total',
      help: 'Payment provider callbacks by outcome (refused ones: missing, malformed, forged, stale, unknown-payment, mismatch)',
      labelNames: ['outcome'] as const,
      registers: [deps.registry],
    });
  }

  /** Where the provider sends callbacks: payments.callbackUrl, or this API's own address. */
  private callbackUrl(): string {
    const { payments, api } = this.deps.config;
    if (payments.callbackUrl) return payments.callbackUrl;
    const host = api.host === '0.0.0.0' || api.host === '::' ? '127.0.0.1' : api.host;
    return `http://${host}:${api.port}/v1/payments/callback`;
  }

  /** The buyer's pay: a payment of their pending order's amount, started with the provider. */
  async start(orderId: bigint, userId: bigint, sandbox: SandboxInstructions | undefined): Promise<StartedPayment> {
    const { store, provider, orders, config } = this.deps;
    if (sandbox && provider.name !== 'sandbox') {
      throw new AppError(
        'INVALID_PARAMETER',
        `sandbox instructions are for the sandbox provider; this shop uses ${provider.name}`,
      );
    }
    const order = await orders.payable(orderId, userId);
    const payment = await store.create(order.shard, {
      paymentId: randomUUID(),
      orderId,
      userId,
      provider: provider.name,
      method: order.paymentMethod,
      amount: order.actualAmount,
      currency: config.payments.currency,
    });
    const started = await provider.start(
      {
        paymentId: payment.paymentId,
        orderId: order.orderId,
        orderNo: order.orderNo,
        amount: payment.amount,
        currency: payment.currency,
        method: payment.method,
        callbackUrl: this.callbackUrl(),
      },
      sandbox,
    );
    return { payment, ...started };
  }

  /** The payments of a buyer's own order, oldest first. */
  async ofOwnOrder(orderId: bigint, userId: bigint): Promise<Payment[]> {
    const order = await this.deps.orders.ownOrder(orderId, userId);
    return this.deps.store.ofOrder(order.shard, orderId);
  }

  /** The payments of any order, for the shop's staff. */
  async ofOrder(orderRef: string): Promise<Payment[]> {
    const order = await this.deps.orders.findByRef(orderRef);
    return this.deps.store.ofOrder(order.shard, BigInt(order.orderId));
  }

  /** The provider's callback, checked and applied at most once (see the module's comment). */
  async callback(
    rawBody: Buffer | undefined,
    signature: string | undefined,
    body: PaymentCallback,
    from: string,
    correlationId: string,
  ): Promise<{ outcome: CallbackOutcome; payment: Payment }> {
    const { config, store } = this.deps;
    const verdict = verifyCallback(
      config.payments.callbackSecret,
      signature,
      rawBody,
      Math.floor(Date.now() / 1000),
      config.payments.toleranceSeconds,
    );
    if (verdict !== 'valid') {
      throw this.refuse(
        verdict,
        body,
        from,
        new AppError('PAYMENT_SIGNATURE_INVALID', `callback signature ${verdict}`),
      );
    }
    const orderId = BigInt(body.orderId);
    const order = await this.deps.orders.findByRef(body.orderId).catch((err: unknown) => {
      if (err instanceof AppError && err.kind === 'ORDER_NOT_FOUND') return undefined;
      throw err;
    });
    const shard = order?.shard ?? 0;
    const payment = order && (await store.find(shard, orderId, body.paymentId));
    if (!payment) {
      throw this.refuse(
        'unknown-payment',
        body,
        from,
        new AppError('PAYMENT_NOT_FOUND', 'no such payment of this order'),
      );
    }
    if (toCents(payment.amount) !== toCents(body.amount) || payment.currency !== body.currency) {
      throw this.refuse(
        'mismatch',
        body,
        from,
        new AppError('PAYMENT_MISMATCH', `the payment is ${payment.amount} ${payment.currency}`, {
          expected: { amount: payment.amount, currency: payment.currency },
        }),
      );
    }
    if (payment.status !== 'PENDING') return this.settled(payment, body, from);
    if (body.status === 'DECLINED') {
      const declined = await store.settle(shard, payment.paymentId, 'DECLINED', body.providerTxnId);
      return declined ? this.done('declined', shard, body) : this.again(shard, body, from);
    }
    try {
      await this.deps.orders.payApproved(
        orderId,
        shard,
        payment.provider,
        { paymentId: payment.paymentId, providerTxnId: body.providerTxnId },
        correlationId,
      );
      return this.done('approved', shard, body);
    } catch (err) {
      if (
        !(err instanceof AppError) ||
        !['ORDER_PAID', 'ORDER_CANCELLED', 'ORDER_STATE_CONFLICT', 'PAYMENT_MISMATCH'].includes(err.kind)
      ) {
        throw err;
      }
      // Settled meanwhile by a copy of this callback, or money taken for an order that can no longer be paid.
      const refundDue = await store.settle(shard, payment.paymentId, 'REFUND_DUE', body.providerTxnId);
      if (!refundDue) return this.again(shard, body, from);
      this.deps.log('error', 'payment approved for an order that cannot be paid: refund due', {
        orderId: body.orderId,
        paymentId: body.paymentId,
        providerTxnId: body.providerTxnId,
        reason: err.message,
      });
      return this.done('refund-due', shard, body);
    }
  }

  /** A callback for a payment already settled: the same transaction again changes nothing; another is refused. */
  private settled(
    payment: Payment,
    body: PaymentCallback,
    from: string,
  ): { outcome: CallbackOutcome; payment: Payment } {
    const sameOutcome =
      (body.status === 'APPROVED' && ['APPROVED', 'REFUND_DUE'].includes(payment.status)) ||
      (body.status === 'DECLINED' && payment.status === 'DECLINED');
    if (payment.providerTxnId === body.providerTxnId && sameOutcome) {
      this.callbacks.inc({ outcome: 'duplicate' });
      return { outcome: 'duplicate', payment };
    }
    throw this.refuse(
      'mismatch',
      body,
      from,
      new AppError('PAYMENT_MISMATCH', `the payment was settled as ${payment.status} by another transaction`),
    );
  }

  /** The payment re-read after a race with a copy of the callback, judged as settled. */
  private async again(shard: number, body: PaymentCallback, from: string) {
    const payment = await this.deps.store.find(shard, BigInt(body.orderId), body.paymentId);
    if (!payment) throw new Error(`payment ${body.paymentId} vanished`);
    return this.settled(payment, body, from);
  }

  private async done(outcome: CallbackOutcome, shard: number, body: PaymentCallback) {
    this.callbacks.inc({ outcome });
    const payment = await this.deps.store.find(shard, BigInt(body.orderId), body.paymentId);
    if (!payment) throw new Error(`payment ${body.paymentId} vanished`);
    return { outcome, payment };
  }

  private refuse(outcome: CallbackOutcome, body: PaymentCallback, from: string, error: AppError): AppError {
    this.callbacks.inc({ outcome });
    this.deps.log('warn', 'payment callback refused', {
      outcome,
      from,
      orderId: String(body.orderId ?? ''),
      paymentId: String(body.paymentId ?? ''),
      providerTxnId: String(body.providerTxnId ?? ''),
    });
    return error;
  }
}
