import { describe, expect, it } from 'vitest';
import { chartSummary, hourLabel, mergeLive, type OrderSummary } from './dashboard-model';

const order = (orderId: string, createdAt: string, status: OrderSummary['status'], updatedAt = createdAt) => ({
  orderId,
  orderNo: `N${orderId}`,
  userId: '1',
  status,
  actualAmount: '1.00',
  createdAt,
  updatedAt,
});

describe("the dashboard's live list", () => {
  it('puts a new order first and replaces an order by its newer state, keeping its place by creation time', () => {
    let list = [order('1', '2026-11-28T10:00:00Z', 'PAID')];
    list = mergeLive(list, order('2', '2026-11-28T10:05:00Z', 'PENDING_PAYMENT'));
    expect(list.map((o) => o.orderId)).toEqual(['2', '1']);
    list = mergeLive(list, order('1', '2026-11-28T10:00:00Z', 'SHIPPED', '2026-11-28T10:06:00Z'));
    expect(list.map((o) => `${o.orderId}:${o.status}`)).toEqual(['2:PENDING_PAYMENT', '1:SHIPPED']);
  });

  it('keeps the newer state when an older one arrives late, and at most the given number of rows', () => {
    const newer = [order('1', '2026-11-28T10:00:00Z', 'PAID', '2026-11-28T10:01:00Z')];
    expect(mergeLive(newer, order('1', '2026-11-28T10:00:00Z', 'PENDING_PAYMENT'))[0]!.status).toBe('PAID');
    let list: OrderSummary[] = [];
    for (let i = 0; i < 5; i++) list = mergeLive(list, order(String(i), `2026-11-28T10:0${i}:00Z`, 'PAID'), 3);
    expect(list.map((o) => o.orderId)).toEqual(['4', '3', '2']);
  });
});

describe("the dashboard's labels", () => {
  it("names an hour on the shop's clock", () => {
    expect(hourLabel('2026-11-27T16:00:00.000Z', 'Asia/Shanghai')).toBe('00:00');
    expect(hourLabel('2026-11-28T13:00:00.000Z', 'UTC')).toBe('13:00');
  });

  it('words a chart for a screen reader, leaving out the zeros', () => {
    expect(
      chartSummary([
        { label: 'Paid', value: 3 },
        { label: 'Cancelled', value: 0 },
        { label: 'Shipped', value: 1 },
      ]),
    ).toBe('Paid 3, Shipped 1');
    expect(chartSummary([{ label: 'Paid', value: 0 }])).toBe('0');
  });
});
