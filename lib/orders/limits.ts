/**
 * What one order may hold (config `order.limits`): distinct SKUs, units of one SKU summed over its lines, and the
 * total. An order beyond them is refused with 400 / 10001 before anything is reserved. Sandbox-safe.
 */
import { toCents } from './money';
import type { OrderItemRequest } from './types';

export interface OrderLimits {
  maxLines: number;
  maxQuantityPerSku: number;
  /** The largest order total, as an amount ("1000000.00"). */
  maxAmount: string;
}

export interface LimitViolation {
  message: string;
  details: Record<string, string | number>;
}

/** Sums the quantities of repeated SKUs, keeping the first-seen order. */
export function mergeItems(items: OrderItemRequest[]): OrderItemRequest[] {
  const merged = new Map<string, OrderItemRequest>();
  for (const item of items) {
    const key = `${BigInt(item.productId)}:${BigInt(item.skuId)}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, quantity: seen.quantity + item.quantity } : { ...item });
  }
  return [...merged.values()];
}

/** Why merged items break the line or quantity limits, if they do. */
export function itemLimitViolation(merged: OrderItemRequest[], limits: OrderLimits): LimitViolation | undefined {
  if (merged.length > limits.maxLines) {
    return {
      message: `an order holds at most ${limits.maxLines} different SKUs; this one has ${merged.length}`,
      details: { lines: merged.length, maxLines: limits.maxLines },
    };
  }
  const over = merged.find((i) => i.quantity > limits.maxQuantityPerSku);
  if (over) {
    return {
      message:
        `an order holds at most ${limits.maxQuantityPerSku} units of one SKU; ` +
        `product ${over.productId} sku ${over.skuId} totals ${over.quantity} over its lines`,
      details: {
        productId: over.productId,
        skuId: over.skuId,
        quantity: over.quantity,
        maxQuantityPerSku: limits.maxQuantityPerSku,
      },
    };
  }
  return undefined;
}

/** Why a priced total breaks the amount limit, if it does. */
export function amountLimitViolation(totalCents: number, limits: OrderLimits): LimitViolation | undefined {
  const max = toCents(limits.maxAmount);
  if (totalCents <= max) return undefined;
  return {
    message: `the order total exceeds the largest amount one order may hold, ${limits.maxAmount}`,
    details: { maxAmount: limits.maxAmount },
  };
}
