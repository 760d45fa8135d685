import { describe, expect, it } from 'vitest';
import { ordersCsv } from './order-csv';

describe('orders as CSV', () => {
  it('quotes what needs quoting and keeps every order on one line', () => {
    const csv = ordersCsv([
      {
        orderId: '1',
        orderNo: '20261128011',
        userId: '7',
        status: 'PAID',
        actualAmount: '12.50',
        createdAt: '2026-11-28T10:00:00.000Z',
        items: [
          { productName: 'Tea, "green"', quantity: 2 },
          { productName: 'Cup', quantity: 1 },
        ],
      },
    ]);
    expect(csv).toBe(
      'orderNo,orderId,userId,status,actualAmount,createdAt,items\r\n' +
        '20261128011,1,7,PAID,12.50,2026-11-28T10:00:00.000Z,"Tea, ""green"" × 2; Cup × 1"\r\n',
    );
  });
});
