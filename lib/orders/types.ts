/**
 * Payloads of the order saga, its activities and its updates. Ids are decimal strings here because Temporal
 * payloads are JSON; code outside these boundaries holds them as bigint. Money is in integer cents.
 * Sandbox-safe: imported by workflows.
 */
import type { OrderStatus } from './status';

export interface OrderItemRequest {
  productId: string;
  skuId: string;
  quantity: number;
}

/** An item with the catalog's name, image and price at the time of reservation. */
export interface PricedItem extends OrderItemRequest {
  productName: string;
  productImage: string;
  priceCents: number;
  subtotalCents: number;
}

export type PaymentMethod = 'alipay' | 'wechat' | 'credit_card';

export interface ShippingAddress {
  name: string;
  phone: string;
  province?: string;
  city?: string;
  district?: string;
  detail: string;
  postalCode?: string;
}

export interface OrderSagaInput {
  orderId: string;
  orderNo: string;
  userId: string;
  shard: number;
  items: OrderItemRequest[];
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
  remark: string;
  idempotencyKey?: string;
  paymentTimeoutSeconds: number;
}

/** Where the saga is: before the order exists, its status after, or rejected (nothing kept). */
export type SagaPhase = 'RESERVING' | 'CREATING' | OrderStatus | 'REJECTED';

export interface SagaStep {
  step: string;
  outcome: 'started' | 'completed' | 'failed' | 'compensated' | 'parked';
  at: string;
  detail?: string;
}

/** Answer of the `status` query. */
export interface SagaStatus {
  orderId: string;
  phase: SagaPhase;
  compensationParked: boolean;
  history: SagaStep[];
  lastError?: string;
}

/**
 * Answer of the `created` update: the order exists (status PENDING_PAYMENT or later), with the priced items and the
 * row's creation time, so the API answers POST /v1/orders without reading the row back.
 */
export interface OrderCreated {
  orderId: string;
  orderNo: string;
  items: PricedItem[];
  createdAt: string;
}

export interface OrderSagaResult {
  orderId: string;
  phase: SagaPhase;
  reason?: string;
}

/** Body of the pay / cancel / ship / complete updates. */
export interface TransitionRequest {
  /** Who asked (user id, or an operator name), recorded in the saga history. */
  actor: string;
  reason?: string;
  /** Payment reference from the payment provider, for pay. */
  paymentRef?: string;
}
