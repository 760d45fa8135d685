import { describe, expect, it } from 'vitest';
import { MAX_QUANTITY, addLine, formatCents, toCents, totalCents } from './cart';

const tea = { productId: '1', skuId: '101', name: 'Longjing tea', price: '12.50' };

describe('the cart', () => {
  it('adds a SKU once and counts up its quantity, never past the limit an order takes', () => {
    let lines = addLine([], tea, 2);
    lines = addLine(lines, tea, 3);
    expect(lines).toEqual([{ ...tea, quantity: 5 }]);
    expect(addLine(lines, tea, MAX_QUANTITY)[0]?.quantity).toBe(MAX_QUANTITY);
  });

  it('totals exact decimal prices in cents (no floating point on money)', () => {
    const lines = [
      { ...tea, quantity: 3 },
      { ...tea, skuId: '102', price: '0.10', quantity: 3 },
    ];
    expect(totalCents(lines)).toBe(3780);
    expect(formatCents(totalCents(lines))).toBe('37.80');
    expect(toCents('7')).toBe(700);
    expect(toCents('7.5')).toBe(750);
    expect(formatCents(5)).toBe('0.05');
  });
});
