import assert from 'node:assert/strict';
import { dashboardRequest } from '../../lib/search/order-queries';
import { shopDay } from '../../lib/time/shop-day';

describe("the dashboard's request in the shop's time zone", () => {
  it("in Shanghai, at 01:00 UTC on the 28th, today is the 28th from 16:00 UTC on the 27th, in the shop's hours", () => {
    const day = shopDay(new Date('2026-11-28T01:00:00Z'), 'Asia/Shanghai');
    const req = dashboardRequest('orders', day, 'Asia/Shanghai');
    const today = (req.aggs as Record<string, { filter: unknown; aggs: Record<string, unknown> }>).today!;
    assert.deepEqual(today.filter, { range: { createdAt: { gte: '2026-11-27T16:00:00.000Z' } } });
    assert.deepEqual(today.aggs.perHour, {
      date_histogram: {
        field: 'createdAt',
        calendar_interval: '1h',
        time_zone: 'Asia/Shanghai',
        min_doc_count: 0,
        extended_bounds: { min: '2026-11-27T16:00:00.000Z', max: '2026-11-28T15:59:59.999Z' },
      },
    });
    const paid = (req.aggs as Record<string, { filter: { bool: { filter: unknown[] } } }>).paidToday!;
    assert.deepEqual(paid.filter.bool.filter[0], { range: { paidAt: { gte: '2026-11-27T16:00:00.000Z' } } });
  });
});
