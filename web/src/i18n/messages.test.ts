import { describe, expect, it } from 'vitest';
import { en, format, zhCN } from './messages';

describe('texts', () => {
  it('every text exists in both languages with the same marks', () => {
    const marks = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).toBeTruthy();
      expect(marks(zhCN[key]), key).toEqual(marks(en[key]));
    }
  });

  it('fills in the marks it has values for', () => {
    expect(format('Log out {username}', { username: 'li' })).toBe('Log out li');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
