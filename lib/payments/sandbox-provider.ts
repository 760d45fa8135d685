/**
 * The built-in payment provider for dev, tests and benchmarks. It approves a payment at once unless told otherwise
 * (decline, answer after a delay, or never answer — the buyer who walks away), and tells the shop as a real provider
 * does: an HTTP POST of the outcome to the callback URL, signed with the shared secret, delivered again with backoff
 * (0.5 s, 1 s, 2 s, …) until the shop answers 2xx or the attempts are used up. Its timers live in the API process
 * that started the payment: a payment whose process stops before the callback stays PENDING (the buyer pays again).
 * Its callback carries the trace context of the `pay` request (`traceparent`), so in Zipkin the payment is one trace
 * from the buyer's pay to the stock deduction; a real provider's callback starts a trace of its own.
 */
import { randomUUID } from 'node:crypto';
import type {
  PaymentCallback,
  PaymentProvider,
  PaymentRequest,
  SandboxInstructions,
  StartedPayment,
} from './providers';
import { SIGNATURE_HEADER, signCallback } from './signature';
import { traceHeaders } from '../telemetry/message-spans';

export const APPROVE_AT_ONCE: SandboxInstructions = { outcome: 'approve', delaySeconds: 0 };

export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox';

  constructor(
    private readonly secret: string,
    private readonly attempts: number,
  ) {}

  start(request: PaymentRequest, sandbox: SandboxInstructions = APPROVE_AT_ONCE): Promise<StartedPayment> {
    if (sandbox.outcome !== 'none') {
      const callback: PaymentCallback = {
        paymentId: request.paymentId,
        orderId: request.orderId,
        providerTxnId: `sbx_${randomUUID().replace(/-/g, '')}`,
        amount: request.amount,
        currency: request.currency,
        status: sandbox.outcome === 'approve' ? 'APPROVED' : 'DECLINED',
      };
      setTimeout(() => void this.deliver(request.callbackUrl, callback, 1), sandbox.delaySeconds * 1000).unref();
    }
    return Promise.resolve({});
  }

  private async deliver(url: string, callback: PaymentCallback, attempt: number): Promise<void> {
    const body = JSON.stringify(callback);
    const signature = signCallback(this.secret, body, Math.floor(Date.now() / 1000));
    const delivered = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, ...traceHeaders() },
      body,
      signal: AbortSignal.timeout(30_000),
    }).then(
      (res) => res.ok,
      () => false,
    );
    if (!delivered && attempt < this.attempts) {
      setTimeout(() => void this.deliver(url, callback, attempt + 1), 500 * 2 ** (attempt - 1)).unref();
    }
  }
}
