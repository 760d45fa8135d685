import { describe, expect, it } from 'vitest';
import { parseEvents } from './event-stream';

describe('the server-sent events parser', () => {
  it('splits complete events and keeps the incomplete rest for the next chunk', () => {
    const { events, rest } = parseEvents(
      'retry: 3000\n\nevent: ready\ndata: {}\n\nevent: order\ndata: {"orderId":"1"}\n\nevent: or',
    );
    expect(events).toEqual([
      { event: 'ready', data: '{}' },
      { event: 'order', data: '{"orderId":"1"}' },
    ]);
    expect(rest).toBe('event: or');
    expect(parseEvents(rest + 'der\ndata: {"orderId":"2"}\n\n').events).toEqual([
      { event: 'order', data: '{"orderId":"2"}' },
    ]);
  });

  it('skips heartbeat comments, joins multi-line data, reads CRLF, and names an unnamed event "message"', () => {
    expect(parseEvents(': ping\n\ndata: a\ndata: b\r\n\r\n').events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
