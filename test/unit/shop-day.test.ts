import assert from 'node:assert/strict';
import { isTimeZone, shopDay } from '../../lib/time/shop-day';

describe("the shop's day in its time zone", () => {
  it('in Shanghai (UTC+8), 20:00 UTC is already the next day there, which began at 16:00 UTC', () => {
    assert.deepEqual(shopDay(new Date('2026-11-28T20:00:00.000Z'), 'Asia/Shanghai'), {
      date: '2026-11-29',
      start: new Date('2026-11-28T16:00:00.000Z'),
      end: new Date('2026-11-29T16:00:00.000Z'),
    });
    assert.equal(shopDay(new Date('2026-11-28T15:59:59.999Z'), 'Asia/Shanghai').date, '2026-11-28');
  });

  it('in UTC, the day is the UTC day; the last day of a year ends at the next year', () => {
    assert.deepEqual(shopDay(new Date('2026-12-31T23:59:59.999Z'), 'UTC'), {
      date: '2026-12-31',
      start: new Date('2026-12-31T00:00:00.000Z'),
      end: new Date('2027-01-01T00:00:00.000Z'),
    });
  });

  it('a daylight-saving day has 23 or 25 hours (Berlin, spring and autumn 2026)', () => {
    const spring = shopDay(new Date('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    assert.deepEqual(
      [spring.start.toISOString(), spring.end.toISOString()],
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    );
    const autumn = shopDay(new Date('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    assert.equal((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000, 25);
  });

  it('knows real zone names and refuses others', () => {
    assert.ok(isTimeZone('Asia/Shanghai'));
    assert.ok(isTimeZone('UTC'));
    assert.ok(!isTimeZone('Mars/Olympus'));
    assert.ok(!isTimeZone(''));
  });
});
