import { describe, expect, it } from 'vitest';
import { isId, PRICE } from './sku-rules';

describe('the SKU form rules (as the API checks them)', () => {
  it('takes positive decimal ids of at most 19 digits', () => {
    expect(['1', '101', '9223372036854775807'].every(isId)).toBe(true);
    expect(['0', '-1', '01', 'abc', '9223372036854775808', '12345678901234567890'].some(isId)).toBe(false);
  });

  it('takes prices in whole cents up to 99999999.99', () => {
    expect(['0', '12.5', '12.50', '99999999.99'].every((v) => PRICE.test(v))).toBe(true);
    expect(['12.505', '-1', '1e3', '123456789', ''].some((v) => PRICE.test(v))).toBe(false);
  });
});
