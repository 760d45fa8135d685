/** The shop's cart: SKUs and quantities, kept in this browser (localStorage) across reloads. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export interface CartLine {
  productId: string;
  skuId: string;
  name: string;
  /** Decimal string as the API sends prices ("12.50"). */
  price: string;
  quantity: number;
}

/** The most of one SKU an order takes (the API's order.limits.maxQuantityPerSku). */
export const MAX_QUANTITY = 999;
/** The most lines an order takes (the API's order.limits.maxLines): the cart holds no more. */
export const MAX_LINES = 50;

interface CartState {
  lines: CartLine[];
  /** The Idempotency-Key of the next checkout: the same until an order was placed with it. */
  checkoutKey: string;
  renewCheckoutKey: () => void;
  /** Adds to the cart; false when it is a new line and the cart already holds MAX_LINES. */
  add: (line: Omit<CartLine, 'quantity'>, quantity?: number) => boolean;
  setQuantity: (skuId: string, quantity: number) => void;
  remove: (skuId: string) => void;
  clear: () => void;
}

/** The lines with this SKU added (a full cart takes no new line: the same lines are returned). */
export function addLine(lines: CartLine[], line: Omit<CartLine, 'quantity'>, quantity: number): CartLine[] {
  const existing = lines.find((l) => l.skuId === line.skuId);
  if (!existing && lines.length >= MAX_LINES) return lines;
  if (!existing) return [...lines, { ...line, quantity: Math.min(quantity, MAX_QUANTITY) }];
  return lines.map((l) =>
    l.skuId === line.skuId ? { ...l, quantity: Math.min(l.quantity + quantity, MAX_QUANTITY) } : l,
  );
}

/** The cart's total in cents (prices are exact decimals; no floating point on money). */
export function totalCents(lines: CartLine[]): number {
  return lines.reduce((sum, l) => sum + toCents(l.price) * l.quantity, 0);
}

export function toCents(price: string): number {
  const [whole = '0', fraction = ''] = price.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

export function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export const useCart = create<CartState>()(
  persist(
    (set, get) => ({
      lines: [],
      checkoutKey: crypto.randomUUID(),
      renewCheckoutKey: () => set({ checkoutKey: crypto.randomUUID() }),
      add: (line, quantity = 1) => {
        const before = get().lines;
        const after = addLine(before, line, quantity);
        set({ lines: after });
        return after !== before;
      },
      setQuantity: (skuId, quantity) =>
        set((s) => ({
          lines: s.lines.map((l) =>
            l.skuId === skuId ? { ...l, quantity: Math.max(1, Math.min(quantity, MAX_QUANTITY)) } : l,
          ),
        })),
      remove: (skuId) => set((s) => ({ lines: s.lines.filter((l) => l.skuId !== skuId) })),
      clear: () => set({ lines: [] }),
    }),
    { name: 'doos-cart' },
  ),
);
