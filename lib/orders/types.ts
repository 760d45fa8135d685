/**
 * An order's parts as they travel between the API, the saga and its activities (the saga's own payloads are in its
 * contract, workflows/order-saga-definitions.ts). Ids are decimal strings here because Temporal payloads are JSON;
 * code outside these boundaries holds them as bigint. Money is in integer cents. Sandbox-safe.
 */
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
