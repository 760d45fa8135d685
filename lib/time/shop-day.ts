/**
 * The shop's calendar in its time zone (config `shop.timeZone`, an IANA name): the day "today" means on the dashboard
 * and in GET /v1/stats/dashboard — the shop's day, not UTC's. Daylight-saving days have 23 or 25 hours.
 */

/** One day of the shop: its date there and the instants it starts and ends (the next day's start). */
export interface ShopDay {
  /** YYYY-MM-DD in the shop's time zone. */
  date: string;
  start: Date;
  end: Date;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the name is a time zone this runtime knows (Asia/Shanghai, UTC, Europe/Berlin …). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

function wallClock(at: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const n = (type: string) => Number(parts[type]);
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
  };
}

/** How far the zone's clocks are ahead of UTC at an instant, in ms (Asia/Shanghai: 8 h). */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (at.getTime() - at.getUTCMilliseconds());
}

/** The instant the zone's clocks show midnight of this date (month 1-based; a day past the month's end rolls over). */
function midnight(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  // Two steps: the offset at the guessed instant may differ from the one at the wall time read as UTC (a DST change).
  const guess = wall - offsetMs(new Date(wall), timeZone);
  return new Date(wall - offsetMs(new Date(guess), timeZone));
}

/** The shop's day that contains `now`. */
export function shopDay(now: Date, timeZone: string): ShopDay {
  const w = wallClock(now, timeZone);
  const date = `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  return {
    date,
    start: midnight(w.year, w.month, w.day, timeZone),
    end: midnight(w.year, w.month, w.day + 1, timeZone),
  };
}
