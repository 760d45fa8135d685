/**
 * A payment provider as DOOS uses one: `start` asks it to take a payment and returns what the buyer needs to go on
 * (a page to pay on, for a real provider); the outcome arrives later as the provider's signed callback
 * (POST /v1/payments/callback, lib/payments/signature.ts). A real provider's adapter implements this interface and is
 * named in payments.provider; the built-in one is the sandbox.
 */
import type { Config } from '../config';
import { SandboxProvider } from './sandbox-provider';

/** What the shop asks the provider to collect. */
export interface PaymentRequest {
  paymentId: string;
  orderId: string;
  orderNo: string;
  amount: string;
  currency: string;
  method: string;
  /** Where the provider sends the outcome. */
  callbackUrl: string;
}

/** The body of a provider's callback (the fields DOOS reads; a provider may send more). */
export interface PaymentCallback {
  paymentId: string;
  orderId: string;
  /** The provider's own id of the transaction: a callback is applied once per id. */
  providerTxnId: string;
  amount: string;
  currency: string;
  status: 'APPROVED' | 'DECLINED';
}

/** Sandbox only: what the sandbox should do with a payment (a real provider ignores it). */
export interface SandboxInstructions {
  outcome: 'approve' | 'decline' | 'none';
  delaySeconds: number;
}

export interface StartedPayment {
  /** Where the buyer pays (a real provider's page); the sandbox needs none. */
  redirectUrl?: string;
}

export interface PaymentProvider {
  readonly name: string;
  start(request: PaymentRequest, sandbox?: SandboxInstructions): Promise<StartedPayment>;
}

/** The provider payments.provider names. */
export function paymentProvider(config: Pick<Config, 'payments'>): PaymentProvider {
  switch (config.payments.provider) {
    case 'sandbox':
      return new SandboxProvider(config.payments.callbackSecret, config.payments.sandboxDeliveryAttempts);
  }
}
