import { describe, expect, it } from 'vitest';
import { backfillPercent, formatAge, formatFigure } from './ops-format';

describe("the ops console's wording", () => {
  it('words figures by their unit, and a figure without samples as a dash', () => {
    expect(formatFigure({ unit: 'per second', value: 12.345 })).toBe('12.3 /s');
    expect(formatFigure({ unit: 'seconds', value: 0.0854 })).toBe('85 ms');
    expect(formatFigure({ unit: 'seconds', value: 1.254 })).toBe('1.25 s');
    expect(formatFigure({ unit: 'messages', value: 41.6 })).toBe('42');
    expect(formatFigure({ unit: 'rows', value: null })).toBe('—');
  });

  it('words ages', () => {
    expect([formatAge(42), formatAge(420), formatAge(3 * 3600), formatAge(3 * 86_400)]).toEqual([
      '42 s',
      '7 min',
      '3 h',
      '3 d',
    ]);
  });

  it("counts a backfill's progress, never 100 before it is done", () => {
    expect(backfillPercent({ phase: 'snapshot', done: 250, total: 1000 })).toBe(25);
    expect(backfillPercent({ phase: 'handover', done: 1000, total: 1000 })).toBe(99);
    expect(backfillPercent({ phase: 'done', done: 0, total: 0 })).toBe(100);
    expect(backfillPercent({ phase: 'snapshot', done: 0, total: 0 })).toBe(0);
  });
});
