import { describe, expect, it } from 'vitest';
import { MAX_LINES, MAX_QUANTITY, addLine, formatCents, toCents, totalCents } from './cart';

const tea = { productId: '1', skuId: '101', name: 'Longjing tea', price: '12.50' };

describe('the cart', () => {
  it('adds a SKU once and counts up its quantity, never past the limit an order takes', () => {
    let lines = addLine([], tea, 2);
    lines = addLine(lines, tea, 3);
    expect(lines).toEqual([{ ...tea, quantity: 5 }]);
    expect(addLine(lines, tea, MAX_QUANTITY)[0]?.quantity).toBe(MAX_QUANTITY);
  });

  it(`holds at most ${MAX_LINES} lines (the API's limit): a new SKU then does not fit, more of one already in does`, () => {
    let lines: ReturnType<typeof addLine> = [];
    for (let i = 0; i < MAX_LINES; i++) lines = addLine(lines, { ...tea, skuId: String(1000 + i) }, MAX_QUANTITY);
    expect(lines).toHaveLength(MAX_LINES);
    expect(addLine(lines, { ...tea, skuId: '9999' }, 1)).toBe(lines);
    expect(addLine(lines, { ...tea, skuId: '1000' }, 1)[0]?.quantity).toBe(MAX_QUANTITY);
    // The largest order: 50 × 999 units, its total still exact.
    expect(formatCents(totalCents(lines.map((l) => ({ ...l, price: '20.02' }))))).toBe('999999.00');
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
