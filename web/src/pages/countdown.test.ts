import { describe, expect, it } from 'vitest';
import { formatCountdown } from './countdown';

describe('the payment countdown', () => {
  it('shows minutes and seconds, hours when there are any, rounding up to the second', () => {
    expect(formatCountdown(30 * 60 * 1000)).toBe('30:00');
    expect(formatCountdown(29 * 60 * 1000 + 59_001)).toBe('30:00');
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(3_900_000)).toBe('1:05:00');
  });

  it('stops at 0:00', () => {
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5000)).toBe('0:00');
  });
});
