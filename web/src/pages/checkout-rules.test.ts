import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { translator } from '../i18n/language';
import { PHONE, checkoutError } from './checkout-rules';

const en = translator('en');
const zh = translator('zh-CN');

describe('checkout', () => {
  it('takes the phone numbers the API takes', () => {
    for (const ok of ['13800000000', '+86 138-0000-0000', '12345']) expect(PHONE.test(ok)).toBe(true);
    for (const bad of ['1234', 'call me', '1'.repeat(21)]) expect(PHONE.test(bad)).toBe(false);
  });

  it('names the SKU that ran out, in each language', () => {
    const lines = [{ productId: '1', skuId: '101', name: 'Longjing tea', price: '12.50', quantity: 2 }];
    const err = new ApiError(409, 30001, 'not enough stock', undefined, { productId: '1', skuId: '101' });
    expect(checkoutError(err, lines, en)).toBe('Out of stock: Longjing tea (SKU 101)');
    expect(checkoutError(err, lines, zh)).toBe('库存不足：Longjing tea (SKU 101)');
  });

  it('says when to retry a rate-limited request, that a 503 order is being confirmed, what a 403 needs', () => {
    expect(checkoutError(new ApiError(429, 10006, 'slow down', 7), [], en)).toMatch(/try again in 7 s/);
    expect(checkoutError(new ApiError(503, 10004, 'later'), [], en)).toMatch(/being confirmed/);
    expect(checkoutError(new ApiError(403, 10005, 'needs role admin'), [], en)).toMatch(/needs role admin/);
    expect(checkoutError(new ApiError(500, 20007, 'x'), [], zh)).toBe('订单未能创建，未扣款也未占用库存。');
    expect(checkoutError(new ApiError(409, 99999, 'odd'), [], en)).toBe('odd (99999)');
  });
});
