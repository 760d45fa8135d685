/**
 * Server-sent events read with fetch (so the bearer token goes in a header, never in a URL as EventSource would need):
 * the parser of the text/event-stream format, and a stream that reconnects after it drops, refreshing an expired
 * token on the way (api/client.ts).
 */
import { authorizedFetch } from './client';

export interface ServerEvent {
  event: string;
  data: string;
}

/** Splits what arrived into complete events; returns them and the incomplete rest to keep for the next chunk. */
export function parseEvents(buffer: string): { events: ServerEvent[]; rest: string } {
  const events: ServerEvent[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue; // a comment: the server's heartbeat
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

export type StreamState = 'connecting' | 'open' | 'retrying' | 'refused';

/**
 * Follows a stream until `stop()`: `onEvent` for each event, `onState` as the connection opens, drops (then it is
 * tried again after `retryMs`) or is refused for good (403: the role may not, or 401 after a failed refresh).
 */
export function followStream(
  path: string,
  onEvent: (e: ServerEvent) => void,
  onState: (s: StreamState, detail?: string) => void,
  retryMs = 3000,
): () => void {
  const abort = new AbortController();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    onState('connecting');
    try {
      const res = await authorizedFetch(path, abort.signal);
      if (res.status === 401 || res.status === 403) {
        onState('refused', String(res.status));
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onState('open');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseEvents(buffer + value);
        buffer = parsed.rest;
        parsed.events.forEach(onEvent);
      }
      throw new Error('the stream ended');
    } catch (err) {
      if (stopped) return;
      onState('retrying', err instanceof Error ? err.message : String(err));
      timer = setTimeout(() => void connect(), retryMs);
    }
  };
  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    abort.abort();
  };
}
